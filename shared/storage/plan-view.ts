/**
 * The plan as the console reads it: every subscription row of a partner's current plan, filtered,
 * sorted and paged on the server, a customer's rows, and this week's counts. A partner may have a
 * million subscriptions, so the console never reads the tracked plan item by item: each planning
 * (an upload, a re-plan) saves a compact snapshot of its rows, and a view of it is loaded once and
 * queried in memory. The states it holds are the planning's; the live ones are in the plan store.
 */
import type { CustomerView, HomeView, PlanQuery, PlanRow } from '../console/contract.js';
import type { PlannedFile } from './plan-store.js';

export interface PlanViews {
  /** Saves the snapshot of a partner's plan, replacing the one before. */
  save(partnerId: string, planned: PlannedFile, plannedAt: Date): Promise<void>;
  /** The partner's current plan; undefined before its first planning. */
  load(partnerId: string): Promise<PlanView | undefined>;
}

export interface PlanView {
  /** When the plan was planned (ISO time), and the day it was planned as of (ISO). */
  plannedAt: string;
  today: string;
  /** Rows matching the query, in its order, one page of them, and how many match in all. */
  page(query: PlanQuery): { rows: PlanRow[]; total: number };
  /** A customer and its rows (in move order); undefined when the plan has no such customer. */
  customer(customerId: string): { customer: CustomerView['customer']; subscriptions: PlanRow[] } | undefined;
  /** This week at a glance as of `today` (ISO): the counts and the moves per week. */
  glance(today: string): Omit<HomeView, 'today' | 'plan' | 'dailyCapacity'>;
}
