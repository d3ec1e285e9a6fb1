import { describe, expect, it } from 'vitest';
import { checkIdCard, idCardCheckDigit, idCardFacts } from '../../../src/domain/id-card';

describe('idCardFacts', () => {
  it('reads the birth date and gender of a valid number (odd 17th digit: 男, even: 女)', () => {
    expect(idCardFacts('11010519491231002X')).toEqual({ birthDate: '1949-12-31', birthYear: 1949, gender: '女' });
    const body = '43019919900101001';
    expect(idCardFacts(body + idCardCheckDigit(body))).toEqual({ birthDate: '1990-01-01', birthYear: 1990, gender: '男' });
  });

  it('takes a lower-case check character', () => {
    expect(idCardFacts('11010519491231002x')?.birthYear).toBe(1949);
  });

  it('is null for an invalid number or a date that does not exist', () => {
    expect(idCardFacts('110105194912310021')).toBeNull();
    const body = '43019919900231001';
    expect(checkIdCard(body + idCardCheckDigit(body))).toBeNull();
    expect(idCardFacts(body + idCardCheckDigit(body))).toBeNull();
  });
});
