/**
 * Customer windows: the days a customer's subscriptions may move.
 * - Business days are Monday–Friday minus the public holidays of the customer's country (the
 *   partner's when the customer has none).
 * - earliest: today when the customer accepted the invitation, else today + invite_lead_days
 *   calendar days; moved on to a business day.
 * - latest (per subscription): buffer_business_days business days before its end date.
 */

import { type BusinessCalendar, calendarFor } from '../calendar.js';
import type { Day } from '../dates.js';
import type { PartnerSettings } from '../partner-settings.js';
import type { Portfolio } from '../portfolio/portfolio.js';

type WindowSettings = Pick<PartnerSettings, 'country' | 'invite_lead_days' | 'buffer_business_days'>;

export class CustomerWindows {
  /** One calendar per country met; customers and units refer to it by index. */
  readonly calendars: BusinessCalendar[] = [];
  /** Per customer: index into `calendars`. */
  readonly calendarOf: Int32Array;
  /** Per customer: first possible move day. */
  readonly earliest: Int32Array;
  /** Per calendar: latest day by end date. Rows share few end dates, so this is not kept per row. */
  private readonly latestCache: Map<Day, Day>[];
  private readonly buffer: number;

  constructor(
    private readonly p: Portfolio,
    today: Day,
    settings: WindowSettings,
  ) {
    const customers = p.customers;
    const calendarIndex = new Map<string, number>();
    this.calendarOf = new Int32Array(customers.count);
    this.earliest = new Int32Array(customers.count);
    for (let c = 0; c < customers.count; c++) {
      const country = customers.country[c] ?? settings.country;
      let k = calendarIndex.get(country);
      if (k === undefined) {
        k = this.calendars.length;
        this.calendars.push(calendarFor(country));
        calendarIndex.set(country, k);
      }
      this.calendarOf[c] = k;
      const accepted = customers.invitation[c] === 'accepted';
      this.earliest[c] = this.calendars[k]!.onOrAfter(accepted ? today : today + settings.invite_lead_days);
    }
    this.latestCache = this.calendars.map(() => new Map<Day, Day>());
    this.buffer = settings.buffer_business_days;
  }

  /** The last day row i may move on: buffer_business_days business days before its end date. */
  latestOf(i: number): Day {
    const k = this.calendarOf[this.p.customer[i]!]!;
    const end = this.p.endDay[i]!;
    const cache = this.latestCache[k]!;
    let l = cache.get(end);
    if (l === undefined) {
      l = this.calendars[k]!.businessDaysBefore(end, this.buffer);
      cache.set(end, l);
    }
    return l;
  }
}
