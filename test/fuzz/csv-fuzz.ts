/**
 * R4: generated CSV files for the ingest + plan pipeline, and the property they must all hold.
 *
 * A case is a file as partners' tools write them — random header subsets, orders, aliases, case
 * and separators; quoting with embedded delimiters, quotes and line breaks; `,` `;` or tab;
 * UTF-8 with or without BOM, Windows-1252, now and then UTF-16; CRLF, LF or CR; blank and
 * ragged rows; values valid and invalid for every column — and sometimes junk on top (stray
 * bytes, a stray quote, truncation, control characters, a workbook's magic number).
 *
 * The generator knows what it wrote, so besides the invariants that hold for any file it
 * predicts, for files without junk, the outcome: which file-level failure, or how many data
 * rows (and blank rows) the ingest must count.
 */
import { Readable, Writable } from 'node:stream';
import fc from 'fast-check';
import { COLUMNS } from '../../shared/csv/header-aliases.js';
import { writeErrorsCsv, writePlanCsv } from '../../shared/csv/writers.js';
import { FILE_CODES, type FileCode, FileError, ROW_CODES, type RowCode } from '../../shared/domain/codes.js';
import { COLUMN_NAMES, type ColumnName, REQUIRED_COLUMNS } from '../../shared/domain/columns.js';
import { isoToDay } from '../../shared/domain/dates.js';
import { type PartnerSettingsInput, parseSettings } from '../../shared/domain/partner-settings.js';
import { REJECTED } from '../../shared/domain/portfolio/portfolio.js';
import { renderReportHtml } from '../../shared/report/html.js';
import { planFile, planReport } from '../../shared/use-cases/plan-file.js';

// --- the generated file ----------------------------------------------------------------------

export type Encoding = 'utf-8' | 'utf-8-bom' | 'windows-1252' | 'utf-16le-bom' | 'utf-16be-bom' | 'utf-16le';
export type Delimiter = ',' | ';' | '\t';
export type Eol = '\n' | '\r\n' | '\r';

export interface Expectation {
  /** The outcome must be a FileError with one of these codes. */
  fileError?: FileCode[];
  /** Otherwise the file must be read, with exactly this many data rows … */
  dataRows?: number;
  /** … and blank rows. */
  blankRows?: number;
}

export interface CsvCase {
  bytes: Buffer;
  /** Sizes the bytes arrive in (the rest in one last chunk), as a network stream splits them. */
  chunks: number[];
  settings: PartnerSettingsInput;
  today: string;
  maxRows?: number | undefined;
  maxBytes?: number | undefined;
  expect: Expectation;
  /** The generator's choices, to read a counterexample. */
  knobs: Record<string, unknown>;
}

// --- values -----------------------------------------------------------------------------------

/** Control bytes the binary sniff counts; ordinary values never hold them (junk may). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is its purpose
const SNIFFED_CONTROLS = /[\u0000-\u0008\u000e-\u001a\u001c-\u001f]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function clean(value: string): string {
  return value.replace(SNIFFED_CONTROLS, '').replace(LONE_SURROGATE, '\ufffd');
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

const nasty: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '  \t ',
    '"',
    '""',
    '"quoted"',
    ',',
    ';',
    '\t',
    '\n',
    '\r\n',
    '\r',
    'a,b',
    'a;b',
    'a\tb',
    'say "hi", then\nleave',
    '=1+2',
    '+49 30 1234',
    '-3',
    '@SUM(A1)',
    '\u00a0',
    '\ufeff',
    'é',
    'Caffè Società',
    '€ 12',
    'Ünïcödé ÆØÅ',
    '日本語',
    '😀👍🏽',
    '\u2028',
    'null',
    'undefined',
    'NaN',
    '0x10',
    '1e309',
    "O'Brien",
    '\\',
    '\\"',
    'sep=;',
    '#',
  ),
  fc.string({ unit: 'grapheme', maxLength: 16 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.string({ maxLength: 24 }),
  fc.integer({ min: 1_001, max: 2_500 }).map((n) => 'x'.repeat(n)),
);

const dateText: fc.Arbitrary<string> = fc
  .record({
    y: fc.oneof(
      { weight: 8, arbitrary: fc.integer({ min: 2025, max: 2029 }) },
      { weight: 1, arbitrary: fc.integer({ min: 1890, max: 2115 }) },
    ),
    m: fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 1, max: 12 }) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 13 }) }),
    d: fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 1, max: 28 }) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 32 }) }),
    style: fc.nat({ max: 10 }),
  })
  .map(({ y, m, d, style }) => {
    const mon = MONTHS[(m + 11) % 12]!;
    switch (style) {
      case 0:
        return `${y}-${pad(m)}-${pad(d)}T00:00:00Z`;
      case 1:
        return `${d}/${m}/${y}`;
      case 2:
        return `${m}/${d}/${y}`;
      case 3:
        return `${pad(d)}.${pad(m)}.${y}`;
      case 4:
        return `${d}-${m}-${String(y).slice(2)}`;
      case 5:
        return `${d} ${mon} ${y}`;
      case 6:
        return `${mon} ${d}, ${y}`;
      case 7:
        return `${y}/${m}/${d} 10:30 AM`;
      case 8:
        return `${m}/${d}/${y} 0:00`;
      default:
        return `${y}-${pad(m)}-${pad(d)}`;
    }
  });

/** `arb` in `percent` % of the cases, else undefined. */
function sometimes<T>(arb: fc.Arbitrary<T>, percent: number): fc.Arbitrary<T | undefined> {
  return fc.oneof({ weight: 100 - percent, arbitrary: fc.constant(undefined) }, { weight: percent, arbitrary: arb });
}

const ids = (prefix: string, n: number) => fc.integer({ min: 1, max: n }).map((i) => `${prefix}${i}`);

const VALUES: Record<ColumnName, fc.Arbitrary<string>> = {
  customer_id: fc.oneof(ids('cust-', 6), fc.uuid(), fc.constantFrom('', '  ')),
  customer_name: fc.oneof(
    fc.constantFrom('Contoso Ltd', 'Fabrikam, Inc.', 'Baker "&" Lowe', 'Caffè Società', 'Müller GmbH', ''),
    fc.string({ minLength: 1, maxLength: 20 }),
  ),
  contact_email: fc.oneof(fc.constantFrom('admin@contoso.com', 'it@fabrikam.co.uk', '', 'not-an-address', 'a@b'), fc.emailAddress()),
  country: fc.constantFrom('', 'US', 'us', 'IT', 'DE', 'GB', 'UK', 'Italy', 'United States', 'Atlantis', 'ZZ', 'EU', 'Deutschland'),
  subscription_id: fc.oneof(ids('sub-', 25), fc.uuid(), fc.constantFrom('')),
  offer: fc.constantFrom(
    'Office 365 E3',
    'Office 365 E1',
    'Microsoft 365 Business Premium',
    'Office 365 E4',
    'Exchange Online Kiosk',
    'Legacy Plan (retired)',
    '',
    'Visio Plan 2',
  ),
  target_offer: fc.constantFrom('', 'Microsoft 365 E3', 'Office 365 E3', 'Office 365 E4', 'Microsoft 365 F3'),
  seats: fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: 1, max: 500 }).map(String) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        '0',
        '-5',
        '2.5',
        '1,000',
        '1.000',
        'ten',
        '1e3',
        '1000000000',
        '  7 ',
        '',
        '5 seats',
        '1000001',
        '1000000',
      ),
    },
    { weight: 1, arbitrary: fc.integer().map(String) },
    { weight: 1, arbitrary: fc.double().map(String) },
  ),
  licensing_program: fc.constantFrom('', 'Open', 'Open Value', 'Enterprise Agreement', 'Volume Licensing Enterprise', 'MOSP'),
  end_date: fc.oneof(
    { weight: 6, arbitrary: dateText },
    { weight: 1, arbitrary: fc.constantFrom('', 'soon', '2027-02-30', '31/04/2027', '13/13/2027', '1899-12-31', '46000', '2027-13-01') },
  ),
  start_date: fc.oneof(
    { weight: 4, arbitrary: dateText },
    { weight: 2, arbitrary: fc.constant('') },
    { weight: 1, arbitrary: fc.constantFrom('yesterday', '2027-02-29') },
  ),
  auto_renew: fc.constantFrom('', 'true', 'FALSE', 'yes', 'No', '1', '0', 'Y', 'n', 'on', 'off', 'maybe', 'sì'),
  unit_price_monthly: fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: 0, max: 20_000 }).map((c) => (c / 100).toFixed(2)) },
    { weight: 2, arbitrary: fc.constantFrom('', '12,50', '1.234,50', '1,234.50', '$20', 'EUR 20', '20 €', '-3', '200000', 'abc', '0') },
  ),
  base_subscription_id: fc.oneof(
    { weight: 5, arbitrary: fc.constant('') },
    { weight: 2, arbitrary: ids('sub-', 25) },
    { weight: 1, arbitrary: fc.constantFrom('missing-base', ' ') },
  ),
  status: fc.constantFrom('', 'Active', 'active', 'Suspended', 'Deleted', 'Expired', 'Pending', 'Disabled', 'provisioned', 'Frozen'),
  invitation_status: fc.constantFrom('', 'not_sent', 'sent', 'accepted', 'Accepted', 'perhaps'),
  invited_on: fc.constantFrom('', '2026-11-02', '02/11/2026', '2099-01-01', 'soon'),
  accepted_on: fc.constantFrom('', '2026-11-20', '2026-10-01', '13/11/2026'),
  provisioned_on: fc.constantFrom('', '2026-12-01', '31/02/2026'),
};

/** Values a row can be planned with (some ineligible, or with warnings). */
const VALID: Record<ColumnName, fc.Arbitrary<string>> = {
  customer_id: ids('cust-', 8),
  customer_name: fc.constantFrom(
    'Contoso Ltd',
    'Fabrikam, Inc.',
    'Baker "&" Lowe\nLegal',
    'Caffè Società',
    'Müller GmbH',
    'Ｆｕｌｌｗｉｄｔｈ',
    '=cmd|/C calc',
  ),
  contact_email: fc.oneof(fc.constantFrom('admin@contoso.com', 'it@fabrikam.co.uk', ''), fc.emailAddress()),
  country: fc.constantFrom('', '', 'US', 'IT', 'de', 'Italy', 'United States'),
  subscription_id: fc.uuid(),
  offer: fc.constantFrom('Office 365 E3', 'Office 365 E1', 'Microsoft 365 Business Premium', 'Office 365 E4', 'Visio Plan 2'),
  target_offer: fc.constantFrom('', '', 'Microsoft 365 E3'),
  seats: fc.integer({ min: 1, max: 2_000 }).map(String),
  licensing_program: VALUES.licensing_program,
  end_date: fc
    .integer({ min: isoToDay('2025-01-01'), max: isoToDay('2029-12-31') })
    .map((d) => new Date(d * 86_400_000).toISOString().slice(0, 10)),
  start_date: fc.constantFrom('', '2024-01-01', '2025-03-15T00:00:00Z'),
  auto_renew: fc.constantFrom('', 'true', 'FALSE', 'yes', 'No', '1', '0'),
  unit_price_monthly: fc.integer({ min: 0, max: 20_000 }).map((c) => (c / 100).toFixed(2)),
  base_subscription_id: fc.constant(''),
  status: fc.constantFrom('', 'Active', 'Suspended', 'Deleted', 'Expired', 'provisioned', 'Frozen'),
  invitation_status: fc.constantFrom('', 'not_sent', 'sent', 'accepted'),
  invited_on: fc.constantFrom('', '', '2026-11-02'),
  accepted_on: fc.constantFrom('', '', '2026-11-20'),
  provisioned_on: fc.constantFrom('', '', '2026-12-01'),
};

const UNKNOWN_VALUES = fc.oneof(fc.constantFrom('', 'north', '42', 'n/a'), nasty);

function valueFor(column: ColumnName | undefined, valid: boolean): fc.Arbitrary<string> {
  if (valid) return column ? VALID[column] : fc.constantFrom('', 'north', '42', 'n/a');
  const typical = column ? VALUES[column] : UNKNOWN_VALUES;
  return fc.oneof({ weight: 12, arbitrary: typical }, { weight: 1, arbitrary: nasty }).map(clean);
}

// --- headers ----------------------------------------------------------------------------------

interface HeaderCell {
  column: ColumnName | undefined;
  text: string;
}

const UNKNOWN_HEADERS = ['Notes', 'Region', 'Reseller', 'Tier', 'Comment', '', 'Col 7', 'x', 'Partner Center link'];

/** The words of a header ("CustomerTenantId", "customer_tenant_id" → customer, tenant, id). */
function words(name: string): string[] {
  return name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .split(/[\s_-]+/)
    .filter(Boolean);
}

interface HeaderStyle {
  alias: number;
  casing: 'as-is' | 'lower' | 'upper' | 'title';
  joiner: string;
  padding: string;
}

const headerStyle: fc.Arbitrary<HeaderStyle> = fc.record({
  alias: fc.nat(),
  casing: fc.constantFrom<HeaderStyle['casing']>('as-is', 'lower', 'upper', 'title'),
  joiner: fc.constantFrom('as-is', '_', ' ', '', '-', ' _ '),
  padding: fc.constantFrom('', '', '', ' ', '  '),
});

function spell(names: readonly string[], style: HeaderStyle): string {
  const name = names[style.alias % names.length]!;
  let text = style.joiner === 'as-is' ? name : words(name).join(style.joiner);
  if (style.casing === 'lower') text = text.toLowerCase();
  else if (style.casing === 'upper') text = text.toUpperCase();
  else if (style.casing === 'title') text = text.replace(/\b[a-z]/g, (c) => c.toUpperCase());
  return `${style.padding}${text}${style.padding}`;
}

const headerArb: fc.Arbitrary<HeaderCell[]> = fc
  .record({
    present: fc.tuple(...COLUMNS.map((c) => fc.noBias(fc.integer({ min: 0, max: 99 })).map((n) => n < (c.required ? 98 : 50)))),
    styles: fc.tuple(...COLUMNS.map(() => headerStyle)),
    unknown: fc.array(fc.record({ name: fc.constantFrom(...UNKNOWN_HEADERS), style: headerStyle }), { maxLength: 2 }),
    duplicate: sometimes(fc.record({ column: fc.nat({ max: COLUMNS.length - 1 }), style: headerStyle }), 10),
    order: fc.array(fc.noBias(fc.double({ min: 0, max: 1, noNaN: true })), { minLength: 20, maxLength: 20 }),
  })
  .map(({ present, styles, unknown, duplicate, order }) => {
    const cells: HeaderCell[] = [];
    COLUMNS.forEach((c, i) => {
      if (present[i]) cells.push({ column: c.name, text: spell([c.name, ...c.aliases], styles[i]!) });
    });
    for (const u of unknown) cells.push({ column: undefined, text: spell([u.name], { ...u.style, alias: 0 }) });
    if (duplicate) {
      const c = COLUMNS[duplicate.column]!;
      cells.push({ column: c.name, text: spell([c.name, ...c.aliases], duplicate.style) });
    }
    return cells
      .map((cell, i) => ({ cell, key: order[i % order.length]! + i * 1e-9 }))
      .sort((a, b) => a.key - b.key)
      .map((x) => x.cell);
  });

// --- rows -------------------------------------------------------------------------------------

type RowShape =
  | { kind: 'normal' }
  | { kind: 'blank'; style: '' | 'spaces' | 'delimiters' | 'quoted' }
  | { kind: 'short'; drop: number }
  | { kind: 'long'; extra: string[] };

interface RowSpec {
  values: string[];
  shape: RowShape;
}

const shapeArb: fc.Arbitrary<RowShape> = fc.oneof(
  { weight: 85, arbitrary: fc.constant({ kind: 'normal' } as const) },
  { weight: 5, arbitrary: fc.constantFrom('', 'spaces', 'delimiters', 'quoted').map((style) => ({ kind: 'blank', style }) as const) },
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 20 }).map((drop) => ({ kind: 'short', drop }) as const) },
  {
    weight: 6,
    arbitrary: fc
      .array(fc.oneof(fc.constantFrom('', ' ', 'surplus'), nasty.map(clean)), { minLength: 1, maxLength: 3 })
      .map((extra) => ({ kind: 'long', extra }) as const),
  },
);

function rowsArb(header: HeaderCell[]): fc.Arbitrary<RowSpec[]> {
  const validRow = fc.tuple(...header.map((h) => valueFor(h.column, true)));
  const anyRow = fc.tuple(...header.map((h) => valueFor(h.column, false)));
  const row = fc.record({ values: fc.oneof({ weight: 3, arbitrary: validRow }, { weight: 2, arbitrary: anyRow }), shape: shapeArb });
  return fc.oneof(
    { weight: 9, arbitrary: fc.array(row, { maxLength: 12 }) },
    { weight: 1, arbitrary: fc.array(row, { minLength: 30, maxLength: 220 }) },
  );
}

// --- serialising and encoding ------------------------------------------------------------------

const CP1252_ENCODE = (() => {
  const map = new Map<string, number>();
  const decoded = new TextDecoder('windows-1252').decode(Uint8Array.from({ length: 128 }, (_, i) => 0x80 + i));
  for (const [i, ch] of [...decoded].entries()) map.set(ch, 0x80 + i);
  return map;
})();

/** What survives a trip through Windows-1252: unencodable characters become "?". */
function cp1252Text(value: string): string {
  let out = '';
  for (const ch of value) out += ch.charCodeAt(0) < 0x80 || CP1252_ENCODE.has(ch) ? ch : '?';
  return out;
}

function encode(text: string, encoding: Encoding): Buffer {
  switch (encoding) {
    case 'utf-8':
      return Buffer.from(text, 'utf8');
    case 'utf-8-bom':
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    case 'windows-1252':
      return Buffer.from([...text].map((ch) => (ch.charCodeAt(0) < 0x80 ? ch.charCodeAt(0) : (CP1252_ENCODE.get(ch) ?? 0x3f))));
    case 'utf-16le':
      return Buffer.from(text, 'utf16le');
    case 'utf-16le-bom':
      return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    case 'utf-16be-bom':
      return Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]);
  }
}

type Quoting = 'minimal' | 'all' | 'random';

function cellText(value: string, delimiter: Delimiter, quoting: Quoting, quoteThis: boolean): string {
  const needed = value.includes(delimiter) || /["\r\n]/.test(value);
  if (!needed && (quoting === 'minimal' || (quoting === 'random' && !quoteThis))) return value;
  return `"${value.replace(/"/g, '""')}"`;
}

/** A small deterministic hash: which cells a "random" quoting quotes, without a huge array. */
function coin(seed: number, row: number, column: number): boolean {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(row + 1, 0xc2b2ae35) ^ Math.imul(column + 7, 0x27d4eb2f);
  h ^= h >>> 15;
  return (Math.imul(h, 0x2c1b3c6d) >>> 0) % 3 === 0;
}

type Junk =
  | { kind: 'bytes'; at: number; bytes: number[] }
  | { kind: 'truncate'; at: number }
  | { kind: 'stray-quote'; at: number }
  | { kind: 'controls'; at: number; count: number; nul: boolean }
  | { kind: 'magic'; magic: 'zip' | 'pdf' | 'ole' | 'gzip' }
  | { kind: 'wrong-sep' };

const junkArb: fc.Arbitrary<Junk> = fc.oneof(
  fc.record({
    kind: fc.constant('bytes' as const),
    at: fc.nat({ max: 1e6 }),
    bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 8 }),
  }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat({ max: 1e6 }) }),
  fc.record({ kind: fc.constant('stray-quote' as const), at: fc.nat({ max: 1e6 }) }),
  fc.record({
    kind: fc.constant('controls' as const),
    at: fc.nat({ max: 1e6 }),
    count: fc.integer({ min: 1, max: 200 }),
    nul: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('magic' as const), magic: fc.constantFrom('zip', 'pdf', 'ole', 'gzip') }),
  fc.constant({ kind: 'wrong-sep' } as const),
);

const MAGIC: Record<'zip' | 'pdf' | 'ole' | 'gzip', Buffer> = {
  zip: Buffer.from('PK\x03\x04\x14\x00\x06\x00', 'latin1'),
  pdf: Buffer.from('%PDF-1.7\n', 'latin1'),
  ole: Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
  gzip: Buffer.from([0x1f, 0x8b, 0x08, 0x00]),
};

const settingsArb: fc.Arbitrary<PartnerSettingsInput> = fc.record({
  country: fc.constantFrom('US', 'IT', 'DE', 'GB', 'FR', 'JP'),
  date_format: fc.constantFrom('auto', 'auto', 'iso', 'dmy', 'mdy'),
  co_term: fc.boolean(),
  daily_capacity: fc.integer({ min: 1, max: 40 }),
  invite_lead_days: fc.integer({ min: 0, max: 60 }),
  buffer_business_days: fc.integer({ min: 0, max: 15 }),
  discontinued_offers: fc.subarray(['Visio Plan 2', 'Office 365 E1']),
});

const knobsArb = fc.record({
  delimiter: fc.constantFrom<Delimiter>(',', ',', ';', '\t'),
  quoting: fc.constantFrom<Quoting>('minimal', 'minimal', 'all', 'random'),
  quoteSeed: fc.nat(),
  eol: fc.constantFrom<Eol>('\n', '\r\n', '\r\n', '\r'),
  trailingEol: fc.noBias(fc.integer({ min: 0, max: 9 })).map((n) => n < 8),
  encoding: fc.oneof(
    { weight: 45, arbitrary: fc.constant<Encoding>('utf-8') },
    { weight: 20, arbitrary: fc.constant<Encoding>('utf-8-bom') },
    { weight: 25, arbitrary: fc.constant<Encoding>('windows-1252') },
    { weight: 4, arbitrary: fc.constantFrom<Encoding>('utf-16le-bom', 'utf-16be-bom', 'utf-16le') },
  ),
  sepLine: fc.noBias(fc.integer({ min: 0, max: 9 })).map((n) => n === 0),
  blankBefore: fc.constantFrom(0, 0, 0, 0, 0, 0, 1, 2),
  junk: sometimes(junkArb, 15),
  chunking: fc.oneof(
    { weight: 3, arbitrary: fc.constant<number[]>([]) },
    { weight: 3, arbitrary: fc.array(fc.integer({ min: 1, max: 4096 }), { maxLength: 8 }) },
    { weight: 1, arbitrary: fc.constant<number[]>([1]) }, // one byte at a time (see build)
  ),
  settings: settingsArb,
  today: fc
    .integer({ min: isoToDay('2025-06-01'), max: isoToDay('2028-06-01') })
    .map((d) => new Date(d * 86_400_000).toISOString().slice(0, 10)),
  maxRows: sometimes(fc.integer({ min: 0, max: 40 }), 10),
  maxBytes: sometimes(fc.double({ min: 0, max: 1.2, noNaN: true }), 8),
});

/** The arbitrary of generated CSV files, each with what the ingest must make of it. */
export function csvCaseArb(): fc.Arbitrary<CsvCase> {
  return fc.tuple(knobsArb, headerArb).chain(([knobs, header]) => rowsArb(header).map((rows) => build(knobs, header, rows)));
}

type Knobs = typeof knobsArb extends fc.Arbitrary<infer K> ? K : never;

function build(knobs: Knobs, header: HeaderCell[], rows: RowSpec[]): CsvCase {
  const { delimiter, quoting, quoteSeed, eol, encoding } = knobs;
  const cp1252 = encoding === 'windows-1252';
  const logical = (v: string) => (cp1252 ? cp1252Text(v) : v);
  const cell = (v: string, r: number, c: number) => cellText(logical(v), delimiter, quoting, coin(quoteSeed, r, c));

  const lines: string[] = [];
  if (knobs.sepLine) lines.push(`sep=${delimiter}`);
  for (let i = 0; i < knobs.blankBefore; i++) lines.push(i % 2 ? ' ' : '');
  lines.push(header.map((h, c) => cell(h.text, -1, c)).join(delimiter));

  let dataRows = 0;
  let blankRows = 0;
  /** False when a row is blank or not depending on how a decoder reads non-ASCII bytes. */
  let countable = true;
  rows.forEach((row, r) => {
    const { shape } = row;
    let values: string[];
    if (shape.kind === 'blank') {
      const n = header.length;
      values =
        shape.style === ''
          ? ['']
          : shape.style === 'spaces'
            ? ['   ']
            : shape.style === 'delimiters'
              ? Array<string>(n).fill('')
              : Array<string>(n).fill(' ');
      lines.push(shape.style === 'quoted' ? values.map(() => '""').join(delimiter) : values.join(delimiter));
    } else {
      values = row.values;
      if (shape.kind === 'short') values = values.slice(0, Math.max(1, values.length - shape.drop));
      if (shape.kind === 'long') values = [...values, ...shape.extra];
      lines.push(values.map((v, c) => cell(v, r, c)).join(delimiter));
    }
    const texts = values.map(logical);
    const blank = texts.every((v) => v.trim() === '');
    if (cp1252 && !blank && !texts.some((v) => /[\x21-\x7e]/.test(v))) countable = false;
    if (blank) blankRows++;
    else dataRows++;
  });
  // A last line left empty and unterminated is no line at all.
  if (!knobs.trailingEol && rows.length > 0 && lines[lines.length - 1] === '') blankRows--;
  const text = lines.join(eol) + (knobs.trailingEol ? eol : '');

  let bytes = encode(text, encoding);
  const junk = knobs.junk;
  if (junk) bytes = addJunk(bytes, junk, delimiter);

  const maxRows = knobs.maxRows;
  // Over the size limit only below the 8 KB the decoder sniffs first: then too_large is certain.
  const maxBytes =
    knobs.maxBytes === undefined
      ? undefined
      : knobs.maxBytes >= 1
        ? bytes.length + Math.floor((knobs.maxBytes - 1) * 100)
        : Math.floor(knobs.maxBytes * Math.min(bytes.length, 8_191));

  const expect: Expectation = {};
  const missing = REQUIRED_COLUMNS.some((name) => !header.some((h) => h.column === name));
  if (maxBytes !== undefined && bytes.length > maxBytes) expect.fileError = ['too_large'];
  else if (junk?.kind === 'magic') expect.fileError = ['not_csv'];
  else if (junk) {
    // anything may happen, within the invariants
  } else if (encoding === 'utf-16le-bom' || encoding === 'utf-16be-bom') expect.fileError = ['utf16_file'];
  else if (encoding === 'utf-16le') expect.fileError = ['utf16_file', 'binary_file'];
  else if (missing) expect.fileError = ['missing_columns'];
  else if (!countable) {
    // a row of only non-ASCII characters may read as blank: no exact count
  } else if (dataRows === 0) expect.fileError = ['no_rows'];
  else if (maxRows !== undefined && dataRows > maxRows) expect.fileError = ['too_many_rows'];
  else {
    expect.dataRows = dataRows;
    expect.blankRows = blankRows;
  }

  const chunks =
    knobs.chunking.length === 1 && knobs.chunking[0] === 1 && bytes.length <= 4_096 ? Array<number>(bytes.length).fill(1) : knobs.chunking;
  return {
    bytes,
    chunks,
    settings: knobs.settings,
    today: knobs.today,
    maxRows,
    maxBytes,
    expect,
    knobs: {
      delimiter,
      quoting,
      eol,
      trailingEol: knobs.trailingEol,
      encoding,
      sepLine: knobs.sepLine,
      blankBefore: knobs.blankBefore,
      junk,
      rows: rows.length,
      header: header.map((h) => h.text),
    },
  };
}

function addJunk(bytes: Buffer, junk: Junk, delimiter: Delimiter): Buffer {
  const at = (n: number) => (bytes.length === 0 ? 0 : n % (bytes.length + 1));
  switch (junk.kind) {
    case 'bytes':
      return Buffer.concat([bytes.subarray(0, at(junk.at)), Buffer.from(junk.bytes), bytes.subarray(at(junk.at))]);
    case 'truncate':
      return bytes.subarray(0, at(junk.at));
    case 'stray-quote':
      return Buffer.concat([bytes.subarray(0, at(junk.at)), Buffer.from('"'), bytes.subarray(at(junk.at))]);
    case 'controls': {
      const noise = Buffer.from(Array.from({ length: junk.count }, (_, i) => (junk.nul && i % 7 === 0 ? 0 : 1 + (i % 8))));
      return Buffer.concat([bytes.subarray(0, at(junk.at)), noise, bytes.subarray(at(junk.at))]);
    }
    case 'magic':
      return Buffer.concat([MAGIC[junk.magic], bytes]);
    case 'wrong-sep':
      return Buffer.concat([Buffer.from(`sep=${delimiter === ',' ? ';' : ','}\n`), bytes]);
  }
}

// --- running a case ----------------------------------------------------------------------------

export type CaseResult =
  | { kind: 'read'; ms: number; dataRows: number; blankRows: number; keptRows: number; rejectedRows: number; violations: string[] }
  | { kind: 'file_error'; ms: number; code: string; message: string; violations: string[] }
  | { kind: 'crash'; ms: number; error: string; violations: string[] }
  | { kind: 'hang'; ms: number; violations: string[] };

export const CASE_TIMEOUT_MS = 5_000;

function pieces(bytes: Buffer, sizes: number[]): Buffer[] {
  const out: Buffer[] = [];
  let offset = 0;
  for (const size of sizes) {
    if (offset >= bytes.length) break;
    out.push(bytes.subarray(offset, offset + size));
    offset += size;
  }
  if (offset < bytes.length || out.length === 0) out.push(bytes.subarray(offset));
  return out;
}

const sink = () => new Writable({ write: (_chunk, _enc, done) => done() });

/**
 * Ingests, plans and writes the outputs of one case, within a time limit, and checks what must
 * hold for any file: a FileError with a documented code, or every data row accounted for.
 */
export async function runCase(c: CsvCase, timeoutMs = CASE_TIMEOUT_MS): Promise<CaseResult> {
  const started = performance.now();
  const ms = () => performance.now() - started;
  const work = (async () => {
    const settings = parseSettings(c.settings);
    const run = await planFile({
      source: Readable.from(pieces(c.bytes, c.chunks)),
      fileName: 'fuzz.csv',
      settings,
      today: isoToDay(c.today),
      maxRows: c.maxRows,
      maxBytes: c.maxBytes,
    });
    const planned = await writePlanCsv(sink(), run.portfolio, run.plan, settings.country);
    const problems = await writeErrorsCsv(sink(), run.portfolio.problems);
    renderReportHtml(planReport(run, new Date('2026-12-01T08:00:00Z')));
    return { run, planned, problems };
  })();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    const outcome = await Promise.race([work, timeout]);
    if (outcome === 'timeout') return { kind: 'hang', ms: ms(), violations: [`no result within ${timeoutMs} ms`] };
    const { run, planned, problems } = outcome;
    const p = run.portfolio;
    const s = p.stats;
    const violations: string[] = [];
    const check = (ok: boolean, what: string) => {
      if (!ok) violations.push(what);
    };
    check(s.keptRows + s.rejectedRows === s.dataRows, `kept ${s.keptRows} + rejected ${s.rejectedRows} ≠ data rows ${s.dataRows}`);
    const errorRows = new Set<number>();
    for (const problem of p.problems) {
      check(problem.code in ROW_CODES, `undocumented row code ${problem.code}`);
      check(problem.message.startsWith(`Row ${problem.row}`), `message does not name row ${problem.row}: ${problem.message}`);
      if (ROW_CODES[problem.code as RowCode]?.severity === 'error') errorRows.add(problem.row);
    }
    const keptRows = new Set<number>();
    for (let i = 0; i < p.size; i++) if (p.state[i] !== REJECTED) keptRows.add(p.row.get(i));
    check(keptRows.size === s.keptRows, `${keptRows.size} distinct kept rows, stats say ${s.keptRows}`);
    check(errorRows.size === s.rejectedRows, `${errorRows.size} rows with an error in errors.csv, stats say ${s.rejectedRows} rejected`);
    for (const row of keptRows) check(!errorRows.has(row), `row ${row} is both planned and rejected`);
    for (const problem of p.problems) {
      check(problem.column === '' || COLUMN_NAMES.includes(problem.column), `unknown column ${problem.column}`);
      // An ineligible row is in plan.csv, unless an error rejected it as well.
      if (ROW_CODES[problem.code]?.severity === 'ineligible')
        check(keptRows.has(problem.row) || errorRows.has(problem.row), `ineligible row ${problem.row} is in neither output`);
    }
    check(planned === s.keptRows, `plan.csv has ${planned} rows, ${s.keptRows} kept`);
    check(problems === p.problems.length, `errors.csv has ${problems} rows for ${p.problems.length} problems`);
    if (c.expect.fileError) check(false, `expected a FileError ${c.expect.fileError.join('|')}, the file was read`);
    if (c.expect.dataRows !== undefined)
      check(s.dataRows === c.expect.dataRows, `read ${s.dataRows} data rows, the generator wrote ${c.expect.dataRows}`);
    if (c.expect.blankRows !== undefined)
      check(s.blankRows === c.expect.blankRows, `read ${s.blankRows} blank rows, the generator wrote ${c.expect.blankRows}`);
    return {
      kind: 'read',
      ms: ms(),
      dataRows: s.dataRows,
      blankRows: s.blankRows,
      keptRows: s.keptRows,
      rejectedRows: s.rejectedRows,
      violations,
    };
  } catch (error) {
    if (error instanceof FileError) {
      const violations: string[] = [];
      if (!(error.code in FILE_CODES)) violations.push(`undocumented file code ${error.code}`);
      if (c.expect.fileError && !c.expect.fileError.includes(error.code))
        violations.push(`FileError ${error.code}, expected ${c.expect.fileError.join('|')}: ${error.message}`);
      if (!c.expect.fileError && c.expect.dataRows !== undefined)
        violations.push(`FileError ${error.code}, expected ${c.expect.dataRows} data rows read: ${error.message}`);
      return { kind: 'file_error', ms: ms(), code: error.code, message: error.message, violations };
    }
    const text = error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ''}` : String(error);
    return { kind: 'crash', ms: ms(), error: text, violations: [`crash: ${text}`] };
  } finally {
    clearTimeout(timer);
  }
}

// --- figures ----------------------------------------------------------------------------------

export interface FuzzFigures {
  cases: number;
  read: number;
  fileErrors: Record<string, number>;
  dataRows: number;
  plannedRows: number;
  rejectedRows: number;
  blankRows: number;
  /** Cases whose data-row count the generator predicted and the ingest matched. */
  countsChecked: number;
  withJunk: number;
  maxCaseMs: number;
  crashes: number;
  hangs: number;
  mismatches: number;
}

export function emptyFigures(): FuzzFigures {
  return {
    cases: 0,
    read: 0,
    fileErrors: {},
    dataRows: 0,
    plannedRows: 0,
    rejectedRows: 0,
    blankRows: 0,
    countsChecked: 0,
    withJunk: 0,
    maxCaseMs: 0,
    crashes: 0,
    hangs: 0,
    mismatches: 0,
  };
}

export function record(figures: FuzzFigures, c: CsvCase, result: CaseResult): void {
  figures.cases++;
  figures.maxCaseMs = Math.max(figures.maxCaseMs, result.ms);
  if (c.knobs.junk) figures.withJunk++;
  if (result.kind === 'read') {
    figures.read++;
    figures.dataRows += result.dataRows;
    figures.plannedRows += result.keptRows;
    figures.rejectedRows += result.rejectedRows;
    figures.blankRows += result.blankRows;
    if (c.expect.dataRows !== undefined && result.violations.length === 0) figures.countsChecked++;
  } else if (result.kind === 'file_error') {
    figures.fileErrors[result.code] = (figures.fileErrors[result.code] ?? 0) + 1;
  }
  if (result.kind === 'crash') figures.crashes++;
  else if (result.kind === 'hang') figures.hangs++;
  else if (result.violations.length > 0) figures.mismatches++;
}

/** The property: the case holds every invariant. Figures are recorded until the first failure. */
export function csvProperty(
  figures: FuzzFigures,
  options: { timeoutMs?: number; onStart?: () => void; onCase?: (c: CsvCase, r: CaseResult) => void } = {},
) {
  let failed = false;
  return fc.asyncProperty(csvCaseArb(), async (c) => {
    options.onStart?.();
    const result = await runCase(c, options.timeoutMs);
    if (!failed) {
      record(figures, c, result);
      options.onCase?.(c, result);
    }
    if (result.violations.length > 0) {
      failed = true;
      const replay = { settings: c.settings, today: c.today, maxRows: c.maxRows, maxBytes: c.maxBytes, chunks: c.chunks };
      throw new Error(
        `${result.violations.join('\n')}\nknobs: ${JSON.stringify(c.knobs)}\nrun: ${JSON.stringify(replay)}\nbytes (base64): ${c.bytes.toString('base64')}`,
      );
    }
  });
}

export function formatFigures(f: FuzzFigures, seed: number, seconds: number): string {
  const codes =
    Object.entries(f.fileErrors)
      .sort((a, b) => b[1] - a[1])
      .map(([code, n]) => `${code} ${n}`)
      .join(', ') || 'none';
  return [
    `cases: ${f.cases} (seed ${seed}, ${seconds.toFixed(1)} s; ${f.withJunk} with junk bytes)`,
    `read: ${f.read}; file-level failures: ${f.cases - f.read} (${codes})`,
    `data rows: ${f.dataRows} = planned ${f.plannedRows} + rejected ${f.rejectedRows} (blank lines skipped: ${f.blankRows})`,
    `data-row counts checked against the generator: ${f.countsChecked} files`,
    `max case time: ${f.maxCaseMs.toFixed(0)} ms`,
    `crashes: ${f.crashes}, hangs: ${f.hangs}, accounting mismatches: ${f.mismatches}`,
  ].join('\n');
}
