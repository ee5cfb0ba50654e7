import { describe, expect, it } from 'vitest';
import { assignNames, countryTable } from '../../scripts/build-countries.js';
import table from '../../shared/domain/countries.generated.json' with { type: 'json' };
import { COUNTRY_CODES, isCountryCode, notCurrentReason, toCountryCode } from '../../shared/domain/country.js';
import { normaliseCountryName } from '../../shared/domain/country-name.js';
import { parseSettings, SettingsError } from '../../shared/domain/partner-settings.js';

/** Codes Intl still names (as their successors) that ISO 3166-1 has withdrawn. */
const WITHDRAWN = { FX: 'FR', SU: 'RU', DD: 'DE', YU: 'RS', ZR: 'CD', DY: 'BJ', HV: 'BF', TP: 'TL', CS: 'RS', BU: 'MM' };

function settingsError(country: string): string {
  try {
    parseSettings({ country });
  } catch (error) {
    expect(error).toBeInstanceOf(SettingsError);
    return (error as SettingsError).message;
  }
  throw new Error(`settings with country ${country} were accepted`);
}

describe('the compiled country table', () => {
  it('equals what the libraries give today (npx tsx scripts/build-countries.ts rebuilds it)', () => {
    const { names, notCurrent } = countryTable();
    expect(table.names).toEqual(names);
    expect(table.notCurrent).toEqual(notCurrent);
  });

  it('holds the 249 current ISO 3166-1 codes, and no withdrawn or user-assigned one', () => {
    expect(COUNTRY_CODES).toHaveLength(249);
    for (const code of [...Object.keys(WITHDRAWN), 'UK', 'EU', 'XK', 'ZZ']) expect(isCountryCode(code), code).toBe(false);
  });

  it('fails the build when two countries claim a name, unless the name is dropped on purpose', () => {
    const claims = new Map([
      ['congo', new Set(['CD', 'CG'])],
      ['italia', new Set(['IT'])],
    ]);
    expect(() => assignNames(claims, ['CD', 'CG', 'IT'], new Set())).toThrow(/"congo" \(CD, CG\)/);
    expect(assignNames(claims, ['CD', 'CG', 'IT'], new Set(['congo']))).toEqual({ CD: [], CG: [], IT: ['italia'] });
    expect(() => assignNames(claims, ['CD', 'CG', 'IT'], new Set(['congo', 'italia']))).toThrow(/only IT claims it/);
    expect(() => assignNames(new Map([['it', new Set(['GB'])]]), ['GB', 'IT'], new Set())).toThrow(/the code of IT/);
  });
});

describe('country values in the upload', () => {
  it('maps every current code to itself, in any case', () => {
    for (const code of COUNTRY_CODES) {
      expect(toCountryCode(code)).toBe(code);
      expect(toCountryCode(code.toLowerCase())).toBe(code);
    }
  });

  it.each(Object.keys(WITHDRAWN))('refuses the withdrawn code %s', (code) => {
    expect(toCountryCode(code)).toBeUndefined();
    expect(toCountryCode(code.toLowerCase())).toBeUndefined();
  });

  it.each([
    ['UK', 'GB'],
    ['uk', 'GB'],
    ['United Kingdom', 'GB'],
    ['Great Britain', 'GB'],
    ['England', 'GB'],
    ['France', 'FR'],
    ['Russia', 'RU'],
    ['Serbia', 'RS'],
    ['Benin', 'BJ'],
    ['Burkina Faso', 'BF'],
    ['Timor-Leste', 'TL'],
    ['Democratic Republic of the Congo', 'CD'],
    ['Congo - Kinshasa', 'CD'],
    ['USA', 'US'],
    ['U.S.A.', 'US'],
    ['United States', 'US'],
    ['Holland', 'NL'],
    ['The Netherlands', 'NL'],
    ['South Korea', 'KR'],
    ['Czech Republic', 'CZ'],
    ['Czechia', 'CZ'],
    ['Turkey', 'TR'],
    ['Türkiye', 'TR'],
    ['Turkiye', 'TR'],
    ['Deutschland', 'DE'],
    ['Italia', 'IT'],
    ['España', 'ES'],
    ['espana', 'ES'],
    ['Suisse', 'CH'],
    ['Svizzera', 'CH'],
    ["Côte d'Ivoire", 'CI'],
    ['COTE D’IVOIRE', 'CI'],
    ['Laos', 'LA'],
    ['Bosnia & Herzegovina', 'BA'],
    ['St. Kitts & Nevis', 'KN'],
    ['  Italy  ', 'IT'],
  ])('reads %s as %s', (name, code) => {
    expect(toCountryCode(name)).toBe(code);
  });

  it('refuses names it cannot tell apart or does not know', () => {
    expect(toCountryCode('Congo')).toBeUndefined(); // CD or CG
    expect(toCountryCode('Atlantis')).toBeUndefined();
    expect(toCountryCode('Kosovo')).toBeUndefined(); // XK is user-assigned, not ISO 3166-1
  });

  it('reads every English name Intl gives a current code as that code, and no name as a withdrawn one', () => {
    const long = new Intl.DisplayNames(['en'], { type: 'region' });
    const short = new Intl.DisplayNames(['en'], { type: 'region', style: 'short' });
    for (const code of COUNTRY_CODES) {
      expect(toCountryCode(long.of(code)!), long.of(code)).toBe(code);
      expect(toCountryCode(short.of(code)!), short.of(code)).toBe(code);
    }
    // Intl names withdrawn codes too (SU as "Russia"): a name must still give the current code.
    const named = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });
    for (let a = 65; a <= 90; a++) {
      for (let b = 65; b <= 90; b++) {
        const name = named.of(String.fromCharCode(a, b))!;
        const code = toCountryCode(name);
        if (code !== undefined) expect(isCountryCode(code), `${name} → ${code}`).toBe(true);
      }
    }
  });

  it('compares names without case, accents, punctuation or a leading "the"', () => {
    expect(normaliseCountryName("  The Côte-d'Ivoire ")).toBe('cote divoire');
    expect(normaliseCountryName('St. Lucia')).toBe(normaliseCountryName('Saint Lucia'));
    expect(normaliseCountryName('Bosnia & Herzegovina')).toBe('bosnia and herzegovina');
    expect(normaliseCountryName('대한민국')).toBe('대한민국');
  });

  it('says which current codes replaced a withdrawn one', () => {
    expect(notCurrentReason('fx')).toBe('"FX" was withdrawn from ISO 3166-1 (France, Metropolitan); the current code is FR');
    expect(notCurrentReason('YU')).toBe('"YU" was withdrawn from ISO 3166-1 (Yugoslavia); its countries are now ME, RS');
    expect(notCurrentReason('SU')).toMatch(/^"SU" was withdrawn from ISO 3166-1 \(USSR\); its countries are now AM, .*RU/);
    expect(notCurrentReason('UK')).toBe('"UK" is reserved in ISO 3166-1, not assigned (United Kingdom); the current code is GB');
    expect(notCurrentReason('GB')).toBe('');
    expect(notCurrentReason('Atlantis')).toBe('');
  });
});

describe('the partner country', () => {
  it('is a current ISO 3166-1 code, in any case', () => {
    expect(parseSettings({ country: 'gb' }).country).toBe('GB');
    expect(parseSettings({ country: ' RS ' }).country).toBe('RS');
  });

  it.each(Object.entries(WITHDRAWN))('refuses the withdrawn code %s, naming it and what replaced it (%s)', (code, now) => {
    const message = settingsError(code);
    expect(message).toContain('"country" must be a current ISO 3166-1 alpha-2 country code');
    expect(message).toContain(`"${code}" was withdrawn from ISO 3166-1`);
    expect(message).toContain(now);
  });

  it('refuses UK, names, and codes it does not know, naming the value', () => {
    expect(settingsError('UK')).toContain('"UK" is reserved in ISO 3166-1, not assigned (United Kingdom); the current code is GB');
    expect(settingsError('United Kingdom')).toContain('"United Kingdom" is not one');
    expect(settingsError('XK')).toContain('"XK" is not one');
    expect(settingsError('EU')).toContain('"EU" is reserved in ISO 3166-1, not assigned (European Union)');
  });
});
