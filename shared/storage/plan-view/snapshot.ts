/**
 * The plan view's snapshot: a partner's plan rows as one compact object, fast to decode. The
 * layout is "CPV1", a little-endian uint32 header length, a JSON header (times, counts, the small
 * string tables, the columns' types and byte lengths), then each column's bytes, 4-byte aligned:
 * typed arrays for days (16-bit day numbers, 0 for none), enums (uint8) and numbers, and text
 * columns as UTF-8 entries each ended by U+0000, with their lengths beside them. It can be
 * stored gzipped (SNAPSHOT_GZIP); the decoder reads either.
 *
 * Customers are written in name order (ignoring case, then as written, then by id) and each
 * customer's rows in subscription id order, the order the engine breaks ties in
 * (plan-table.ts). The rows and their fields are the stored plan's (domain/planned-records.ts).
 */
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { createGunzip, gunzip, gzip } from 'node:zlib';
import { dayToIso, NO_DAY } from '../../domain/dates.js';
import { INVITATION_STATUSES } from '../../domain/lifecycle.js';
import { plannedRows } from '../../domain/plan-rows.js';
import { customerSummaries, plannedSubscription } from '../../domain/planned-records.js';
import { SUBSCRIPTION_STATES } from '../../domain/status-events.js';
import type { PlannedFile } from '../plan-store.js';
import { NONE, type PlanData, SEPARATOR, type TextColumn } from './plan-table.js';

const MAGIC = 'CPV1';
const VERSION = 1;
/**
 * Whether snapshots are stored gzipped. Not: gzip halves a 1M-row snapshot (64 → 30 MB) but
 * inflating it costs more than reading the bytes it saves (bench/README.md, P7).
 */
export const SNAPSHOT_GZIP = false;
/** Level 1: most of the size gain of gzip at a fraction of the time of the default level. */
const GZIP_LEVEL = 1;

/** Whether stored bytes are gzipped (the magic number), else a snapshot as is. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x1f && bytes[1] === 0x8b;
}

type ColumnType = 'u8' | 'u16' | 'u32' | 'text';
type Column =
  | { name: string; type: 'u8'; data: Uint8Array }
  | { name: string; type: 'u16'; data: Uint16Array }
  | { name: string; type: 'u32'; data: Uint32Array }
  | { name: string; type: 'text'; data: string[] };

interface Header {
  version: number;
  partnerId: string;
  plannedAt: string;
  today: string;
  customers: number;
  rows: number;
  countries: string[];
  offers: string[];
  columns: { name: string; type: ColumnType; bytes: number; count: number }[];
}

/** Text order of names: ignoring case first, so "adatum" comes before "Contoso"; then as written. */
export function compareNames(a: string, b: string): number {
  const la = a.toLowerCase();
  const lb = b.toLowerCase();
  return la < lb ? -1 : la > lb ? 1 : a < b ? -1 : a > b ? 1 : 0;
}

const compareIds = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The snapshot of a planned file: every row plan.csv lists, with its customer. */
export async function encodeSnapshot(
  partnerId: string,
  planned: PlannedFile,
  plannedAt: Date,
  options: { gzip: boolean } = { gzip: SNAPSHOT_GZIP },
): Promise<Uint8Array> {
  const { portfolio: p, plan, settings } = planned;
  const rows = Int32Array.from(plannedRows(p));
  const summary = customerSummaries(planned, rows);

  // Customers in name order, only those with a planned row.
  const kept: { c: number; id: string; name: string }[] = [];
  for (let c = 0; c < p.customers.count; c++) {
    if (summary.subscriptions[c]! > 0) kept.push({ c, id: p.customers.id(c), name: p.customers.name(c) });
  }
  kept.sort((a, b) => compareNames(a.name, b.name) || compareIds(a.id, b.id));
  const place = new Int32Array(p.customers.count).fill(-1);
  kept.forEach(({ c }, k) => {
    place[c] = k;
  });

  // Rows grouped by customer (a counting sort), then in subscription id order within each.
  const customerRows = new Uint32Array(kept.length + 1);
  for (const i of rows) customerRows[place[p.customer[i]!]! + 1]!++;
  for (let k = 0; k < kept.length; k++) customerRows[k + 1]! += customerRows[k]!;
  const next = customerRows.slice(0, kept.length);
  const order = new Int32Array(rows.length);
  const ids: string[] = new Array(rows.length);
  for (const i of rows) {
    const at = next[place[p.customer[i]!]!]!++;
    order[at] = i;
    ids[at] = p.ids.get(i);
  }
  for (let k = 0; k < kept.length; k++) sortRun(order, ids, customerRows[k]!, customerRows[k + 1]!);

  const countries = new Table();
  const offers = new Table();
  const customer = {
    country: new Uint8Array(kept.length),
    invitation: new Uint8Array(kept.length),
    inviteBy: new Uint16Array(kept.length),
    firstMove: new Uint16Array(kept.length),
    lastEnd: new Uint16Array(kept.length),
    emails: kept.map(({ c }) => p.customers.email(c) ?? ''),
  };
  kept.forEach(({ c }, k) => {
    // As plan.csv's country column: the customer's, else the partner's.
    customer.country[k] = countries.of(p.customers.country[c] ?? settings.country);
    customer.invitation[k] = INVITATION_STATUSES.indexOf(p.customers.invitation[c]!);
    customer.inviteBy[k] = day16(plan.inviteBy[c]!);
    customer.firstMove[k] = day16(summary.firstMove[c]!);
    customer.lastEnd[k] = day16(summary.lastEnd[c]!);
  });

  const n = rows.length;
  const row = {
    offer: new Uint16Array(n),
    target: new Uint16Array(n),
    seats: new Uint32Array(n),
    endDay: new Uint16Array(n),
    moveOn: new Uint16Array(n),
    risk: new Uint8Array(n),
    state: new Uint8Array(n),
  };
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    const { state } = plannedSubscription(planned, i);
    row.offer[k] = offers.of(p.strings.get(p.offer[i]!));
    row.target[k] = offers.of(p.strings.get(p.target[i]!));
    row.seats[k] = p.seats[i]!;
    row.endDay[k] = day16(p.endDay[i]!);
    row.moveOn[k] = day16(plan.moveOn[i]!);
    row.risk[k] = plan.risk[i]!;
    row.state[k] = SUBSCRIPTION_STATES.indexOf(state);
  }

  const columns: Column[] = [
    { name: 'customer.id', type: 'text', data: kept.map((k) => k.id) },
    { name: 'customer.name', type: 'text', data: kept.map((k) => k.name) },
    { name: 'customer.email', type: 'text', data: customer.emails },
    { name: 'customer.country', type: 'u8', data: customer.country },
    { name: 'customer.invitation', type: 'u8', data: customer.invitation },
    { name: 'customer.inviteBy', type: 'u16', data: customer.inviteBy },
    { name: 'customer.firstMove', type: 'u16', data: customer.firstMove },
    { name: 'customer.lastEnd', type: 'u16', data: customer.lastEnd },
    { name: 'customer.rows', type: 'u32', data: customerRows },
    { name: 'row.subscriptionId', type: 'text', data: ids },
    { name: 'row.offer', type: 'u16', data: row.offer },
    { name: 'row.target', type: 'u16', data: row.target },
    { name: 'row.seats', type: 'u32', data: row.seats },
    { name: 'row.endDay', type: 'u16', data: row.endDay },
    { name: 'row.moveOn', type: 'u16', data: row.moveOn },
    { name: 'row.risk', type: 'u8', data: row.risk },
    { name: 'row.state', type: 'u8', data: row.state },
  ];
  // Each text column's entry lengths (in UTF-16 code units) beside it: the decoder finds the
  // entries by adding them up instead of scanning the text.
  for (const column of columns.filter((c) => c.type === 'text')) columns.push(lengthsColumn(column.name, column.data as string[]));
  const bodies = columns.map(columnBytes);
  const header: Header = {
    version: VERSION,
    partnerId,
    plannedAt: plannedAt.toISOString(),
    today: dayToIso(plan.today),
    customers: kept.length,
    rows: n,
    countries: countries.values,
    offers: offers.values,
    columns: columns.map((column, k) => ({ name: column.name, type: column.type, bytes: bodies[k]!.length, count: column.data.length })),
  };
  const head = Buffer.from(JSON.stringify(header));
  const parts: Uint8Array[] = [Buffer.from(MAGIC, 'latin1'), uint32(head.length), head, padding(8 + head.length)];
  for (const body of bodies) parts.push(body, padding(body.length));
  const raw = Buffer.concat(parts);
  return options.gzip ? promisify(gzip)(raw, { level: GZIP_LEVEL }) : raw;
}

/** A snapshot as stored, inflated while it is read (the download and the inflating overlap). */
export async function inflateSnapshot(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  await pipeline(stream, createGunzip(), async (inflated: AsyncIterable<Buffer>) => {
    for await (const chunk of inflated) chunks.push(chunk);
  });
  return Buffer.concat(chunks);
}

/** A snapshot's plan, decoded from its bytes, gzipped as stored or inflated; throws on bytes that are not one. */
export async function decodeSnapshot(bytes: Uint8Array): Promise<PlanData & { partnerId: string }> {
  const raw: Buffer = isGzip(bytes) ? await promisify(gunzip)(bytes) : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (raw.toString('latin1', 0, 4) !== MAGIC) throw new Error('Not a plan view snapshot');
  const headLength = raw.readUInt32LE(4);
  const header = JSON.parse(raw.toString('utf8', 8, 8 + headLength)) as Header;
  if (header.version !== VERSION) throw new Error(`Plan view snapshot version ${header.version} is not ${VERSION}`);
  let at = align(8 + headLength);
  const read = new Map<string, Uint8Array | Uint16Array | Uint32Array | TextColumn>();
  const texts: [Header['columns'][number], number][] = [];
  for (const column of header.columns) {
    if (at + column.bytes > raw.length) throw new Error(`Plan view snapshot cut short in column ${column.name}`);
    if (column.type === 'text') texts.push([column, at]);
    else read.set(column.name, decodeNumbers(raw, at, column));
    at = align(at + column.bytes);
  }
  for (const [column, from] of texts) {
    const lengths = read.get(`${column.name}${LENGTHS}`) as Uint8Array | Uint16Array | Uint32Array | undefined;
    if (lengths?.length !== column.count) throw new Error(`Plan view snapshot column ${column.name} has no entry lengths`);
    read.set(column.name, decodeText(raw, from, column, lengths));
  }
  const get = <T>(name: string) => {
    const column = read.get(name);
    if (column === undefined) throw new Error(`Plan view snapshot without column ${name}`);
    return column as T;
  };
  return {
    partnerId: header.partnerId,
    plannedAt: header.plannedAt,
    today: header.today,
    customers: {
      count: header.customers,
      id: get('customer.id'),
      name: get('customer.name'),
      email: get('customer.email'),
      country: get('customer.country'),
      countries: header.countries,
      invitation: get('customer.invitation'),
      inviteBy: get('customer.inviteBy'),
      firstMove: get('customer.firstMove'),
      lastEnd: get('customer.lastEnd'),
      rows: get('customer.rows'),
    },
    rows: {
      count: header.rows,
      subscriptionId: get('row.subscriptionId'),
      offer: get('row.offer'),
      target: get('row.target'),
      offers: header.offers,
      seats: get('row.seats'),
      endDay: get('row.endDay'),
      moveOn: get('row.moveOn'),
      risk: get('row.risk'),
      state: get('row.state'),
    },
  };
}

/** A day as a 16-bit day number; NO_DAY as NONE. */
function day16(day: number): number {
  return day === NO_DAY ? NONE : day;
}

/** Sorts order[from, to) and ids[from, to) together by id: a customer's few rows. */
function sortRun(order: Int32Array, ids: string[], from: number, to: number): void {
  if (to - from < 2) return;
  const run = Array.from({ length: to - from }, (_, k) => ({ i: order[from + k]!, id: ids[from + k]! }));
  run.sort((a, b) => compareIds(a.id, b.id));
  run.forEach(({ i, id }, k) => {
    order[from + k] = i;
    ids[from + k] = id;
  });
}

/** Distinct strings, each with its index (an enum of a file's few offers or countries). */
class Table {
  readonly values: string[] = [];
  private readonly index = new Map<string, number>();
  of(value: string): number {
    let k = this.index.get(value);
    if (k === undefined) {
      k = this.values.length;
      this.values.push(value);
      this.index.set(value, k);
    }
    return k;
  }
}

function columnBytes(column: Column): Uint8Array {
  if (column.type !== 'text') return new Uint8Array(column.data.buffer, column.data.byteOffset, column.data.byteLength);
  // The separator ends each entry; an entry holding one (never in a CSV cell in practice) loses it.
  const clean = column.data.map((s) => (s.includes(SEPARATOR) ? s.replaceAll(SEPARATOR, '\ufffd') : s));
  return Buffer.from(clean.length === 0 ? '' : clean.join(SEPARATOR) + SEPARATOR, 'utf8');
}

function decodeText(
  raw: Buffer,
  at: number,
  column: Header['columns'][number],
  lengths: Uint8Array | Uint16Array | Uint32Array,
): TextColumn {
  const text = raw.toString('utf8', at, at + column.bytes);
  const starts = new Uint32Array(column.count + 1);
  for (let e = 0; e < column.count; e++) starts[e + 1] = starts[e]! + lengths[e]! + 1;
  if (starts[column.count] !== text.length) throw new Error(`Plan view snapshot column ${column.name} does not hold its entries`);
  return { text, starts };
}

function decodeNumbers(raw: Buffer, at: number, column: Header['columns'][number]): Uint8Array | Uint16Array | Uint32Array {
  const { type, bytes, count } = column;
  const width = type === 'u8' ? 1 : type === 'u16' ? 2 : 4;
  if (bytes !== count * width) throw new Error(`Plan view snapshot column ${column.name} has ${bytes} bytes, not ${count * width}`);
  // Copied out, so that the snapshot's bytes (mostly text, decoded into strings) are not kept alive.
  const offset = raw.byteOffset + at;
  const own = raw.buffer.slice(offset, offset + bytes);
  return type === 'u8' ? new Uint8Array(own) : type === 'u16' ? new Uint16Array(own) : new Uint32Array(own);
}

/** The suffix of a text column's lengths column. */
const LENGTHS = '.lengths';

function lengthsColumn(name: string, entries: readonly string[]): Column {
  let max = 0;
  for (const e of entries) if (e.length > max) max = e.length;
  const lengths = (array: Uint8Array | Uint16Array | Uint32Array) => {
    entries.forEach((e, k) => {
      array[k] = e.length;
    });
    return array;
  };
  const lengthsName = `${name}${LENGTHS}`;
  if (max < 1 << 8) return { name: lengthsName, type: 'u8', data: lengths(new Uint8Array(entries.length)) as Uint8Array };
  if (max < 1 << 16) return { name: lengthsName, type: 'u16', data: lengths(new Uint16Array(entries.length)) as Uint16Array };
  return { name: lengthsName, type: 'u32', data: lengths(new Uint32Array(entries.length)) as Uint32Array };
}

function uint32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(value);
  return b;
}

function align(at: number): number {
  return (at + 3) & ~3;
}

function padding(length: number): Buffer {
  return Buffer.alloc(align(length) - length);
}
