/**
 * The console's query engine: a partner's plan held column by column (as the snapshot decodes it,
 * snapshot.ts) and queried in memory — filtered, sorted and paged, a customer's rows, this week's
 * counts. Pure: no I/O.
 *
 * Rows are held in the order ties are broken in, customer (name ignoring case, then as written,
 * then id) and then subscription id, so every sort is a stable sort of the row indexes by one key:
 * a counting sort on day numbers and small enums, a radix sort on seats. Each order is computed
 * once per view and kept; a page then walks it, testing the filters, until the page is full.
 */
import type { CustomerView, PlanQuery, PlanRow, PlanSort } from '../../console/contract.js';
import { type Day, dayToIso, isoToDay, mondayOf } from '../../domain/dates.js';
import { INVITATION_STATUSES } from '../../domain/lifecycle.js';
import { RISKS } from '../../domain/risk.js';
import { SUBSCRIPTION_STATES } from '../../domain/status-events.js';
import { WeekTally } from '../../domain/week-series.js';
import type { PlanView } from '../plan-view.js';

/** Day columns hold days since 1970 in 16 bits (2000–2100 fit); 0 is "none". */
export const NONE = 0;
const DAYS = 1 << 16;

/** Entries of a text column, each followed by SEPARATOR, in one string: searched with indexOf. */
export interface TextColumn {
  text: string;
  /** count + 1 offsets: entry i is text[starts[i], starts[i + 1] - 1). */
  starts: Uint32Array;
}
export const SEPARATOR = '\u0000';

export function textAt(column: TextColumn, i: number): string {
  return column.text.slice(column.starts[i]!, column.starts[i + 1]! - 1);
}

/** A plan, column by column: customers in name order, rows grouped by customer in subscription id order. */
export interface PlanData {
  plannedAt: string;
  /** The day planned as of (ISO). */
  today: string;
  customers: {
    count: number;
    id: TextColumn;
    name: TextColumn;
    /** '' when the file gave none. */
    email: TextColumn;
    /** Index into `countries`: plan.csv's country (the customer's, else the partner's). */
    country: Uint8Array;
    countries: readonly string[];
    /** Index into INVITATION_STATUSES. */
    invitation: Uint8Array;
    inviteBy: Uint16Array;
    firstMove: Uint16Array;
    lastEnd: Uint16Array;
    /** count + 1 offsets: customer c's rows are [rows[c], rows[c + 1]). */
    rows: Uint32Array;
  };
  rows: {
    count: number;
    subscriptionId: TextColumn;
    /** Index into `offers`. */
    offer: Uint16Array;
    target: Uint16Array;
    offers: readonly string[];
    seats: Uint32Array;
    endDay: Uint16Array;
    moveOn: Uint16Array;
    /** Index into RISKS and SUBSCRIPTION_STATES. */
    risk: Uint8Array;
    state: Uint8Array;
  };
}

/** Counts of this week's glance, by day: what `glance` adds up for any today. */
interface DayCounts {
  moves: Int32Array;
  needAttention: Int32Array;
  /** Moves of accepted customers, not provisioned. */
  due: Int32Array;
  /** Customers not accepted, by invitation deadline. */
  invitations: Int32Array;
  byRisk: number[];
}

type Glance = ReturnType<PlanView['glance']>;

const ACCEPTED = INVITATION_STATUSES.indexOf('accepted');
const PLANNED = SUBSCRIPTION_STATES.indexOf('planned');
const OK = RISKS.indexOf('ok');

export class PlanTable implements PlanView {
  readonly plannedAt: string;
  readonly today: string;
  /** The customer of each row. */
  private readonly rowCustomer: Uint32Array;
  private readonly orders = new Map<string, Uint32Array>();
  private readonly searches = new Map<string, Search>();
  private readonly matchings = new Map<string, Matching>();
  private customerIndex: Map<string, number> | undefined;
  private dayCounts: DayCounts | undefined;
  private readonly lowered = new Map<TextColumn, TextColumn>();

  constructor(private readonly data: PlanData) {
    this.plannedAt = data.plannedAt;
    this.today = data.today;
    const { customers } = data;
    this.rowCustomer = new Uint32Array(data.rows.count);
    for (let c = 0; c < customers.count; c++) this.rowCustomer.fill(c, customers.rows[c]!, customers.rows[c + 1]!);
  }

  get size(): number {
    return this.data.rows.count;
  }

  page(query: PlanQuery): { rows: PlanRow[]; total: number } {
    const order = this.order(query.sort, query.order);
    const start = (query.page - 1) * query.size;
    const end = start + query.size;
    const matching = this.matching(query);
    if (!matching) return { rows: this.rowsAt(order.subarray(start, end)), total: order.length };
    const { mask, total } = matching;
    const picked: number[] = [];
    // The walk ends with the page: the total was counted with the mask.
    for (let k = 0, seen = 0; k < order.length && seen < end; k++) {
      const i = order[k]!;
      if (mask[i] === 0) continue;
      if (seen >= start) picked.push(i);
      seen++;
    }
    return { rows: this.rowsAt(picked), total };
  }

  customer(customerId: string): { customer: CustomerView['customer']; subscriptions: PlanRow[] } | undefined {
    if (!this.customerIndex) {
      const index = new Map<string, number>();
      for (let c = 0; c < this.data.customers.count; c++) index.set(textAt(this.data.customers.id, c), c);
      this.customerIndex = index;
    }
    const c = this.customerIndex.get(customerId);
    if (c === undefined) return undefined;
    const cs = this.data.customers;
    const { moveOn } = this.data.rows;
    const rows: number[] = [];
    for (let i = cs.rows[c]!; i < cs.rows[c + 1]!; i++) rows.push(i);
    // In move order, rows without a move last; ties in subscription id order (the rows' own).
    rows.sort((a, b) => (moveOn[a]! || DAYS) - (moveOn[b]! || DAYS) || a - b);
    const email = textAt(cs.email, c);
    return {
      customer: {
        customerId,
        customerName: textAt(cs.name, c),
        country: cs.countries[cs.country[c]!]!,
        contactEmail: email === '' ? undefined : email,
        invitation: INVITATION_STATUSES[cs.invitation[c]!]!,
        inviteBy: optionalDay(cs.inviteBy[c]!),
        firstMove: optionalDay(cs.firstMove[c]!),
        lastEndDate: dayToIso(cs.lastEnd[c]!),
      },
      subscriptions: this.rowsAt(rows),
    };
  }

  glance(today: string): Glance {
    if (!this.dayCounts) this.dayCounts = this.countByDay();
    const counts = this.dayCounts;
    const day = isoToDay(today);
    const weekStart = mondayOf(day);
    const weekEnd = weekStart + 6;
    let toSend = 0;
    let overdue = 0;
    let movesDue = 0;
    const weeks = new WeekTally();
    for (let d = 1; d < DAYS; d++) {
      const invitations = counts.invitations[d]!;
      if (invitations > 0) {
        if (d < day) overdue += invitations;
        else if (d <= weekEnd) toSend += invitations;
      }
      if (d <= weekEnd) movesDue += counts.due[d]!;
      if (counts.moves[d]! > 0) weeks.addMoves(d, counts.moves[d]!, counts.needAttention[d]!);
    }
    const series = weeks.series(day);
    const byRisk = (risk: (typeof RISKS)[number]) => counts.byRisk[RISKS.indexOf(risk)]!;
    return {
      week: { start: dayToIso(weekStart), end: dayToIso(weekEnd) },
      invitations: { toSend, overdue },
      movesDue,
      atRisk: byRisk('at_risk'),
      expired: { grace: byRisk('expired_grace'), lapsed: byRisk('lapsed') },
      weeks: series.weeks,
      later: series.later,
    };
  }

  /** The rows at these indexes, as the contract lists them. */
  private rowsAt(indexes: ArrayLike<number>): PlanRow[] {
    const { rows: r, customers: cs } = this.data;
    const out: PlanRow[] = [];
    for (let k = 0; k < indexes.length; k++) {
      const i = indexes[k]!;
      const c = this.rowCustomer[i]!;
      out.push({
        subscriptionId: textAt(r.subscriptionId, i),
        customerId: textAt(cs.id, c),
        customerName: textAt(cs.name, c),
        country: cs.countries[cs.country[c]!]!,
        offer: r.offers[r.offer[i]!]!,
        targetOffer: r.offers[r.target[i]!]!,
        seats: r.seats[i]!,
        endDate: dayToIso(r.endDay[i]!),
        moveOn: optionalDay(r.moveOn[i]!),
        inviteBy: optionalDay(cs.inviteBy[c]!),
        risk: RISKS[r.risk[i]!]!,
        invitation: INVITATION_STATUSES[cs.invitation[c]!]!,
        state: SUBSCRIPTION_STATES[r.state[i]!]!,
      });
    }
    return out;
  }

  /** Row indexes in the order of a sort: computed once per view, ties in the rows' own order. */
  private order(sort: PlanSort, direction: 'asc' | 'desc'): Uint32Array {
    const name = `${sort} ${direction}`;
    let order = this.orders.get(name);
    if (!order) {
      order = this.sorted(sort, direction === 'desc');
      this.orders.set(name, order);
    }
    return order;
  }

  private sorted(sort: PlanSort, desc: boolean): Uint32Array {
    const { rows: r, customers: cs } = this.data;
    const n = r.count;
    const rowCustomer = this.rowCustomer;
    const keys = new Uint32Array(n);
    let range: number;
    switch (sort) {
      case 'move_on':
      case 'end_date':
      case 'invite_by': {
        const days = sort === 'move_on' ? r.moveOn : sort === 'end_date' ? r.endDay : undefined;
        // Descending keys count down; a row without the day goes last either way.
        for (let i = 0; i < n; i++) {
          const day = days ? days[i]! : cs.inviteBy[rowCustomer[i]!]!;
          keys[i] = day === NONE ? DAYS : desc ? DAYS - day : day;
        }
        range = DAYS + 1;
        break;
      }
      case 'customer': {
        if (!desc) return identity(n);
        // Customers with the same name are ordered by id, ascending, whichever way names go.
        const rank = this.nameRanks();
        const last = rank[cs.count - 1] ?? 0;
        for (let i = 0; i < n; i++) keys[i] = last - rank[rowCustomer[i]!]!;
        range = last + 1;
        break;
      }
      case 'risk': {
        for (let i = 0; i < n; i++) keys[i] = desc ? RISKS.length - 1 - r.risk[i]! : r.risk[i]!;
        range = RISKS.length;
        break;
      }
      case 'seats': {
        let max = 0;
        for (let i = 0; i < n; i++) if (r.seats[i]! > max) max = r.seats[i]!;
        for (let i = 0; i < n; i++) keys[i] = desc ? max - r.seats[i]! : r.seats[i]!;
        return radixOrder(keys, max);
      }
    }
    return countingOrder(keys, range);
  }

  /** Each customer's place among the distinct names, in name order (customers are held in it). */
  private nameRanks(): Uint32Array {
    const { name, count } = this.data.customers;
    const rank = new Uint32Array(count);
    let previous = '';
    let r = 0;
    for (let c = 0; c < count; c++) {
      const text = textAt(name, c);
      if (c > 0 && text !== previous) r++;
      rank[c] = r;
      previous = text;
    }
    return rank;
  }

  /**
   * The rows the query's filters keep (1) and how many, worked out one column at a time and kept
   * for the next pages and sorts of the same filters; undefined when the query has no filter.
   */
  private matching(query: PlanQuery): Matching | undefined {
    const q = query.q?.trim().toLowerCase() ?? '';
    const filters = {
      risk: bits(query.risk, RISKS),
      state: bits(query.state, SUBSCRIPTION_STATES),
      invitation: bits(query.invitation, INVITATION_STATUSES),
      invite: dayRange(query.invite_from, query.invite_to),
      move: dayRange(query.move_from, query.move_to),
      country: query.country?.toUpperCase(),
      q,
    };
    const key = JSON.stringify(filters);
    if (key === NO_FILTERS) return undefined;
    const known = this.matchings.get(key);
    if (known) return known;

    const { rows: r, customers: cs } = this.data;
    const rowCustomer = this.rowCustomer;
    // The customers' filters first, on the customers' columns.
    const customer = new Uint8Array(cs.count).fill(1);
    if (filters.invitation !== undefined) {
      const wanted = filters.invitation;
      for (let c = 0; c < cs.count; c++) customer[c]! &= (wanted >>> cs.invitation[c]!) & 1;
    }
    if (filters.invite) {
      const [from, to] = filters.invite;
      for (let c = 0; c < cs.count; c++) {
        const day = cs.inviteBy[c]!;
        if (day === NONE || day < from || day > to) customer[c] = 0;
      }
    }
    if (filters.country !== undefined) {
      const country = cs.countries.indexOf(filters.country);
      for (let c = 0; c < cs.count; c++) if (cs.country[c] !== country) customer[c] = 0;
    }

    const n = r.count;
    const mask = new Uint8Array(n);
    for (let i = 0; i < n; i++) mask[i] = customer[rowCustomer[i]!]!;
    if (filters.risk !== undefined) {
      const wanted = filters.risk;
      for (let i = 0; i < n; i++) mask[i]! &= (wanted >>> r.risk[i]!) & 1;
    }
    if (filters.state !== undefined) {
      const wanted = filters.state;
      for (let i = 0; i < n; i++) mask[i]! &= (wanted >>> r.state[i]!) & 1;
    }
    if (filters.move) {
      const [from, to] = filters.move;
      for (let i = 0; i < n; i++) {
        const day = r.moveOn[i]!;
        if (day === NONE || day < from || day > to) mask[i] = 0;
      }
    }
    if (q !== '') {
      const search = this.search(q);
      for (let i = 0; i < n; i++) {
        if (mask[i] === 0) continue;
        mask[i] = search.rows[i]! | search.customers[rowCustomer[i]!]! | search.offers[r.offer[i]!]! | search.offers[r.target[i]!]!;
      }
    }
    let total = 0;
    for (let i = 0; i < n; i++) total += mask[i]!;
    const matching = { mask, total };
    this.matchings.set(key, matching);
    if (this.matchings.size > KEPT) this.matchings.delete(this.matchings.keys().next().value!);
    return matching;
  }

  /**
   * Which subscription ids, customers (name or id) and offers contain `needle` (lower case),
   * ignoring case: a few searches of the views' text kept per view, the latest last.
   */
  private search(needle: string): Search {
    const known = this.searches.get(needle);
    if (known) {
      this.searches.delete(needle);
      this.searches.set(needle, known);
      return known;
    }
    const { rows: r, customers: cs } = this.data;
    const customers = this.matches(cs.name, needle);
    const byId = this.matches(cs.id, needle);
    for (let c = 0; c < cs.count; c++) customers[c]! |= byId[c]!;
    const search: Search = {
      rows: this.matches(r.subscriptionId, needle),
      customers,
      offers: Uint8Array.from(r.offers, (offer) => (offer.toLowerCase().includes(needle) ? 1 : 0)),
    };
    this.searches.set(needle, search);
    if (this.searches.size > KEPT) this.searches.delete(this.searches.keys().next().value!);
    return search;
  }

  /** 1 for each entry of the column that contains `needle`, ignoring case. */
  private matches(column: TextColumn, needle: string): Uint8Array {
    const count = column.starts.length - 1;
    const hits = new Uint8Array(count);
    if (needle.includes(SEPARATOR)) {
      for (let e = 0; e < count; e++) if (textAt(column, e).toLowerCase().includes(needle)) hits[e] = 1;
      return hits;
    }
    const { text, starts } = this.lowerCase(column);
    // One native scan over all entries; after a hit, the scan goes on from the next entry.
    let e = 0;
    let at = text.indexOf(needle, 0);
    while (at !== -1) {
      while (starts[e + 1]! <= at) e++;
      hits[e] = 1;
      at = text.indexOf(needle, starts[e + 1]!);
    }
    return hits;
  }

  /** The column in lower case; its own offsets when lower-casing changed an entry's length. */
  private lowerCase(column: TextColumn): TextColumn {
    let lower = this.lowered.get(column);
    if (lower) return lower;
    const text = column.text.toLowerCase();
    if (text.length === column.text.length) {
      lower = { text, starts: column.starts };
    } else {
      const count = column.starts.length - 1;
      const starts = new Uint32Array(count + 1);
      const parts: string[] = [];
      for (let e = 0; e < count; e++) {
        const entry = textAt(column, e).toLowerCase();
        parts.push(entry);
        starts[e + 1] = starts[e]! + entry.length + 1;
      }
      lower = { text: parts.join(SEPARATOR) + (count > 0 ? SEPARATOR : ''), starts };
    }
    this.lowered.set(column, lower);
    return lower;
  }

  private countByDay(): DayCounts {
    const { rows: r, customers: cs } = this.data;
    const counts: DayCounts = {
      moves: new Int32Array(DAYS),
      needAttention: new Int32Array(DAYS),
      due: new Int32Array(DAYS),
      invitations: new Int32Array(DAYS),
      byRisk: RISKS.map(() => 0),
    };
    for (let i = 0; i < r.count; i++) {
      const risk = r.risk[i]!;
      counts.byRisk[risk]!++;
      const move = r.moveOn[i]!;
      if (move === NONE) continue;
      counts.moves[move]!++;
      if (risk !== OK) counts.needAttention[move]!++;
      if (r.state[i] === PLANNED && cs.invitation[this.rowCustomer[i]!] === ACCEPTED) counts.due[move]!++;
    }
    for (let c = 0; c < cs.count; c++) {
      const by = cs.inviteBy[c]!;
      if (by !== NONE && cs.invitation[c] !== ACCEPTED) counts.invitations[by]!++;
    }
    return counts;
  }
}

interface Search {
  rows: Uint8Array;
  customers: Uint8Array;
  offers: Uint8Array;
}

/** The rows a query's filters keep, and how many. */
interface Matching {
  mask: Uint8Array;
  total: number;
}

/** Filter results and text searches kept per view: a user paging through one search's results does not work it out again. */
const KEPT = 4;

/** The filters' key of a query that has none. */
const NO_FILTERS = JSON.stringify({ q: '' });

/** A bit per value of `all` that `values` holds; undefined when it holds none (no filter). */
function bits(values: readonly string[] | undefined, all: readonly string[]): number | undefined {
  if (!values || values.length === 0) return undefined;
  let mask = 0;
  for (const v of values) mask |= 1 << all.indexOf(v);
  return mask;
}

function optionalDay(day: number): string | undefined {
  return day === NONE ? undefined : dayToIso(day);
}

/** The days of an ISO range with either end open; undefined when both are. */
function dayRange(from: string | undefined, to: string | undefined): [Day, Day] | undefined {
  if (from === undefined && to === undefined) return undefined;
  return [from === undefined ? 0 : isoToDay(from), to === undefined ? DAYS : isoToDay(to)];
}

function identity(n: number): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return order;
}

/** 0 … n-1 stably ordered by keys in [0, range). */
function countingOrder(keys: Uint32Array, range: number, input?: Uint32Array): Uint32Array {
  const n = keys.length;
  const starts = new Uint32Array(range + 1);
  for (let i = 0; i < n; i++) starts[keys[i]! + 1]!++;
  for (let k = 0; k < range; k++) starts[k + 1]! += starts[k]!;
  const order = new Uint32Array(n);
  if (input) {
    for (let j = 0; j < n; j++) {
      const i = input[j]!;
      order[starts[keys[i]!]!++] = i;
    }
  } else {
    for (let i = 0; i < n; i++) order[starts[keys[i]!]!++] = i;
  }
  return order;
}

/** 0 … n-1 stably ordered by 32-bit keys up to `max`: one counting pass per 16 bits used. */
function radixOrder(keys: Uint32Array, max: number): Uint32Array {
  if (max < DAYS) return countingOrder(keys, max + 1);
  const low = keys.map((k) => k & 0xffff);
  const high = keys.map((k) => k >>> 16);
  return countingOrder(high, (max >>> 16) + 1, countingOrder(low, DAYS));
}
