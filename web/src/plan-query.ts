/**
 * The plan page's filters, sort and page as they stand in its URL (`/plan?risk=at_risk&page=2`),
 * so a filtered plan can be linked to, bookmarked and reloaded. The names are the API's
 * (GET /api/plan): the page passes its query on as it is. Pure, so tests can import it.
 */
import type { PlanSort } from '../../shared/console/contract.js';
import { INVITATION_STATUSES, type InvitationStatus, RISKS, type Risk, SUBSCRIPTION_STATES, type SubscriptionState } from './words.js';

/** The contract's sorts and page sizes, checked against it by type (its values come with zod). */
export const SORTS = ['move_on', 'invite_by', 'end_date', 'customer', 'risk', 'seats'] as const satisfies readonly PlanSort[];
export const PAGE_SIZE_DEFAULT = 50;
export const PAGE_SIZE_CHOICES = [25, 50, 100, 200] as const;

export interface PlanFilters {
  risk: Risk[];
  invitation: InvitationStatus[];
  state: SubscriptionState[];
  invite_from: string;
  invite_to: string;
  move_from: string;
  move_to: string;
  country: string;
  q: string;
  sort: PlanSort;
  order: 'asc' | 'desc';
  page: number;
  size: number;
}

export const NO_FILTERS: PlanFilters = {
  risk: [],
  invitation: [],
  state: [],
  invite_from: '',
  invite_to: '',
  move_from: '',
  move_to: '',
  country: '',
  q: '',
  sort: 'move_on',
  order: 'asc',
  page: 1,
  size: PAGE_SIZE_DEFAULT,
};

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function listOf<T extends string>(raw: string | undefined, allowed: readonly T[]): T[] {
  if (!raw) return [];
  const wanted = new Set(raw.split(','));
  return allowed.filter((v) => wanted.has(v));
}

function day(raw: string | undefined): string {
  return raw && DAY.test(raw) ? raw : '';
}

function positive(raw: string | undefined, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(raw);
  return Number.isInteger(n) && n >= 1 ? Math.min(n, max) : fallback;
}

/** The filters of a URL query; what the page cannot read falls back to its default. */
export function readFilters(query: Record<string, string | undefined>): PlanFilters {
  return {
    risk: listOf(query.risk, RISKS),
    invitation: listOf(query.invitation, INVITATION_STATUSES),
    state: listOf(query.state, SUBSCRIPTION_STATES),
    invite_from: day(query.invite_from),
    invite_to: day(query.invite_to),
    move_from: day(query.move_from),
    move_to: day(query.move_to),
    country: (query.country ?? '').trim().slice(0, 2).toUpperCase(),
    q: (query.q ?? '').slice(0, 200),
    sort: (SORTS as readonly string[]).includes(query.sort ?? '') ? (query.sort as PlanSort) : 'move_on',
    order: query.order === 'desc' ? 'desc' : 'asc',
    page: positive(query.page, 1),
    size: positive(query.size, PAGE_SIZE_DEFAULT, 200),
  };
}

/** The query for the URL and the API: only what differs from the defaults, in a fixed order. */
export function filtersQuery(filters: Partial<PlanFilters>): string {
  const f = { ...NO_FILTERS, ...filters };
  const params = new URLSearchParams();
  const lists = [
    ['risk', f.risk],
    ['invitation', f.invitation],
    ['state', f.state],
  ] as const;
  for (const [key, values] of lists) if (values.length) params.set(key, values.join(','));
  for (const key of ['invite_from', 'invite_to', 'move_from', 'move_to', 'country', 'q'] as const) {
    const value = f[key].trim();
    if (value) params.set(key, value);
  }
  if (f.sort !== NO_FILTERS.sort) params.set('sort', f.sort);
  if (f.order !== NO_FILTERS.order) params.set('order', f.order);
  if (f.page !== 1) params.set('page', String(f.page));
  if (f.size !== PAGE_SIZE_DEFAULT) params.set('size', String(f.size));
  return params.toString();
}

/** The plan page's link for these filters. */
export function planLink(filters: Partial<PlanFilters>): string {
  const query = filtersQuery(filters);
  return query ? `/plan?${query}` : '/plan';
}

/** How many filters (not sort or page) are set: "3 filters" on a phone's folded form. */
export function activeFilterCount(f: PlanFilters): number {
  return (
    f.risk.length +
    f.invitation.length +
    f.state.length +
    [f.invite_from, f.invite_to, f.move_from, f.move_to, f.country, f.q].filter((v) => v.trim() !== '').length
  );
}
