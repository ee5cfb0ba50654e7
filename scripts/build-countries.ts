/**
 * Builds shared/domain/countries.generated.json: the current ISO 3166-1 alpha-2 codes with the
 * names partners write for them, and the codes that are not current (withdrawn or reserved) with
 * the current codes that replaced them. The Lambda then carries a small table, not the libraries.
 * Run: npx tsx scripts/build-countries.ts
 *
 *   iso-3166            the current codes (ISO 3166-1), the withdrawn ones and what replaced them
 *                       (ISO 3166-3), and the reserved ones
 *   i18n-iso-countries  English names with their common short forms ("UK", "USA"), and each
 *                       country's name in its official languages ("Suisse", "Svizzera")
 *   countries-list      native names ("Deutschland") and each country's official languages
 *
 * Two countries never share a name: the build fails unless the name is in AMBIGUOUS, which drops it.
 */
import { writeFileSync } from 'node:fs';
import { countries as countryFacts } from 'countries-list';
import i18nCountries from 'i18n-iso-countries';
import { iso31661, iso31661Reserved, iso31663 } from 'iso-3166';
import { normaliseCountryName } from '../shared/domain/country-name.js';

/** Short forms partners write that the libraries lack. */
const EXTRA_NAMES: Record<string, string[]> = {
  GB: ['England', 'Scotland', 'Wales', 'Northern Ireland', 'Britain'],
  NL: ['Holland'],
  // North Korea is no CSP market: "Korea" on a customer's row is South Korea.
  KR: ['Korea'],
};

/** Names more than one country claims; dropped, so such a row is refused rather than guessed. */
const AMBIGUOUS = new Set(['congo']);

export interface NotCurrent {
  /** What the code stood for. */
  name: string;
  withdrawn: boolean;
  /** The current codes that replaced it (withdrawn) or that its name is now (reserved). */
  now: string[];
}

export interface CountryTable {
  /** Each current code's normalised names, codes sorted. */
  names: Record<string, string[]>;
  /** Codes that are not current ISO 3166-1 codes, sorted. */
  notCurrent: Record<string, NotCurrent>;
}

function sorted<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/**
 * Each current code's names from the names each source gives it (normalised name → codes that
 * claim it). Throws when two codes claim a name not in `ambiguous` (which drops it), when a name
 * in `ambiguous` is claimed by one code only, or when a two-letter name is another country's code.
 */
export function assignNames(claims: Map<string, Set<string>>, current: string[], ambiguous: Set<string>): Record<string, string[]> {
  const names: Record<string, string[]> = Object.fromEntries(current.map((code) => [code, [] as string[]]));
  const clashes: string[] = [];
  for (const [key, codes] of claims) {
    const [only, ...others] = [...codes];
    if (others.length > 0) {
      if (!ambiguous.has(key)) clashes.push(`"${key}" (${[...codes].join(', ')})`);
      continue;
    }
    if (ambiguous.has(key)) throw new Error(`"${key}" is listed as ambiguous but only ${only} claims it: remove it from AMBIGUOUS`);
    if (key.length === 2 && current.includes(key.toUpperCase()) && key.toUpperCase() !== only) {
      clashes.push(`"${key}" (a name of ${only}, the code of ${key.toUpperCase()})`);
    }
    names[only!]!.push(key);
  }
  if (clashes.length > 0) throw new Error(`Country names claimed by two countries: ${clashes.join('; ')}`);
  for (const list of Object.values(names)) list.sort();
  return names;
}

export function countryTable(): CountryTable {
  const current = iso31661.map((c) => c.alpha2);
  const claims = new Map<string, Set<string>>();
  const claim = (code: string, name: string | undefined) => {
    const key = name ? normaliseCountryName(name) : '';
    if (!key) return;
    const codes = claims.get(key) ?? new Set<string>();
    codes.add(code);
    claims.set(key, codes);
  };
  for (const code of current) {
    const english = i18nCountries.getName(code, 'en', { select: 'all' }) ?? [];
    if (english.length === 0) throw new Error(`i18n-iso-countries has no English name for ${code}`);
    for (const name of english) claim(code, name);
    const facts = countryFacts[code as keyof typeof countryFacts];
    if (facts) {
      claim(code, facts.native);
      for (const language of facts.languages) {
        if (!i18nCountries.langs().includes(language)) continue;
        for (const name of i18nCountries.getName(code, language, { select: 'all' }) ?? []) claim(code, name);
      }
    }
    for (const name of EXTRA_NAMES[code] ?? []) claim(code, name);
  }

  const names = assignNames(claims, current, AMBIGUOUS);
  const codeOfName = new Map(Object.entries(names).flatMap(([code, list]) => list.map((n) => [n, code] as const)));
  const notCurrent: Record<string, NotCurrent> = {};
  // A withdrawn code's successor may itself be withdrawn (Yugoslavia → Serbia and Montenegro → RS, ME).
  const successors = (alpha3: string): string[] => {
    const entry = iso31663.find((e) => e.from.alpha3 === alpha3);
    if (!entry) return [];
    return entry.to.flatMap((to) => (to.state === 'assigned' ? [to.alpha2] : successors(to.alpha3)));
  };
  for (const entry of iso31663) {
    const code = entry.from.alpha2;
    if (current.includes(code)) continue; // reassigned since (GE was the Gilbert Islands)
    const known = notCurrent[code];
    const now = [...new Set([...(known?.now ?? []), ...successors(entry.from.alpha3)])].sort();
    notCurrent[code] = { name: known ? `${known.name}; ${entry.from.name}` : entry.from.name, withdrawn: true, now };
  }
  for (const entry of iso31661Reserved) {
    if (notCurrent[entry.alpha2] || current.includes(entry.alpha2)) continue;
    const now = codeOfName.get(normaliseCountryName(entry.name));
    notCurrent[entry.alpha2] = { name: entry.name, withdrawn: false, now: now ? [now] : [] };
  }
  for (const code of Object.keys(notCurrent)) {
    if (codeOfName.has(code.toLowerCase()) && notCurrent[code]!.withdrawn) {
      throw new Error(`withdrawn code ${code} is also a country name`);
    }
  }
  return { names: sorted(names), notCurrent: sorted(notCurrent) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const table = countryTable();
  const out = new URL('../shared/domain/countries.generated.json', import.meta.url);
  const data = {
    source: 'iso-3166, i18n-iso-countries, countries-list',
    note: 'Generated by scripts/build-countries.ts; names are normalised as shared/domain/country-name.ts does.',
    ...table,
  };
  // One line a code, so a library update's diff reads country by country.
  const lines = (record: Record<string, unknown>) =>
    Object.entries(record)
      .map(([code, value]) => `  ${JSON.stringify(code)}: ${JSON.stringify(value)}`)
      .join(',\n');
  const text =
    `{\n "source": ${JSON.stringify(data.source)},\n "note": ${JSON.stringify(data.note)},\n` +
    ` "names": {\n${lines(data.names)}\n },\n "notCurrent": {\n${lines(data.notCurrent)}\n }\n}\n`;
  writeFileSync(out, text);
  const count = Object.values(table.names).reduce((n, list) => n + list.length, 0);
  process.stdout.write(
    `Wrote ${Object.keys(table.names).length} current codes, ${count} names, ${Object.keys(table.notCurrent).length} codes not current.\n`,
  );
}
