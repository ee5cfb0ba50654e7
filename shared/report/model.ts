/**
 * What report.html (and later the report e-mail) shows: plain data, already computed, so
 * renderers only lay it out. Dates are ISO strings; money is in whole cents of `currency` (domain/cost.ts).
 */
import type { Cents } from '../domain/cost.js';
import type { Risk } from '../domain/risk.js';
import type { WeekSeries } from '../domain/week-series.js';

export interface ReportModel {
  title: string;
  /** The uploaded file's name, as the partner named it. */
  fileName: string;
  partner: { id?: string | undefined; name?: string | undefined; country: string; currency: string };
  /** The plan's "today", ISO. */
  today: string;
  generatedAt: string;
  counts: {
    dataRows: number;
    planned: number;
    rejected: number;
    blankRows: number;
    customers: number;
    byRisk: Record<Risk, number>;
  };
  money: {
    /** Sum of overlap_cost over planned rows with a price. */
    overlapCents: Cents;
    /** Sum of cancel_now_waste: what cancelling everything today would waste. */
    cancelNowWasteCents: Cents;
    /** Rows without a price, whose costs are unknown. */
    unpricedRows: number;
  };
  /** Invitations due in the next 14 days (invite_by ≤ today + 14), soonest first: at most REPORT_INVITATIONS. */
  invitationsDue: { customerId: string; customerName: string; inviteBy: string; subscriptions: number; firstMove: string }[];
  /** How many invitations are due in the next 14 days in all (plan.csv lists every one). */
  invitationsDueCount: number;
  /** Moves per week (Monday) from the plan's today, empty weeks included; a year of them, then the rest as `later`. */
  movesPerWeek: WeekSeries;
  dailyCapacity: number;
  /** The week with the most moves at `dailyCapacity` (the first of equals); none when nothing moves. */
  busiestWeek?: { weekStart: string; moves: number } | undefined;
  /** What the moves need (domain/planner/capacity-need.ts), when it was searched. */
  capacityNeed?:
    | {
        /** The least daily capacity with which no subscription that can be on time is at risk. */
        needed: number;
        /** Subscriptions that can be on time, whose risk capacity decides. */
        canBeOnTime: number;
        /** At `dailyCapacity`: those of them at risk, and the first end date among them (ISO). */
        atRisk: number;
        firstAtRiskEnd?: string | undefined;
        /** At risk at `dailyCapacity` for other reasons than capacity. */
        atRiskWithoutWindow: number;
      }
    | undefined;
  /** The costliest overlaps, highest first (at most 10). */
  costliestOverlaps: {
    row: number;
    customerName: string;
    subscriptionId: string;
    offer: string;
    seats: number;
    moveOn: string;
    endDate: string;
    overlapDays: number;
    overlapCents: Cents;
  }[];
  /** Problems by code, most frequent first, with the first few rows for each. */
  errors: {
    code: string;
    severity: 'error' | 'ineligible' | 'warning';
    count: number;
    meaning: string;
    examples: { row: number; message: string }[];
  }[];
  /** The date format the file was read with, as a partner writes it (YYYY-MM-DD, DD/MM/YYYY, MM/DD/YYYY). */
  dateFormat: { used: string; reason: string };
  /** Settings used, as "key: value" pairs, in the contract's order. */
  settings: [string, string][];
  ignoredColumns: string[];
  /** Present when co-term mode is on: the overlap cost of one day per customer vs per subscription. */
  coTerm?: { coTermCents: Cents; perSubscriptionCents: Cents } | undefined;
}
