/** E.164 telephone numbers: "+", a country code not starting with 0, at most 15 digits in all. */

const E164 = /^\+[1-9]\d{6,14}$/;

/** Removes the separators people type (spaces, dashes, dots, brackets); keeps the leading "+". */
export function compactPhone(raw: string): string {
  return raw.trim().replace(/[\s\-.()]/g, "");
}

/** The E.164 form of `raw`, or null when it is not a valid E.164 number (for example "+12" or "0301234567"). */
export function parseE164(raw: string): string | null {
  const compact = compactPhone(raw);
  return E164.test(compact) ? compact : null;
}

export const isE164 = (value: string): boolean => E164.test(value);
