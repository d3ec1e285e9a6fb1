/** Returns the check character of a 17-digit resident ID body (GB 11643-1999, ISO 7064 MOD 11-2). */
export function idCardCheckDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(body[i]) * (2 ** (17 - i) % 11);
  return '10X98765432'[sum % 11] as string;
}

/** Why an ID card number is not valid. */
export type IdCardProblem =
  | { code: 'id_card_form'; params: { value: string } }
  | { code: 'id_card_date'; params: { value: string } }
  | { code: 'id_card_check'; params: { value: string; found: string; expected: string } };

/**
 * Returns null when `value` is a well-formed 18-character resident ID number with a valid
 * check digit and birth date, or what is wrong with it.
 * @example checkIdCard('11010519491231002X') // null
 */
export function checkIdCard(value: string): IdCardProblem | null {
  const v = value.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(v)) return { code: 'id_card_form', params: { value } };
  const month = Number(v.slice(10, 12));
  const day = Number(v.slice(12, 14));
  if (month < 1 || month > 12 || day < 1 || day > 31) return { code: 'id_card_date', params: { value } };
  const expected = idCardCheckDigit(v.slice(0, 17));
  if (v[17] !== expected) return { code: 'id_card_check', params: { value, found: v[17] as string, expected } };
  return null;
}

/** What a valid resident ID number says of its holder. */
export interface IdCardFacts {
  /** Birth date, YYYY-MM-DD. */
  birthDate: string;
  birthYear: number;
  /** From the sequence's last digit (GB 11643-1999): odd 男, even 女. */
  gender: '男' | '女';
}

/**
 * Returns the birth date and gender an 18-character resident ID number holds, or null when it
 * is not valid (see checkIdCard) or its date does not exist (31 February).
 * @example idCardFacts('11010519491231002X') // { birthDate: '1949-12-31', birthYear: 1949, gender: '女' }
 */
export function idCardFacts(value: string): IdCardFacts | null {
  const v = value.trim().toUpperCase();
  if (checkIdCard(v)) return null;
  const [year, month, day] = [Number(v.slice(6, 10)), Number(v.slice(10, 12)), Number(v.slice(12, 14))];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return {
    birthDate: `${v.slice(6, 10)}-${v.slice(10, 12)}-${v.slice(12, 14)}`,
    birthYear: year,
    gender: Number(v[16]) % 2 === 1 ? '男' : '女',
  };
}
