/**
 * Builds a Portfolio row by row as a file is read, then resolves what needs the whole file: the
 * day-first/month-first decision, customers in another country than the partner, add-on chains.
 */
import { BaseRows } from '../../columnar/base-rows.js';
import { IdStore } from '../../columnar/id-store.js';
import { RowNumbers } from '../../columnar/row-numbers.js';
import { detach, StringTable } from '../../columnar/string-store.js';
import { release, resized, type TypedArray } from '../../columnar/typed-arrays.js';
import { type Counts, type SmallIds, setCount, setSmallId } from '../../columnar/widening.js';
import type { RowCode } from '../codes.js';
import { type ColumnName, STATUS_DAY_COLUMNS } from '../columns.js';
import { type Day, dayToIso, FIRST_DAY, LAST_DAY, NO_DAY } from '../dates.js';
import { invitationRank } from '../lifecycle.js';
import { discontinuedMatcher, needsReassignment } from '../offers.js';
import type { DateFormat } from '../partner-settings.js';
import type { RawRow, SubscriptionRow } from '../subscription-row.js';
import { type DateToken, isEmail, pairEvidence, pairToDay } from '../values.js';
import { Customers } from './customers.js';
import {
  type DateFormatDecision,
  type DateVotes,
  decideDateFormat,
  formatName,
  isPacked,
  pack,
  packedFields,
  unpack,
} from './date-format-decision.js';
import { INELIGIBLE, INELIGIBLE_REASONS, type IneligibleReason, KEPT, LIFECYCLES, type Portfolio, REJECTED } from './portfolio.js';
import { ProblemList } from './problems.js';
import { type StatedDayColumn, StatedDays } from './stated-days.js';

export interface BuilderOptions {
  partnerCountry: string;
  /** The day the file is planned as of. */
  today: Day;
  dateFormat: DateFormat;
  discontinuedOffers: readonly string[];
  /** The header each column had in the file, for messages. */
  labels: Partial<Record<ColumnName, string>>;
}

const EXPIRED = LIFECYCLES.indexOf('expired');
const DISABLED = LIFECYCLES.indexOf('disabled');
const PENDING_END = 1;
const PENDING_START = 2;
const BASE_LATER = -2;

/** Builds a Portfolio row by row (ingest), then resolves what needs the whole file (finish). */
export class PortfolioBuilder {
  private cap = 1024;
  private n = 0;
  private row = new RowNumbers();
  private customer = new Int32Array(this.cap);
  private offer: SmallIds = new Int8Array(this.cap);
  private target: SmallIds = new Int8Array(this.cap);
  private seats: Counts = new Uint16Array(this.cap);
  private program: SmallIds = new Int8Array(this.cap);
  private endDay = new Int32Array(this.cap);
  /** Start days once decided, 0 for none (a pending one is in `startDay` until the format is known). */
  private start16 = new Uint16Array(this.cap);
  /** Only for files with day-first/month-first dates: start days and what is still undecided. */
  private startDay: Int32Array | undefined;
  private pending: Uint8Array | undefined;
  private autoRenew = new Int8Array(this.cap);
  private priceRef: SmallIds = new Int8Array(this.cap);
  private readonly prices: number[] = [];
  private readonly priceIds = new Map<number, number>();
  private status: SmallIds = new Int8Array(this.cap);
  private lifecycle = new Uint8Array(this.cap);
  /** The base row of an add-on once known; BASE_LATER while its id waits in `basesLater`. */
  private baseRef = new Int32Array(this.cap);
  private readonly basesLater = new Map<number, string>();
  private state = new Uint8Array(this.cap);
  private reason = new Uint8Array(this.cap);

  private readonly ids = new IdStore();
  private readonly strings = new StringTable();
  private readonly customers = new Customers();
  private readonly problems: ProblemList;
  private readonly isDiscontinued: (offer: string) => boolean;
  /** Raw text of day-first/month-first dates that only one reading allows, for late messages. */
  private readonly decisiveDates = new Map<number, string>();
  private votes: DateVotes = { dmy: 0, mdy: 0, dmyExample: '', mdyExample: '' };
  /** The lifecycle's days the file gives (a re-uploaded plan.csv), by row while the file is read. */
  private readonly statedDays = new StatedDays();
  /** The row that gave each customer's invited_on / accepted_on first. */
  private readonly statedRowOf = { invited_on: new Map<number, number>(), accepted_on: new Map<number, number>() };
  private statedPending = false;
  private dataRows = 0;
  private blankRows = 0;

  constructor(private readonly options: BuilderOptions) {
    this.problems = new ProblemList(options.labels);
    this.isDiscontinued = discontinuedMatcher(options.discontinuedOffers);
  }

  get rowsRead(): number {
    return this.dataRows;
  }

  blank(): void {
    this.blankRows++;
  }

  /** A row the schema rejected: each problem goes to errors.csv. */
  reject(rowNumber: number, raw: RawRow, problems: { column: ColumnName | ''; code: RowCode; detail?: string }[]): void {
    this.dataRows++;
    for (const p of problems) this.problem(rowNumber, p.column, p.column ? raw[p.column] : '', p.code, p.detail);
  }

  /** A row that passed the schema; it may still be rejected here (duplicate id, bad date). */
  add(rowNumber: number, row: SubscriptionRow, raw: RawRow, extraFields = 0): void {
    this.dataRows++;
    const existing = this.ids.find(row.subscription_id);
    if (existing !== -1) {
      this.problem(rowNumber, 'subscription_id', raw.subscription_id, 'duplicate_subscription', String(this.row.get(existing)));
      return;
    }
    const end = this.encodeDate(row.end_date, 'end_date', rowNumber, raw);
    const start = row.start_date ? this.encodeDate(row.start_date, 'start_date', rowNumber, raw) : NO_DAY;
    if (end === undefined || start === undefined) {
      return;
    }
    const stated: [StatedDayColumn, Day][] = [];
    for (const column of STATUS_DAY_COLUMNS) {
      const token = row[column];
      if (!token) continue;
      const day = this.encodeDate(token, column, rowNumber, raw);
      if (day === undefined) return;
      stated.push([column, day]);
    }
    if (this.n === this.cap) this.grow();
    const i = this.n++;
    this.ids.add(row.subscription_id);
    this.row.push(rowNumber);
    this.customer[i] = this.customerOf(row, rowNumber, raw);
    for (const [column, day] of stated) this.stateDay(i, column, day, rowNumber, raw);
    this.offer = setSmallId(this.offer, i, this.strings.intern(row.offer));
    this.target = setSmallId(this.target, i, this.strings.intern(row.target_offer || row.offer));
    this.seats = setCount(this.seats, i, row.seats);
    this.program = setSmallId(this.program, i, row.licensing_program ? this.strings.intern(row.licensing_program) : -1);
    this.endDay[i] = end;
    this.start16[i] = start === NO_DAY || isPacked(start) ? 0 : start;
    const endPending = isPacked(end);
    const startPending = isPacked(start);
    if (endPending || startPending) {
      const deferred = this.deferred();
      deferred.startDay[i] = start;
      deferred.pending[i] = (endPending ? PENDING_END : 0) | (startPending ? PENDING_START : 0);
    }
    this.autoRenew[i] = row.auto_renew === undefined ? -1 : row.auto_renew ? 1 : 0;
    this.priceRef = setSmallId(this.priceRef, i, this.priceId(row.unit_price_monthly ?? NaN, this.offer[i]!));
    this.status = setSmallId(this.status, i, row.status.raw ? this.strings.intern(row.status.raw) : -1);
    this.lifecycle[i] = LIFECYCLES.indexOf(row.status.lifecycle);
    this.baseRef[i] = -1;
    const baseId = row.base_subscription_id;
    if (baseId && baseId !== row.subscription_id) {
      this.baseRef[i] = this.ids.find(baseId);
      if (this.baseRef[i] === -1) {
        this.baseRef[i] = BASE_LATER; // its row may come later in the file
        this.basesLater.set(i, detach(baseId));
      }
    }
    this.state[i] = KEPT;
    this.reason[i] = 0;

    if (row.status.lifecycle === 'unknown') this.problem(rowNumber, 'status', raw.status, 'unknown_status');
    if (row.status.lifecycle === 'deleted') {
      this.markIneligible(i, 'deleted');
      this.problem(rowNumber, 'status', raw.status, 'deleted_subscription');
    }
    // Only when the file has the column: a file without it (the batch tool's) would flag every row.
    if (!row.contact_email) {
      if (this.options.labels.contact_email) this.problem(rowNumber, 'contact_email', raw.contact_email, 'missing_contact_email');
    } else if (!isEmail(row.contact_email)) this.problem(rowNumber, 'contact_email', raw.contact_email, 'invalid_email');
    if (extraFields > 0) this.problem(rowNumber, '', '', 'extra_fields', String(extraFields));
    const target = row.target_offer || row.offer;
    if (this.isDiscontinued(row.offer) && (!needsReassignment(row.offer, target) || this.isDiscontinued(target))) {
      this.markIneligible(i, 'discontinued_without_target');
      this.problem(
        rowNumber,
        row.target_offer ? 'target_offer' : 'offer',
        row.target_offer ? raw.target_offer : raw.offer,
        'discontinued_without_target',
      );
    }
    if (!endPending && !startPending && start !== NO_DAY && start > end) {
      this.problem(rowNumber, 'start_date', dayToIso(start), 'start_after_end');
    }
  }

  /**
   * Keeps a lifecycle day the row gives: per row for provisioned_on, per customer (its first row
   * that gives one) for the invitation's days; another day for the same customer is a conflict.
   */
  private stateDay(i: number, column: StatedDayColumn, day: Day, rowNumber: number, raw: RawRow): void {
    if (isPacked(day)) this.statedPending = true;
    if (column === 'provisioned_on') {
      this.statedDays.provisionedOn.set(i, day);
      return;
    }
    const c = this.customer[i]!;
    const first = this.statedRowOf[column].get(c);
    if (first === undefined) {
      this.statedRowOf[column].set(c, i);
      this.statedDays.of(column).set(i, day);
    } else if (this.statedDays.of(column).get(first) !== day) {
      this.problem(rowNumber, column, raw[column], 'customer_conflict', String(this.row.get(first)));
    }
  }

  /** The arrays of files with undecided dates, made at the first such row. */
  private deferred(): { startDay: Int32Array; pending: Uint8Array } {
    this.startDay ??= new Int32Array(this.cap).fill(NO_DAY);
    this.pending ??= new Uint8Array(this.cap);
    return { startDay: this.startDay, pending: this.pending };
  }

  /** The price id last seen with each offer: a file's prices mostly follow its offers. */
  private readonly priceByOffer: number[] = [];

  private priceId(price: number, offer: number): number {
    const known = this.priceByOffer[offer];
    if (known !== undefined && Object.is(this.prices[known], price)) return known;
    const key = Number.isNaN(price) ? -1 : price;
    let id = this.priceIds.get(key);
    if (id === undefined) {
      id = this.prices.length;
      this.prices.push(price);
      this.priceIds.set(key, id);
    }
    this.priceByOffer[offer] = id;
    return id;
  }

  finish(): Portfolio {
    const dateFormat = this.resolveDates();
    const statedDays = this.resolveStatedDays(dateFormat);
    this.checkStatuses();
    this.checkCountries();
    this.resolveBases();
    this.ids.dropIndex(); // no lookups after this: ~8 bytes a row back
    this.customers.dropIndex();
    this.startDay = this.pending = undefined;
    this.problems.sortByRow();
    const n = this.n;
    let kept = 0;
    for (let i = 0; i < n; i++) if (this.state[i] !== REJECTED) kept++;
    return {
      size: n,
      row: this.row,
      customer: this.customer.subarray(0, n),
      offer: this.offer.subarray(0, n),
      target: this.target.subarray(0, n),
      seats: this.seats.subarray(0, n),
      program: this.program.subarray(0, n),
      endDay: this.endDays16(),
      startDay: this.start16.subarray(0, n),
      autoRenew: this.autoRenew.subarray(0, n),
      priceRef: this.priceRef.subarray(0, n),
      prices: this.prices,
      status: this.status.subarray(0, n),
      lifecycle: this.lifecycle.subarray(0, n),
      base: this.baseRows(),
      state: this.state.subarray(0, n),
      reason: this.reason.subarray(0, n),
      ids: this.ids,
      strings: this.strings,
      customers: this.customers,
      statedDays,
      problems: this.problems,
      stats: {
        dataRows: this.dataRows,
        blankRows: this.blankRows,
        rejectedRows: this.dataRows - kept,
        keptRows: kept,
        dateFormat,
      },
    };
  }

  // --- rows ---------------------------------------------------------------------------------

  private problem(row: number, column: ColumnName | '', value: string | undefined, code: RowCode, detail?: string): void {
    this.problems.add(row, column, value, code, detail);
  }

  private markIneligible(i: number, reason: IneligibleReason): void {
    this.state[i] = INELIGIBLE;
    this.reason[i] = INELIGIBLE_REASONS.indexOf(reason);
  }

  /** The customer of the row before: a customer's rows usually come together. */
  private lastCustomer = { id: '', index: -1 };

  private customerOf(row: SubscriptionRow, rowNumber: number, raw: RawRow): number {
    const c = this.customers;
    const email = row.contact_email && isEmail(row.contact_email) ? row.contact_email : undefined;
    const last = this.lastCustomer;
    const index = last.index !== -1 && row.customer_id === last.id ? last.index : c.find(row.customer_id);
    last.id = row.customer_id;
    if (index === -1) {
      last.index = c.add(row.customer_id, row.customer_name, email, row.country, row.invitation_status ?? 'not_sent', rowNumber);
      return last.index;
    }
    last.index = index;
    const first = String(c.firstRow[index]);
    if (row.customer_name !== c.name(index)) this.problem(rowNumber, 'customer_name', raw.customer_name, 'customer_conflict', first);
    if (row.country && c.country[index] && row.country !== c.country[index]) {
      this.problem(rowNumber, 'country', raw.country, 'customer_conflict', first);
    }
    if (!c.country[index] && row.country) c.country[index] = row.country;
    if (email && !c.email(index)) c.setEmail(index, email);
    const invitation = row.invitation_status;
    if (invitation && invitationRank(invitation) > invitationRank(c.invitation[index]!)) c.invitation[index] = invitation;
    return index;
  }

  /**
   * Stores a date as a day, or (auto format, day-first vs month-first undecided) as a packed
   * pair resolved in finish(). Returns undefined when the row was rejected for it.
   */
  private encodeDate(
    token: DateToken,
    column: 'end_date' | 'start_date' | StatedDayColumn,
    rowNumber: number,
    raw: RawRow,
  ): Day | undefined {
    if (token.kind === 'day') return token.day;
    if (token.kind === 'invalid') return undefined; // the schema rejects these already
    const format = this.options.dateFormat;
    const value = raw[column] ?? '';
    if (format === 'iso') {
      this.problem(rowNumber, column, value, 'invalid_date', ' in YYYY-MM-DD (date format iso)');
      return undefined;
    }
    if (format === 'dmy' || format === 'mdy') {
      const day = pairToDay(token.first, token.second, token.year, format);
      if (Number.isNaN(day)) {
        this.problem(
          rowNumber,
          column,
          value,
          'invalid_date',
          ` in ${format === 'dmy' ? 'DD/MM/YYYY' : 'MM/DD/YYYY'} (date format ${format})`,
        );
        return undefined;
      }
      return day;
    }
    const evidence = pairEvidence(token.first, token.second, token.year);
    if (evidence === 'none') {
      // No such day either way, but a first field above 12 still says the file writes the day
      // first (31/02 has no month 31), and a second one above 12 month-first.
      const says = token.first > 12 && token.second <= 12 ? 'dmy' : token.second > 12 && token.first <= 12 ? 'mdy' : undefined;
      if (says) this.vote(says, value);
      this.problem(rowNumber, column, value, 'invalid_date', ' in either DD/MM/YYYY or MM/DD/YYYY');
      return undefined;
    }
    if (evidence === 'dmy' || evidence === 'mdy') {
      this.vote(evidence, value);
      if (column === 'end_date' || column === 'start_date')
        this.decisiveDates.set(this.n * 2 + (column === 'end_date' ? 0 : 1), detach(value));
    }
    return pack(token.first, token.second, token.year);
  }

  private vote(format: 'dmy' | 'mdy', value: string): void {
    this.votes[format]++;
    if (!this.votes[`${format}Example`]) this.votes[`${format}Example`] = value.trim();
  }

  /** Whether reserve() sized the columns from an estimate: then they grow by a quarter, not double. */
  private reserved = false;

  /**
   * Sizes the columns for about `rows` rows at once, so they are not copied while they grow: each
   * copy left the freed arrays in the allocator, tens of megabytes on a large file.
   */
  reserve(rows: number): void {
    if (rows <= this.cap) return;
    this.reserved = true;
    this.grow(rows);
    this.ids.reserve(rows);
  }

  private grow(size = this.reserved ? Math.ceil(this.cap * 1.25) : this.cap * 2): void {
    this.cap = size;
    const grow = <T extends TypedArray>(column: T): T => resized(column, size);
    this.customer = grow(this.customer);
    this.offer = grow(this.offer);
    this.target = grow(this.target);
    this.seats = grow(this.seats);
    this.program = grow(this.program);
    this.endDay = grow(this.endDay);
    this.start16 = grow(this.start16);
    if (this.startDay) this.startDay = grow(this.startDay).fill(NO_DAY, this.n);
    if (this.pending) this.pending = grow(this.pending);
    this.autoRenew = grow(this.autoRenew);
    this.priceRef = grow(this.priceRef);
    this.status = grow(this.status);
    this.lifecycle = grow(this.lifecycle);
    this.baseRef = grow(this.baseRef);
    this.state = grow(this.state);
    this.reason = grow(this.reason);
  }

  /**
   * The end days in 16 bits once every date is decided: while the file is read, a column may
   * hold a day-first/month-first pair not decided yet (see pack), which needs 32.
   */
  private endDays16(): Uint16Array {
    const days = new Uint16Array(this.n);
    for (let i = 0; i < this.n; i++) {
      const day = this.endDay[i]!;
      if (day >= FIRST_DAY && day <= LAST_DAY) days[i] = day;
      else if (this.state[i] !== REJECTED) throw new Error(`Portfolio: row ${this.row.get(i)} kept with end day ${day}`);
    }
    release(this.endDay);
    return days;
  }

  private baseRows(): BaseRows {
    const rows = BaseRows.from(this.baseRef, this.n);
    release(this.baseRef);
    return rows;
  }

  // --- whole-file checks ---------------------------------------------------------------------

  /** Decides the file's slash dates (date-format-decision.ts) and reads the undecided ones so. */
  private resolveDates(): DateFormatDecision {
    const pending = this.pending;
    let undecided = false;
    for (let i = 0; pending && i < this.n && !undecided; i++) undecided = pending[i] !== 0;
    undecided ||= this.statedPending;
    const decision = decideDateFormat(this.votes, this.options.dateFormat, this.options.partnerCountry, undecided);
    if (!undecided || !pending) return decision;
    const used = decision.used as 'dmy' | 'mdy';
    const startDay = this.startDay!;
    for (let i = 0; i < this.n; i++) {
      const flags = pending![i]!;
      if (flags === 0) continue;
      let bad: 'end_date' | 'start_date' | undefined;
      if (flags & PENDING_END) {
        const day = unpack(this.endDay[i]!, used);
        if (Number.isNaN(day)) bad = 'end_date';
        else this.endDay[i] = day;
      }
      if (flags & PENDING_START) {
        const day = unpack(startDay[i]!, used);
        if (Number.isNaN(day)) bad ??= 'start_date';
        else {
          startDay[i] = day;
          this.start16[i] = day;
        }
      }
      pending![i] = 0;
      if (bad) {
        const raw = this.decisiveDates.get(i * 2 + (bad === 'end_date' ? 0 : 1)) ?? '';
        this.state[i] = REJECTED;
        this.problem(this.row.get(i), bad, raw, 'invalid_date', ` in ${formatName(used)}, the format of this file`);
      } else if (startDay[i] !== NO_DAY && startDay[i]! > this.endDay[i]!) {
        this.problem(this.row.get(i), 'start_date', dayToIso(startDay[i]!), 'start_after_end');
      }
    }
    return decision;
  }

  /**
   * The lifecycle's days, decided and checked: a pair is read in the file's format (a row whose
   * pair is no date in it is rejected, as for end_date); a day after tomorrow cannot have
   * happened, and an invitation cannot be accepted before it was sent: the message says which
   * day the change takes instead. Customer days move from their row to their customer.
   */
  private resolveStatedDays(decision: DateFormatDecision): StatedDays {
    const resolved = new StatedDays();
    for (const column of STATUS_DAY_COLUMNS) {
      for (const [i, stated] of this.statedDays.of(column)) {
        const day = isPacked(stated) ? (decision.used === 'iso' ? NaN : unpack(stated, decision.used)) : stated;
        if (Number.isNaN(day)) {
          const pair = packedFields(stated).join('/');
          this.state[i] = REJECTED;
          this.problem(this.row.get(i), column, pair, 'invalid_date', ` in ${formatName(decision.used)}, the format of this file`);
          continue;
        }
        const key = column === 'provisioned_on' ? i : this.customer[i]!;
        resolved.of(column).set(key, day);
      }
    }
    // Column by column, so a row's warnings come in the columns' order.
    const tomorrow = this.options.today + 1;
    for (const column of STATUS_DAY_COLUMNS) {
      const days = resolved.of(column);
      for (const [key, day] of days) {
        const i = column === 'provisioned_on' ? key : this.statedRowOf[column].get(key)!;
        if (day > tomorrow) {
          this.problem(
            this.row.get(i),
            column,
            dayToIso(day),
            'unusable_status_date',
            'is after tomorrow: the change takes the upload day',
          );
          days.delete(key);
          continue;
        }
        const invited = column === 'accepted_on' ? resolved.invitedOn.get(key) : undefined;
        if (invited !== undefined && day < invited) {
          this.problem(
            this.row.get(i),
            column,
            dayToIso(day),
            'unusable_status_date',
            `is before invited_on ${dayToIso(invited)}: the acceptance takes that day`,
          );
          days.set(key, invited);
        }
      }
    }
    return resolved;
  }

  /** A status saying the subscription has ended while its end date is still to come is worth a check. */
  private checkStatuses(): void {
    const today = this.options.today;
    for (let i = 0; i < this.n; i++) {
      const lc = this.lifecycle[i];
      if (this.state[i] === REJECTED || (lc !== EXPIRED && lc !== DISABLED) || this.endDay[i]! <= today) continue;
      this.problem(this.row.get(i), 'status', this.strings.get(this.status[i]!), 'status_contradicts_end_date', dayToIso(this.endDay[i]!));
    }
  }

  /** A customer in another country than the partner cannot be moved by this partner. */
  private checkCountries(): void {
    const partner = this.options.partnerCountry;
    for (let i = 0; i < this.n; i++) {
      if (this.state[i] === REJECTED) continue;
      const country = this.customers.country[this.customer[i]!];
      if (country && country !== partner) {
        this.markIneligible(i, 'country_mismatch');
        this.problem(this.row.get(i), 'country', country, 'country_mismatch', partner);
      }
    }
  }

  /**
   * Links each add-on to its base row, rejecting loops, bases of another customer and chains
   * through a rejected row; an add-on whose chain leads to an ineligible root is ineligible too.
   * Which rows move together is the planner's business (planner/units.ts).
   */
  private resolveBases(): void {
    const n = this.n;
    const base = this.baseRef;
    for (const [i, id] of this.basesLater) {
      const target = this.ids.find(id);
      base[i] = target;
      if (target === -1 && this.state[i] !== REJECTED) {
        this.state[i] = REJECTED;
        this.problem(this.row.get(i), 'base_subscription_id', id, 'unknown_base_subscription');
      }
    }
    for (let i = 0; i < n; i++) {
      const b = base[i]!;
      if (b < 0 || this.state[i] === REJECTED || this.customer[b] === this.customer[i]) continue;
      this.state[i] = REJECTED;
      const c = this.customers;
      this.problem(
        this.row.get(i),
        'base_subscription_id',
        this.ids.get(b),
        'base_of_other_customer',
        `"${c.id(this.customer[b]!)}" (row ${this.row.get(b)}), not to this row's customer "${c.id(this.customer[i]!)}"`,
      );
    }
    for (let i = 0; i < n; i++) {
      if (base[i] === -1 || this.state[i] === REJECTED) continue;
      let root = i;
      let steps = 0;
      let rejected = -1;
      while (base[root]! !== -1 && steps <= n) {
        root = base[root]!;
        steps++;
        if (this.state[root] === REJECTED) {
          rejected = root;
          break;
        }
      }
      if (rejected === -1 && (steps > n || root === i)) {
        this.state[i] = REJECTED;
        this.problem(this.row.get(i), 'base_subscription_id', this.ids.get(base[i]!), 'add_on_chain');
        continue;
      }
      if (rejected !== -1) {
        this.state[i] = REJECTED;
        this.problem(
          this.row.get(i),
          'base_subscription_id',
          this.ids.get(base[i]!),
          'unknown_base_subscription',
          `was rejected (row ${this.row.get(rejected)})`,
        );
        continue;
      }
      if (this.state[root] === INELIGIBLE && this.state[i] === KEPT) {
        this.markIneligible(i, 'base_ineligible');
        this.problem(this.row.get(i), 'base_subscription_id', this.ids.get(base[i]!), 'base_ineligible', String(this.row.get(root)));
      }
    }
  }
}
