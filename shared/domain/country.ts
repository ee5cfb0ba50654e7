/**
 * Country values as partners write them: current ISO 3166-1 alpha-2 codes ("IT", "it"), English
 * names and their short forms ("Italy", "UK", "USA"), and native names ("Italia", "Deutschland").
 * The codes and names are countries.generated.json (scripts/build-countries.ts, from iso-3166,
 * i18n-iso-countries and countries-list); the English names the runtime's Intl gives current
 * codes ("Laos", "Bosnia & Herzegovina") are read too. Withdrawn codes (SU, YU, FX) are never
 * a country: they are refused, with the codes that replaced them.
 */
import { memoize } from '../columnar/memo.js';
import table from './countries.generated.json' with { type: 'json' };
import { normaliseCountryName } from './country-name.js';

interface NotCurrent {
  name: string;
  withdrawn: boolean;
  now: string[];
}

const names: Record<string, string[]> = table.names;
const notCurrent: Record<string, NotCurrent> = table.notCurrent;

/** The current ISO 3166-1 alpha-2 codes. */
export const COUNTRY_CODES: readonly string[] = Object.keys(names);
const currentCodes = new Set(COUNTRY_CODES);

const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });
const shortRegionNames = new Intl.DisplayNames(['en'], { type: 'region', style: 'short', fallback: 'code' });

let byName: Map<string, string> | undefined;

/** Normalised name → code: the table's names, then Intl's English names of current codes. */
function nameIndex(): Map<string, string> {
  if (byName) return byName;
  const index = new Map<string, string>();
  for (const code of COUNTRY_CODES) for (const name of names[code]!) index.set(name, code);
  // Intl's names are CLDR's and change with the runtime: one the table gives another country,
  // or two countries share, is dropped rather than guessed (country.test.ts finds none today).
  const fromIntl = new Map<string, string | null>();
  for (const code of COUNTRY_CODES) {
    for (const display of [regionNames, shortRegionNames]) {
      const name = normaliseCountryName(display.of(code) ?? '');
      if (!name || index.has(name)) continue;
      const other = fromIntl.get(name);
      fromIntl.set(name, other === undefined || other === code ? code : null);
    }
  }
  for (const [name, code] of fromIntl) if (code) index.set(name, code);
  byName = index;
  return index;
}

/** Whether `code` is a current ISO 3166-1 alpha-2 code, upper case. */
export function isCountryCode(code: string): boolean {
  return currentCodes.has(code);
}

/**
 * Upper-case current ISO 3166-1 alpha-2 code for a code or a country name; undefined when unknown
 * or withdrawn. Memoised: a file repeats few values over a million rows.
 */
export const toCountryCode = memoize(lookupCountryCode, 10_000);

function lookupCountryCode(value: string): string | undefined {
  const v = value.trim();
  if (v.length === 2) {
    const code = v.toUpperCase();
    if (currentCodes.has(code)) return code;
  }
  return nameIndex().get(normaliseCountryName(v));
}

/**
 * Why a value that is not a current code is refused, when the standard says: `"SU" was withdrawn
 * from ISO 3166-1 (USSR); its countries are now AM, AZ, …`. Empty for values it knows nothing of.
 */
export function notCurrentReason(value: string): string {
  const code = value.trim().toUpperCase();
  const entry = notCurrent[code];
  if (!entry || currentCodes.has(code)) return '';
  const what = entry.withdrawn ? 'was withdrawn from ISO 3166-1' : 'is reserved in ISO 3166-1, not assigned';
  const now =
    entry.now.length === 0
      ? ''
      : entry.now.length === 1
        ? `; the current code is ${entry.now[0]}`
        : `; its countries are now ${entry.now.join(', ')}`;
  return `"${code}" ${what} (${entry.name})${now}`;
}

export const countryName = memoize((code) => regionNames.of(code) ?? code, 1_000);
