/**
 * Country values as partners write them: ISO 3166 alpha-2 codes ("IT", "it") or English names
 * ("Italy", "United States"). Names come from Intl.DisplayNames, so no country table is kept here.
 */
import { memoize } from '../columnar/memo.js';

const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });

const EXTRA_NAMES: Record<string, string> = {
  usa: 'US',
  'united states of america': 'US',
  us: 'US',
  uk: 'GB',
  'great britain': 'GB',
  england: 'GB',
  'the netherlands': 'NL',
  holland: 'NL',
  deutschland: 'DE',
  italia: 'IT',
  espana: 'ES',
  españa: 'ES',
  'south korea': 'KR',
  korea: 'KR',
  czechia: 'CZ',
  'czech republic': 'CZ',
};

let byName: Map<string, string> | undefined;

function nameIndex(): Map<string, string> {
  if (!byName) {
    byName = new Map(Object.entries(EXTRA_NAMES));
    for (let a = 65; a <= 90; a++) {
      for (let b = 65; b <= 90; b++) {
        const code = String.fromCharCode(a, b);
        const name = regionNames.of(code);
        if (name && name !== code) byName.set(name.toLowerCase(), code);
      }
    }
  }
  return byName;
}

// Codes Intl names that are not countries (or are reserved): never a customer's country.
const NOT_COUNTRIES = new Set(['ZZ', 'EU', 'EZ', 'UN', 'QO', 'XA', 'XB', 'UK']);

export function isCountryCode(code: string): boolean {
  if (!/^[A-Z]{2}$/.test(code) || NOT_COUNTRIES.has(code)) return false;
  const name = regionNames.of(code);
  return !!name && name !== code;
}

/**
 * Upper-case ISO alpha-2 code for a code or English country name; undefined when unknown.
 * Memoised: Intl lookups cost a microsecond a row.
 */
export const toCountryCode = memoize(lookupCountryCode, 10_000);

function lookupCountryCode(value: string): string | undefined {
  const v = value.trim();
  if (v.length === 2) {
    const code = v.toUpperCase() === 'UK' ? 'GB' : v.toUpperCase();
    return isCountryCode(code) ? code : undefined;
  }
  return nameIndex().get(v.toLowerCase());
}

export const countryName = memoize((code) => regionNames.of(code) ?? code, 1_000);
