/**
 * Test helper: the plan view's queries done the naive way, over an array of the contract's rows
 * (filter, sort with a comparator, slice), and a PlanData built from such rows for the engine.
 */
import type { PlanQuery, PlanRow, PlanSort } from '../../shared/console/contract.js';
import { dayToIso, isoToDay, mondayOf } from '../../shared/domain/dates.js';
import { INVITATION_STATUSES } from '../../shared/domain/lifecycle.js';
import { RISKS } from '../../shared/domain/risk.js';
import { SUBSCRIPTION_STATES } from '../../shared/domain/status-events.js';
import { WeekTally } from '../../shared/domain/week-series.js';
import { type PlanData, SEPARATOR, type TextColumn } from '../../shared/storage/plan-view/plan-table.js';

/** Names ignoring case, then as written. */
export function byName(a: string, b: string): number {
  const [la, lb] = [a.toLowerCase(), b.toLowerCase()];
  if (la !== lb) return la < lb ? -1 : 1;
  return a === b ? 0 : a < b ? -1 : 1;
}
const byText = (a: string, b: string) => (a === b ? 0 : a < b ? -1 : 1);

/** A row's key for a sort; undefined: it has none (such rows go last, whichever the order). */
function keyOf(row: PlanRow, sort: PlanSort): string | number | undefined {
  switch (sort) {
    case 'move_on':
      return row.moveOn;
    case 'invite_by':
      return row.inviteBy;
    case 'end_date':
      return row.endDate;
    case 'customer':
      return row.customerName;
    case 'risk':
      return RISKS.indexOf(row.risk);
    case 'seats':
      return row.seats;
  }
}

export function oraclePage(all: readonly PlanRow[], query: PlanQuery): { rows: PlanRow[]; total: number } {
  const q = query.q?.trim().toLowerCase();
  const matching = all.filter(
    (r) =>
      (!query.risk?.length || query.risk.includes(r.risk)) &&
      (!query.invitation?.length || query.invitation.includes(r.invitation)) &&
      (!query.state?.length || query.state.includes(r.state)) &&
      (query.invite_from === undefined || (r.inviteBy !== undefined && r.inviteBy >= query.invite_from)) &&
      (query.invite_to === undefined || (r.inviteBy !== undefined && r.inviteBy <= query.invite_to)) &&
      (query.move_from === undefined || (r.moveOn !== undefined && r.moveOn >= query.move_from)) &&
      (query.move_to === undefined || (r.moveOn !== undefined && r.moveOn <= query.move_to)) &&
      (query.country === undefined || r.country === query.country.toUpperCase()) &&
      (!q || [r.customerName, r.customerId, r.subscriptionId, r.offer, r.targetOffer].some((t) => t.toLowerCase().includes(q))),
  );
  const sign = query.order === 'desc' ? -1 : 1;
  const sorted = [...matching].sort((a, b) => {
    const [ka, kb] = [keyOf(a, query.sort), keyOf(b, query.sort)];
    if (ka !== kb) {
      if (ka === undefined) return 1;
      if (kb === undefined) return -1;
      const primary =
        typeof ka === 'string' ? (query.sort === 'customer' ? byName(ka, kb as string) : byText(ka, kb as string)) : ka - (kb as number);
      if (primary !== 0) return sign * primary;
    }
    return byName(a.customerName, b.customerName) || byText(a.customerId, b.customerId) || byText(a.subscriptionId, b.subscriptionId);
  });
  const start = (query.page - 1) * query.size;
  return { rows: sorted.slice(start, start + query.size), total: matching.length };
}

/** The glance of contract.ts's HomeView comments, counted one row and one customer at a time. */
export function oracleGlance(rows: readonly PlanRow[], today: string) {
  const day = isoToDay(today);
  const weekStart = mondayOf(day);
  const weekEnd = dayToIso(weekStart + 6);
  const customers = new Map<string, PlanRow>();
  for (const r of rows) customers.set(r.customerId, r);
  let toSend = 0;
  let overdue = 0;
  for (const c of customers.values()) {
    if (c.invitation === 'accepted' || c.inviteBy === undefined) continue;
    if (c.inviteBy < today) overdue++;
    else if (c.inviteBy <= weekEnd) toSend++;
  }
  const weeks = new WeekTally();
  for (const r of rows) if (r.moveOn !== undefined) weeks.add(isoToDay(r.moveOn), r.risk !== 'ok');
  const series = weeks.series(day);
  const count = (risk: PlanRow['risk']) => rows.filter((r) => r.risk === risk).length;
  return {
    week: { start: dayToIso(weekStart), end: weekEnd },
    invitations: { toSend, overdue },
    movesDue: rows.filter((r) => r.invitation === 'accepted' && r.state === 'planned' && r.moveOn !== undefined && r.moveOn <= weekEnd)
      .length,
    atRisk: count('at_risk'),
    expired: { grace: count('expired_grace'), lapsed: count('lapsed') },
    weeks: series.weeks,
    later: series.later,
  };
}

/** What a customer adds to its rows in the view. */
export interface CustomerExtras {
  contactEmail?: string | undefined;
  firstMove?: string | undefined;
  lastEndDate: string;
}

/** PlanData holding these rows (a customer's fields taken from its first row), in the order the snapshot writes. */
export function planDataOf(rows: readonly PlanRow[], extras: (customerId: string) => CustomerExtras, today = '2026-12-01'): PlanData {
  const customers = [...new Map(rows.map((r) => [r.customerId, r])).values()].sort(
    (a, b) => byName(a.customerName, b.customerName) || byText(a.customerId, b.customerId),
  );
  const place = new Map(customers.map((c, k) => [c.customerId, k]));
  const ordered = [...rows].sort(
    (a, b) => place.get(a.customerId)! - place.get(b.customerId)! || byText(a.subscriptionId, b.subscriptionId),
  );
  const countries = [...new Set(customers.map((c) => c.country))];
  const offers = [...new Set(rows.flatMap((r) => [r.offer, r.targetOffer]))];
  const day = (iso: string | undefined) => (iso === undefined ? 0 : isoToDay(iso));
  const starts = new Uint32Array(customers.length + 1);
  for (const r of ordered) starts[place.get(r.customerId)! + 1]!++;
  for (let k = 0; k < customers.length; k++) starts[k + 1]! += starts[k]!;
  return {
    plannedAt: `${today}T08:00:00.000Z`,
    today,
    customers: {
      count: customers.length,
      id: text(customers.map((c) => c.customerId)),
      name: text(customers.map((c) => c.customerName)),
      email: text(customers.map((c) => extras(c.customerId).contactEmail ?? '')),
      country: Uint8Array.from(customers, (c) => countries.indexOf(c.country)),
      countries,
      invitation: Uint8Array.from(customers, (c) => INVITATION_STATUSES.indexOf(c.invitation)),
      inviteBy: Uint16Array.from(customers, (c) => day(c.inviteBy)),
      firstMove: Uint16Array.from(customers, (c) => day(extras(c.customerId).firstMove)),
      lastEnd: Uint16Array.from(customers, (c) => day(extras(c.customerId).lastEndDate)),
      rows: starts,
    },
    rows: {
      count: ordered.length,
      subscriptionId: text(ordered.map((r) => r.subscriptionId)),
      offer: Uint16Array.from(ordered, (r) => offers.indexOf(r.offer)),
      target: Uint16Array.from(ordered, (r) => offers.indexOf(r.targetOffer)),
      offers,
      seats: Uint32Array.from(ordered, (r) => r.seats),
      endDay: Uint16Array.from(ordered, (r) => day(r.endDate)),
      moveOn: Uint16Array.from(ordered, (r) => day(r.moveOn)),
      risk: Uint8Array.from(ordered, (r) => RISKS.indexOf(r.risk)),
      state: Uint8Array.from(ordered, (r) => SUBSCRIPTION_STATES.indexOf(r.state)),
    },
  };
}

function text(entries: readonly string[]): TextColumn {
  const starts = new Uint32Array(entries.length + 1);
  entries.forEach((e, k) => {
    starts[k + 1] = starts[k]! + e.length + 1;
  });
  return { text: entries.map((e) => e + SEPARATOR).join(''), starts };
}
