import { describe, expect, it } from 'vitest';
import { chineseNumeral, doorPart, normalizeAddress } from '../../../src/domain/address';

describe('chineseNumeral', () => {
  it.each([
    ['一', 1],
    ['十', 10],
    ['十一', 11],
    ['二十三', 23],
    ['一百零五', 105],
    ['两千零一', 2001],
    ['二〇五', 205],
    ['五零一', 501],
  ])('%s is %i', (text, value) => {
    expect(chineseNumeral(text)).toBe(value);
  });

  it('is null for other text', () => {
    expect(chineseNumeral('号')).toBeNull();
    expect(chineseNumeral('')).toBeNull();
  });
});

describe('normalizeAddress', () => {
  it('drops the district and street prefixes a query may leave out', () => {
    expect(normalizeAddress('湘麓区景沙街道枫楼巷11号')).toBe('枫楼巷11号');
    expect(normalizeAddress('湖南省长沙市湘麓区景沙街道枫楼巷11号')).toBe('枫楼巷11号');
    expect(normalizeAddress('枫楼巷11号')).toBe('枫楼巷11号');
    expect(normalizeAddress('桃花社区枫楼巷11号')).toBe('枫楼巷11号');
  });

  it('turns full-width digits and Chinese numerals into digits', () => {
    expect(normalizeAddress('枫楼巷１１号')).toBe('枫楼巷11号');
    expect(normalizeAddress('枫楼巷十一号')).toBe('枫楼巷11号');
    expect(normalizeAddress('枫楼巷十一号二单元五零一室')).toBe('枫楼巷11号2单元501室');
  });

  it('unifies 幢, 座 and 号楼 as 栋, and reads 3-2-501 as building, unit and room', () => {
    expect(normalizeAddress('望月小区3幢')).toBe('望月小区3栋');
    expect(normalizeAddress('望月小区3号楼')).toBe('望月小区3栋');
    expect(normalizeAddress('望月小区三座')).toBe('望月小区3栋');
    expect(normalizeAddress('望月小区3-2-501')).toBe('望月小区3栋2单元501室');
  });

  it('does not take 小区 for a district or 市场 for a city', () => {
    expect(normalizeAddress('桃花小区5栋')).toBe('桃花小区5栋');
    expect(normalizeAddress('湘麓区望月农贸市场')).toBe('望月农贸市场');
  });

  it('removes spaces and punctuation', () => {
    expect(normalizeAddress(' 枫楼巷 11号，（北门） ')).toBe('枫楼巷11号北门');
  });

  it('keeps a query that is only an administrative name', () => {
    expect(normalizeAddress('景沙街道')).toBe('景沙街道');
  });
});

describe('doorPart', () => {
  it('cuts after the house number', () => {
    expect(doorPart('枫楼巷11号2单元501室')).toBe('枫楼巷11号');
    expect(doorPart('望月农贸市场')).toBe('望月农贸市场');
  });
});
