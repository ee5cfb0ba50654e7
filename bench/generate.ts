/**
 * A seeded generator of realistic customer CSVs for the benchmarks. Deterministic: the same
 * `rows` and `seed` always give the same bytes. Streams to a file in ~256 KB writes, honouring
 * backpressure, so a million rows never sit in memory.
 *
 *   npx tsx bench/generate.ts --rows 1000000 --seed 42 --out /tmp/customers-1m.csv
 *
 * What the data looks like (per customer, then per subscription):
 * - 1–40 subscriptions per customer (≈ 8 on average, long-tailed), all rows of a customer together;
 * - company names from word lists, some with commas ("Fabrikam, Inc.") and quotes
 *   ('The "Blue Yonder" Group'), CSV-quoted as RFC 4180 asks;
 * - countries: ≈ 97% the partner's (US; a tenth of them as "United States" or blank), ≈ 3% others
 *   (GB, CA, DE, …), which the planner marks ineligible (country_mismatch);
 * - GUID customer and subscription ids; ≈ 15% add-ons whose base_subscription_id is an earlier
 *   row of the same customer;
 * - ≈ 20 real Microsoft 365 offers with realistic prices, a few discontinued ones (mostly with a
 *   target offer), ≈ 10% upgrades through target_offer;
 * - seats 1–2000 (log-uniform), auto_renew as true/false/yes/no, several licensing programs,
 *   statuses (mostly Active, some Suspended/Pending/Deleted);
 * - end dates spread over 15 months from 2026-12-01 (a third on a month end), ≈ 2% already past;
 * - ≈ 1% invalid rows (impossible or unreadable dates, zero/negative/non-numeric seats, a
 *   missing offer) so errors.csv is exercised, and ≈ 4% blank contact e-mails (warnings).
 */
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';

export const HEADERS = [
  'customer_id',
  'customer_name',
  'contact_email',
  'country',
  'subscription_id',
  'offer',
  'target_offer',
  'seats',
  'licensing_program',
  'end_date',
  'start_date',
  'auto_renew',
  'unit_price_monthly',
  'base_subscription_id',
  'status',
] as const;

export interface GenerateOptions {
  rows: number;
  seed: number;
  path: string;
  /** First day of the 15-month window of end dates (ISO); default 2026-12-01. */
  from?: string;
}

export interface GenerateResult {
  rows: number;
  bytes: number;
  customers: number;
  addOns: number;
  invalid: number;
  foreign: number;
}

// --- PRNG: sfc32 seeded through splitmix32 (Math.random cannot be seeded) ---------------------

export type Rng = () => number;

export function sfc32(seed: number): Rng {
  let s = seed >>> 0;
  const split = () => {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split(),
    b = split(),
    c = split(),
    d = split();
  const next = () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 12; i++) next();
  return () => next() / 4294967296;
}

// --- vocabulary ------------------------------------------------------------------------------

const NAME_WORDS = [
  'Contoso',
  'Fabrikam',
  'Northwind',
  'Adventure Works',
  'Tailspin',
  'Wingtip',
  'Litware',
  'Proseware',
  'Woodgrove',
  'Alpine Ski',
  'Coho',
  'Lucerne',
  'Margie’s',
  'Trey',
  'Wide World',
  'Blue Yonder',
  'Humongous',
  'Graphic Design',
  'Fourth Coffee',
  'Relecloud',
  'VanArsdel',
  'Datum',
  'Consolidated',
  'Southridge',
  'Bellows',
  'Lakeshore',
  'Pinecrest',
  'Redwood',
  'Summit',
  'Harbor',
  'Granite',
  'Cedar',
  'Maple',
  'Riverbend',
  'Ironwood',
  'Silverline',
  'Brightwater',
  'Oakridge',
  'Eastgate',
  'Westfield',
  'Highland',
  'Meadow',
  'Sterling',
  'Keystone',
  'Crescent',
  'Evergreen',
];
const NAME_KINDS = [
  'Ltd',
  'Inc.',
  'LLC',
  'Corp.',
  'Group',
  'Partners',
  'Holdings',
  'Industries',
  'Labs',
  'Health',
  'Logistics',
  'Consulting',
  'Manufacturing',
  'Bank',
  'Insurance',
  'Foods',
  'Airlines',
  'Dental',
  'Law Office',
  'School District',
];

interface Offer {
  name: string;
  price: number;
  weight: number;
  addOn?: boolean;
  upgrade?: string;
  discontinued?: boolean;
}

/** ≈ 20 real offer names, weights ~ how often partners see them; prices per seat per month. */
const OFFERS: Offer[] = [
  { name: 'Microsoft 365 Business Basic', price: 6, weight: 12, upgrade: 'Microsoft 365 Business Standard' },
  { name: 'Microsoft 365 Business Standard', price: 12.5, weight: 14, upgrade: 'Microsoft 365 Business Premium' },
  { name: 'Microsoft 365 Business Premium', price: 22, weight: 9 },
  { name: 'Microsoft 365 Apps for business', price: 8.25, weight: 4 },
  { name: 'Microsoft 365 Apps for enterprise', price: 12, weight: 4 },
  { name: 'Office 365 E1', price: 10, weight: 6, upgrade: 'Office 365 E3' },
  { name: 'Office 365 E3', price: 23, weight: 10, upgrade: 'Microsoft 365 E3' },
  { name: 'Office 365 E5', price: 38, weight: 3 },
  { name: 'Microsoft 365 E3', price: 36, weight: 6 },
  { name: 'Microsoft 365 E5', price: 57, weight: 2 },
  { name: 'Exchange Online (Plan 1)', price: 4, weight: 6 },
  { name: 'Exchange Online (Plan 2)', price: 8, weight: 2 },
  { name: 'Project Plan 3', price: 30, weight: 2 },
  { name: 'Visio Plan 2', price: 15, weight: 2 },
  { name: 'Power BI Pro', price: 14, weight: 4 },
  { name: 'Office 365 E4', price: 22, weight: 1, discontinued: true, upgrade: 'Office 365 E5' },
  { name: 'Skype for Business Online Plan 2', price: 5.5, weight: 0.5, discontinued: true, upgrade: 'Microsoft Teams Essentials' },
  // add-ons: attached to a base subscription of the same customer
  { name: 'Microsoft 365 Audio Conferencing', price: 4, weight: 3, addOn: true },
  { name: 'Exchange Online Archiving', price: 3, weight: 3, addOn: true },
  { name: 'Microsoft Defender for Office 365 (Plan 1)', price: 2, weight: 3, addOn: true },
  { name: 'Microsoft 365 E5 Security', price: 12, weight: 1, addOn: true },
];
const BASE_OFFERS = OFFERS.filter((o) => !o.addOn);
const ADDON_OFFERS = OFFERS.filter((o) => o.addOn);

const PROGRAMS: [string, number][] = [
  ['Enterprise Agreement', 25],
  ['Open Value', 20],
  ['Open', 20],
  ['Web Direct', 15],
  ['Volume Licensing Enterprise', 10],
  ['Open Value Subscription', 5],
  ['', 5],
];
const FOREIGN = ['GB', 'CA', 'DE', 'FR', 'IT', 'AU', 'NL', 'ES', 'MX', 'JP', 'Ireland', 'Germany'];
const STATUSES: [string, number][] = [
  ['Active', 94],
  ['Suspended', 2],
  ['Pending', 2],
  ['Deleted', 0.7],
  ['', 1.3],
];
const AUTO_RENEW: [string, number][] = [
  ['true', 45],
  ['false', 30],
  ['yes', 10],
  ['no', 10],
  ['', 5],
];
const BAD_DATES = ['2027-02-30', '2027-13-01', '31/31/2027', 'soon', 'N/A', '2027-04-31'];
const BAD_SEATS = ['0', '-5', 'ten', '0', '12.5', ''];

const DAY_MS = 86_400_000;
const WINDOW_DAYS = 456; // 15 months

// --- generator -------------------------------------------------------------------------------

function weighted<T>(rng: Rng, table: [T, number][]): T {
  let total = 0;
  for (const [, w] of table) total += w;
  let x = rng() * total;
  for (const [v, w] of table) {
    x -= w;
    if (x < 0) return v;
  }
  return table[table.length - 1]![0];
}

function pick<T>(rng: Rng, list: readonly T[]): T {
  return list[Math.floor(rng() * list.length)]!;
}

const HEX = '0123456789abcdef';
function guid(rng: Rng): string {
  let s = '';
  for (let i = 0; i < 32; i++) {
    if (i === 8 || i === 12 || i === 16 || i === 20) s += '-';
    const nibble = i === 12 ? 4 : i === 16 ? 8 + Math.floor(rng() * 4) : Math.floor(rng() * 16);
    s += HEX[nibble];
  }
  return s;
}

/** RFC 4180: quote a field holding a delimiter, quote or line break; double inner quotes. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function iso(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function companyName(rng: Rng): string {
  const word = pick(rng, NAME_WORDS);
  const kind = pick(rng, NAME_KINDS);
  const r = rng();
  if (r < 0.12) return `${word}, ${kind}`; // comma inside the value
  if (r < 0.17) return `The "${word}" ${kind}`; // quotes inside the value
  if (r < 0.2) return `${word} & ${pick(rng, NAME_WORDS)}, ${kind}`;
  if (r < 0.22) return `O'${word} ${kind}`;
  return `${word} ${kind}`;
}

function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '')
      .slice(0, 20) || 'customer'
  );
}

/** Subscriptions per customer: 1–40, long-tailed, mean ≈ 8. */
function subscriptionCount(rng: Rng): number {
  return Math.min(40, 1 + Math.floor(-Math.log(1 - rng()) * 7.3));
}

export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  const rng = sfc32(options.seed);
  const from = Date.parse(`${options.from ?? '2026-12-01'}T00:00:00Z`);
  const out = createWriteStream(options.path);
  const result: GenerateResult = { rows: 0, bytes: 0, customers: 0, addOns: 0, invalid: 0, foreign: 0 };
  let buffer = `${HEADERS.join(',')}\r\n`;
  const flush = async () => {
    result.bytes += Buffer.byteLength(buffer);
    if (!out.write(buffer)) await new Promise<void>((resolve) => out.once('drain', resolve));
    buffer = '';
  };

  let customerSerial = 0;
  while (result.rows < options.rows) {
    customerSerial++;
    result.customers++;
    const customerId = guid(rng);
    const name = companyName(rng);
    const email =
      rng() < 0.04 ? '' : `${pick(rng, ['it-admin', 'licensing', 'admin', 'it', 'procurement'])}@${slug(name)}${customerSerial}.com`;
    const foreign = rng() < 0.03;
    if (foreign) result.foreign++;
    const country = foreign ? pick(rng, FOREIGN) : rng() < 0.9 ? 'US' : rng() < 0.5 ? 'United States' : '';
    const program = weighted(rng, PROGRAMS);
    // A customer's subscriptions often share an anniversary: a customer-level base end date.
    const anniversary = from + Math.floor(rng() * WINDOW_DAYS) * DAY_MS;
    const autoRenewDefault = weighted(rng, AUTO_RENEW);
    const n = Math.min(subscriptionCount(rng), options.rows - result.rows);
    const bases: { id: string; end: number }[] = [];

    for (let k = 0; k < n; k++) {
      const subscriptionId = guid(rng);
      const isAddOn = bases.length > 0 && rng() < 0.17;
      const offer = isAddOn ? pick(rng, ADDON_OFFERS) : pickOffer(rng);
      const base = isAddOn ? pick(rng, bases) : undefined;
      let end: number;
      if (base)
        end = base.end; // add-ons co-terminate with their base
      else if (rng() < 0.02)
        end = from - Math.floor(rng() * 120) * DAY_MS; // already past: grace or lapsed
      else if (rng() < 0.5) end = anniversary;
      else {
        end = from + Math.floor(rng() * WINDOW_DAYS) * DAY_MS;
        if (rng() < 0.33) {
          const d = new Date(end);
          end = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0); // month end
        }
      }
      const termYears = rng() < 0.7 ? 1 : 3;
      const start = end - termYears * 365 * DAY_MS + DAY_MS;
      const seats = Math.max(1, Math.round(Math.exp(rng() * Math.log(2000))));
      let target = '';
      if (offer.discontinued) target = rng() < 0.85 ? offer.upgrade! : '';
      else if (offer.upgrade && rng() < 0.1) target = offer.upgrade;
      const price = (offer.price * (0.9 + rng() * 0.2)).toFixed(2);
      const autoRenew = rng() < 0.8 ? autoRenewDefault : weighted(rng, AUTO_RENEW);
      const status = weighted(rng, STATUSES);

      let endText = iso(end);
      let seatsText = String(seats);
      let offerText = offer.name;
      if (rng() < 0.01) {
        result.invalid++;
        const what = rng();
        if (what < 0.45) endText = pick(rng, BAD_DATES);
        else if (what < 0.9) seatsText = pick(rng, BAD_SEATS);
        else offerText = '';
      }

      buffer +=
        `${customerId},${csvField(name)},${email},${csvField(country)},${subscriptionId},${csvField(offerText)},${csvField(target)},` +
        `${seatsText},${csvField(program)},${csvField(endText)},${iso(start)},${autoRenew},${price},${base ? base.id : ''},${status}\r\n`;
      result.rows++;
      if (base) result.addOns++;
      else if (!offer.addOn) bases.push({ id: subscriptionId, end });
      if (buffer.length >= 256 * 1024) await flush();
    }
  }
  if (buffer.length > 0) await flush();
  await finished(out.end());
  return result;
}

const BASE_TABLE: [Offer, number][] = BASE_OFFERS.map((o) => [o, o.weight]);
function pickOffer(rng: Rng): Offer {
  return weighted(rng, BASE_TABLE);
}

// --- command line ----------------------------------------------------------------------------

function argValue(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i === -1 ? undefined : args[i + 1];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const rows = Number(argValue(args, '--rows') ?? 10_000);
  const seed = Number(argValue(args, '--seed') ?? 42);
  const path = argValue(args, '--out') ?? `customers-${rows}.csv`;
  const t0 = performance.now();
  const r = await generate({ rows, seed, path });
  process.stdout.write(`${path}: ${JSON.stringify(r)} in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
}
