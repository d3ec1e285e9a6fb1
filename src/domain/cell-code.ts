import type { CellCode, CommunityCode } from './ids';

/** Result of checking a code: the branded code, or the reason it is not one. */
export type CodeCheck<T> = { valid: true; code: T } | { valid: false; reason: string };

/**
 * Returns the 15-digit cell code for a community code and a 1-based sequence number.
 * Throws when the community code is not 12 digits or the sequence is outside 1..999.
 * @example makeCellCode('430199001002' as CommunityCode, 7) // '430199001002007'
 */
export function makeCellCode(community: CommunityCode, sequence: number): CellCode {
  if (!/^[0-9]{12}$/.test(community)) {
    throw new Error(`community code must be 12 digits, got "${community}"`);
  }
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > 999) {
    throw new Error(`cell sequence must be an integer from 1 to 999, got ${sequence}`);
  }
  return `${community}${String(sequence).padStart(3, '0')}` as CellCode;
}

/** Returns the parts of a cell code: district (6), street (9), community (12) and sequence. */
export function parseCellCode(code: CellCode): {
  district: string;
  street: string;
  community: CommunityCode;
  sequence: number;
} {
  return {
    district: code.slice(0, 6),
    street: code.slice(0, 9),
    community: code.slice(0, 12) as CommunityCode,
    sequence: Number(code.slice(12)),
  };
}

/** Returns the branded cell code when `value` is 15 digits with a non-zero sequence, or the reason. */
export function checkCellCode(value: string): CodeCheck<CellCode> {
  if (!/^[0-9]{15}$/.test(value)) {
    return { valid: false, reason: `cell code must be 15 digits, got "${value}"` };
  }
  if (value.endsWith('000')) {
    return { valid: false, reason: `cell sequence 000 is not allowed in "${value}"` };
  }
  return { valid: true, code: value as CellCode };
}
