/**
 * The one spelling of a country name that lookups compare: the build of the country table
 * (scripts/build-countries.ts) and each looked-up value go through the same function, so
 * "Côte d'Ivoire", "COTE D’IVOIRE" and "cote divoire" meet.
 */
export function normaliseCountryName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // accents: "España" = "Espana", "Türkiye" = "Turkiye"
    .normalize('NFC') // other scripts (Hangul, Devanagari) as written
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/['’ʼ.]/g, '') // "U.S.A." = "USA", "d'Ivoire" = "dIvoire"
    .replace(/[^\p{L}\p{M}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .map((word) => (word === 'st' ? 'saint' : word))
    .join(' ')
    .replace(/^the /, '');
}
