/** Why a row of an import was not taken: a code and its parameters, rendered per language. */
export type Reason =
  | { code: 'empty' }
  | { code: 'coordinate_empty'; params: { axis: 'longitude' | 'latitude' } }
  | { code: 'coordinate_not_number'; params: { axis: 'longitude' | 'latitude'; value: string } }
  | { code: 'coordinate_range'; params: { axis: 'longitude' | 'latitude'; value: number; limit: number } }
  | { code: 'outside_china'; params: { lon: number; lat: number } }
  | { code: 'field_count'; params: { count: number; expected: number } }
  | { code: 'not_point'; params: { type: string } }
  | { code: 'duplicate_id'; params: { id: string; first: number } }
  | { code: 'risk_level'; params: { value: string } }
  | { code: 'gender'; params: { value: string } }
  | { code: 'birth_year'; params: { value: string } }
  | { code: 'id_card_form'; params: { value: string } }
  | { code: 'id_card_date'; params: { value: string } }
  | { code: 'id_card_check'; params: { value: string; found: string; expected: string } }
  | { code: 'phone'; params: { value: string } }
  | { code: 'yes_no'; params: { value: string } }
  | { code: 'no_location' }
  | { code: 'no_key' }
  | { code: 'duplicate_id_card'; params: { first: number } }
  | { code: 'outside_area'; params: { lon: number; lat: number } }
  | { code: 'weight'; params: { value: string } }
  | { code: 'time'; params: { value: string } }
  | { code: 'address_unmatched'; params: { address: string; best: string; score: number } };

export type ReasonCode = Reason['code'];

/** Returns the English sentence for a reason (CLI output and downloaded files). */
export function reasonText(reason: Reason): string {
  switch (reason.code) {
    case 'empty':
      return 'is empty';
    case 'coordinate_empty':
      return `${reason.params.axis} is empty`;
    case 'coordinate_not_number':
      return `${reason.params.axis} "${reason.params.value}" is not a number`;
    case 'coordinate_range':
      return `${reason.params.axis} ${reason.params.value} is outside −${reason.params.limit}..${reason.params.limit}`;
    case 'outside_china':
      return `position (${reason.params.lon}, ${reason.params.lat}) is outside China; are longitude and latitude swapped?`;
    case 'field_count':
      return `has ${reason.params.count} fields, the header has ${reason.params.expected}`;
    case 'not_point':
      return `is ${reason.params.type}, not a Point`;
    case 'duplicate_id':
      return `"${reason.params.id}" appears again (first at row ${reason.params.first})`;
    case 'risk_level':
      return `"${reason.params.value}" is not a whole number from 0 to 3`;
    case 'gender':
      return `"${reason.params.value}" is not 男 or 女`;
    case 'birth_year':
      return `"${reason.params.value}" is not a year`;
    case 'id_card_form':
      return `"${reason.params.value}" is not 17 digits and a check character`;
    case 'id_card_date':
      return `"${reason.params.value}" has no valid birth date`;
    case 'id_card_check':
      return `"${reason.params.value}" has check character ${reason.params.found}, expected ${reason.params.expected}`;
    case 'phone':
      return `"${reason.params.value}" is not a phone number`;
    case 'yes_no':
      return `"${reason.params.value}" is not yes or no (是/否)`;
    case 'no_location':
      return 'has no coordinates and no address to geocode';
    case 'no_key':
      return 'has neither an id nor an ID card number to know the person by';
    case 'duplicate_id_card':
      return `the same ID card number appears again (first at row ${reason.params.first})`;
    case 'outside_area':
      return `position (${reason.params.lon}, ${reason.params.lat}) lies in none of the cells`;
    case 'weight':
      return `"${reason.params.value}" is not a weight (a number, 0 or more)`;
    case 'time':
      return `"${reason.params.value}" is not a date and time (such as 2026-06-06T16:38:00+08:00)`;
    case 'address_unmatched':
      return `address "${reason.params.address}" has no confident match (best ${reason.params.score}: ${reason.params.best || 'none'})`;
  }
}
