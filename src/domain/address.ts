/**
 * Chinese address normalisation for matching against the standard-address gazetteer
 * (标准地址库). Both the gazetteer and every query go through `normalizeAddress`, so that
 * "湘麓区景沙街道枫楼巷十一号3幢" and "枫楼巷１１号3栋" compare equal.
 */

const DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };

/**
 * Returns the value of a Chinese numeral of up to four digits ("十一" → 11, "一百零五" → 105,
 * "二〇五" → 205 read digit by digit), or null when the text is not one.
 * @example chineseNumeral('二十三') // 23
 */
export function chineseNumeral(text: string): number | null {
  if (text === '' || ![...text].every((ch) => ch in DIGITS || ch in UNITS)) return null;
  // Digit-by-digit form without units, as house and room numbers are often read: 二〇五 → 205.
  if (![...text].some((ch) => ch in UNITS)) return Number([...text].map((ch) => DIGITS[ch]).join(''));
  let total = 0;
  let digit = 0;
  for (const ch of text) {
    if (ch in DIGITS) digit = DIGITS[ch] as number;
    else {
      // A unit with no digit before it counts one of it: 十一 = 11.
      total += (digit === 0 ? 1 : digit) * (UNITS[ch] as number);
      digit = 0;
    }
  }
  return total + digit;
}

/** Suffixes that mark the numbered parts of an address, with the spelling they normalise to. */
const PART_SYNONYMS: Array<[RegExp, string]> = [
  [/号楼/g, '栋'],
  [/[幢座]/g, '栋'],
  [/楼(?=\d+单元|\d+室|$)/g, '栋'],
  [/(?<=\d)[房户](?=$)/g, '室'],
];

/** Leading administrative names a query may or may not carry: province, city, district, street, community. */
// 小区 (housing estate), 园区, 校区 and 景区 end in 区 but are places, not districts; 市场 and 超市 are not cities.
const ADMIN_PREFIX =
  /^(?:[\u4e00-\u9fa5]{2,7}?(?:省|自治区))?(?:[\u4e00-\u9fa5]{2,7}?(?:(?<!超)市(?!场)|自治州|地区|盟))?(?:[\u4e00-\u9fa5]{1,7}?(?:(?<![小园校景社])区|县|旗))?(?:[\u4e00-\u9fa5]{2,7}?(?:街道|镇|乡))?(?:[\u4e00-\u9fa5]{2,7}?社区)?/;

/**
 * Returns an address in the form used for matching: half-width, without spaces and punctuation,
 * Chinese numerals before 号/栋/单元/室/层/组 turned into digits, 幢/座/号楼 as 栋, "3-2-501" as
 * "3栋2单元501室", and leading province / city / district / street / community names removed.
 * @example normalizeAddress('湘麓区景沙街道 枫楼巷十一号３幢') // '枫楼巷11号3栋'
 */
export function normalizeAddress(address: string): string {
  let s = address.normalize('NFKC'); // full-width digits, letters and punctuation to half-width
  s = s.replace(/[\s,，、。.·:：;；'"“”‘’()（）[\]【】#]/g, '');
  s = s.replace(/[零〇一二两三四五六七八九十百千]+(?=号|栋|幢|座|单元|室|层|楼|组|弄|房)/g, (m) => String(chineseNumeral(m) ?? m));
  s = s.replace(/(\d+)[-－—](\d+)[-－—](\d+)(?:室|号)?$/, '$1栋$2单元$3室');
  for (const [pattern, replacement] of PART_SYNONYMS) s = s.replace(pattern, replacement);
  const stripped = s.replace(ADMIN_PREFIX, '');
  // Keep the prefix when it is all there is (a query that names only a district or street).
  return (stripped === '' ? s : stripped).toUpperCase();
}

/**
 * Returns the door part of a normalised address: everything up to its first house number (号),
 * which is what a door-plate gazetteer holds; the whole address when it has none.
 * @example doorPart('枫楼巷11号2单元501室') // '枫楼巷11号'
 */
export function doorPart(normalized: string): string {
  const at = normalized.search(/\d+号/);
  if (at < 0) return normalized;
  return normalized.slice(0, normalized.indexOf('号', at) + 1);
}
