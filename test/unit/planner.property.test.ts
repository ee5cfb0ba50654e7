/**
 * Property tests of the planning rules (README: "Planning rules"), run
 * end to end through CSV in and plan.csv out over random portfolios: up to 60 subscriptions of
 * up to 15 US customers, some already ended, some add-ons, random invitation states and random
 * partner settings. Each property re-derives what the rules say from the input and the partner
 * settings alone (earliest, latest, grace) and checks plan.csv against it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calendarFor } from '../../shared/domain/calendar.js';
import { type Day, dayToIso, isoToDay, weekday } from '../../shared/domain/dates.js';
import { type CsvRow, csvOf, planCsv, type RowSpec } from '../support/plan-csv.js';

const US = calendarFor('US');
const RUNS = 100;

/** US public holidays (federal, with observed substitutes) over the span the plans can reach. */
const US_HOLIDAYS = new Set(
  [
    '2026-11-11',
    '2026-11-26',
    '2026-12-25',
    '2027-01-01',
    '2027-01-18',
    '2027-02-15',
    '2027-05-31',
    '2027-06-18',
    '2027-07-05',
    '2027-09-06',
    '2027-10-11',
    '2027-11-11',
    '2027-11-25',
    '2027-12-24',
    '2027-12-31',
    '2028-01-17',
    '2028-02-21',
    '2028-05-29',
    '2028-06-19',
    '2028-07-04',
    '2028-09-04',
    '2028-10-09',
    '2028-11-23',
    '2028-12-25',
  ].map(isoToDay),
);
const HOLIDAY_TABLE_END = isoToDay('2028-12-31');

const FIRST_END = isoToDay('2026-11-01');
const LAST_END = isoToDay('2028-03-31');
const FIRST_TODAY = isoToDay('2026-11-01');
const LAST_TODAY = isoToDay('2026-12-31');
const INVITATIONS = ['', 'sent', 'accepted'] as const;
const ENTERPRISE = 'Volume Licensing Enterprise';

interface Settings {
  daily_capacity: number;
  invite_lead_days: number;
  buffer_business_days: number;
  co_term: boolean;
}

interface Scenario {
  today: Day;
  settings: Settings;
  specs: RowSpec[];
  /** Per input row: its customer's invitation status as written ('' = not sent). */
  invitation: string[];
  /** Per input row: the row index of the base its add-on group moves with (itself for a base). */
  root: number[];
}

// --- random portfolios --------------------------------------------------------------------

const subscriptionArb = fc.record({
  customer: fc.nat(),
  clustered: fc.boolean(),
  endOffset: fc.nat({ max: LAST_END - FIRST_END }),
  seats: fc.integer({ min: 1, max: 500 }),
  priceCents: fc.integer({ min: 1, max: 10_000 }),
  enterprise: fc.boolean(),
  country: fc.constantFrom('US', ''),
  addOn: fc.integer({ min: 0, max: 2 }).map((k) => k === 0),
  basePick: fc.nat(),
  order: fc.nat(),
});

function scenarioArb(coTerm: boolean): fc.Arbitrary<Scenario> {
  return fc
    .record({
      today: fc.integer({ min: FIRST_TODAY, max: LAST_TODAY }),
      capacity: fc.integer({ min: 1, max: 10 }),
      lead: fc.integer({ min: 0, max: 30 }),
      buffer: fc.integer({ min: 0, max: 10 }),
      customers: fc.integer({ min: 1, max: 15 }),
      invitations: fc.array(fc.constantFrom(...INVITATIONS), { minLength: 15, maxLength: 15 }),
      /** Many ends fall in a few days from this day on, so capacity is contended. */
      clusterStart: fc.integer({ min: -15, max: 120 }),
      clusterWidth: fc.integer({ min: 1, max: 31 }),
      subs: fc.array(subscriptionArb, { minLength: 1, maxLength: 60, size: 'max' }),
    })
    .map((r) => {
      const settings: Settings = { daily_capacity: r.capacity, invite_lead_days: r.lead, buffer_business_days: r.buffer, co_term: coTerm };
      const n = r.subs.length;
      const customerOf = r.subs.map((s) => s.customer % r.customers);
      // Add-ons: visit rows in a random order and attach some to a row of the same customer seen
      // before in that order (so bases may come earlier or later in the file, chains are allowed,
      // loops are not), never letting a group outgrow a day's capacity.
      const root = r.subs.map((_, i) => i);
      const base: (number | undefined)[] = r.subs.map(() => undefined);
      const groupSize = r.subs.map(() => 1);
      const visited: number[] = [];
      const order = r.subs.map((s, i) => ({ i, key: s.order })).sort((a, b) => a.key - b.key || a.i - b.i);
      for (const { i } of order) {
        const s = r.subs[i]!;
        if (s.addOn) {
          const candidates = visited.filter((j) => customerOf[j] === customerOf[i] && groupSize[root[j]!]! < r.capacity);
          if (candidates.length > 0) {
            const b = candidates[s.basePick % candidates.length]!;
            base[i] = b;
            root[i] = root[b]!;
            groupSize[root[i]!]!++;
          }
        }
        visited.push(i);
      }
      const specs: RowSpec[] = r.subs.map((s, i) => {
        const c = customerOf[i]!;
        const end = s.clustered
          ? Math.min(LAST_END, Math.max(FIRST_END, r.today + r.clusterStart + (s.endOffset % r.clusterWidth)))
          : FIRST_END + s.endOffset;
        const b = base[i];
        return {
          customer: `cust-${c + 1}`,
          country: s.country,
          sub: `sub-${i + 1}`,
          end: dayToIso(end),
          seats: s.seats,
          price: (s.priceCents / 100).toFixed(2),
          program: s.enterprise ? ENTERPRISE : 'Open',
          invitation: r.invitations[c]!,
          ...(b === undefined ? {} : { base: `sub-${b + 1}` }),
        };
      });
      return { today: r.today, settings, specs, invitation: specs.map((s) => s.invitation ?? ''), root: root.slice(0, n) };
    });
}

// --- what the rules say, derived from the input alone -------------------------------------

interface RowFacts {
  end: Day;
  moveOn: Day;
  earliest: Day;
  latest: Day;
  /** Ended before today: moves as soon as possible, outside the capacity levelling of open rows. */
  ended: boolean;
  /** Moves that go together with this row (its add-on group). */
  weight: number;
}

function earliestFor(today: Day, settings: Settings, invitation: string): Day {
  return US.onOrAfter(invitation === 'accepted' ? today : today + settings.invite_lead_days);
}

/** The `buffer`-th business day before `end` (the last business day on or before it for 0). */
function latestFor(end: Day, buffer: number): Day {
  let d = end;
  if (buffer === 0) {
    while (!US.isBusinessDay(d)) d--;
    return d;
  }
  for (let left = buffer; left > 0; ) {
    d--;
    if (US.isBusinessDay(d)) left--;
  }
  return d;
}

interface Planned {
  scenario: Scenario;
  plan: CsvRow[];
  errors: CsvRow[];
  facts: RowFacts[];
  /** Moves per day. */
  load: Map<Day, number>;
}

async function planScenario(s: Scenario): Promise<Planned> {
  const { plan, errors } = await planCsv(csvOf(s.specs), { today: dayToIso(s.today), settings: { ...s.settings } });
  const groupSize = new Map<number, number>();
  for (const r of s.root) groupSize.set(r, (groupSize.get(r) ?? 0) + 1);
  const facts = s.specs.map((spec, i): RowFacts => {
    const end = isoToDay(spec.end);
    const row = plan[i];
    return {
      end,
      moveOn: row?.move_on ? isoToDay(row.move_on) : NaN,
      earliest: earliestFor(s.today, s.settings, s.invitation[i]!),
      latest: latestFor(end, s.settings.buffer_business_days),
      ended: end < s.today,
      weight: groupSize.get(s.root[i]!)!,
    };
  });
  const load = new Map<Day, number>();
  for (const f of facts) if (!Number.isNaN(f.moveOn)) load.set(f.moveOn, (load.get(f.moveOn) ?? 0) + 1);
  return { scenario: s, plan, errors, facts, load };
}

function isUsBusinessDay(day: Day): boolean {
  const wd = weekday(day);
  if (wd === 0 || wd === 6) return false;
  if (day <= HOLIDAY_TABLE_END && US_HOLIDAYS.has(day)) return false;
  return US.isBusinessDay(day);
}

/** Business days d with from ≤ d ≤ to. */
function businessDays(from: Day, to: Day): Day[] {
  const days: Day[] = [];
  for (let d = from; d <= to; d++) if (isUsBusinessDay(d)) days.push(d);
  return days;
}

/** A day "has room" for a group of `weight` moves when they fit under the daily capacity. */
function hasRoom(p: Planned, day: Day, weight: number): boolean {
  return (p.load.get(day) ?? 0) + weight <= p.scenario.settings.daily_capacity;
}

function label(p: Planned, i: number): string {
  const f = p.facts[i]!;
  return `row ${i + 2} (${p.scenario.specs[i]!.sub}, end ${dayToIso(f.end)}, window ${dayToIso(f.earliest)}..${dayToIso(f.latest)}, move_on ${p.plan[i]?.move_on}, risk ${p.plan[i]?.risk})`;
}

/** Runs `check` on the plan of every random portfolio. */
function forAllPlans(check: (p: Planned) => void, coTerm = false): Promise<void> {
  return fc.assert(
    fc.asyncProperty(scenarioArb(coTerm), async (s) => {
      check(await planScenario(s));
    }),
    { numRuns: RUNS },
  );
}

// --- properties ---------------------------------------------------------------------------

describe('planner properties over random portfolios (per-subscription moves)', () => {
  it('lists every input row in plan.csv exactly once, in input order, with its spreadsheet row number', async () => {
    await forAllPlans((p) => {
      const { specs } = p.scenario;
      expect(p.errors).toEqual([]);
      expect(p.plan).toHaveLength(specs.length);
      p.plan.forEach((row, i) => {
        expect(row.row).toBe(String(i + 2));
        expect(row.subscription_id).toBe(specs[i]!.sub);
        expect(row.customer_id).toBe(specs[i]!.customer);
        expect(row.end_date).toBe(specs[i]!.end);
        expect(row.seats).toBe(String(specs[i]!.seats));
      });
    });
  });

  it('never puts more moves on one day than daily_capacity', async () => {
    await forAllPlans((p) => {
      for (const [day, moves] of p.load) {
        expect(moves, `moves on ${dayToIso(day)}`).toBeLessThanOrEqual(p.scenario.settings.daily_capacity);
      }
    });
  });

  it('moves every subscription on a US business day (weekday, not a public holiday), never before today', async () => {
    await forAllPlans((p) => {
      p.facts.forEach((f, i) => {
        expect(Number.isNaN(f.moveOn), `${label(p, i)} has a move_on`).toBe(false);
        expect(isUsBusinessDay(f.moveOn), `${label(p, i)} is a business day`).toBe(true);
        expect(f.moveOn, label(p, i)).toBeGreaterThanOrEqual(p.scenario.today);
      });
    });
  });

  it('rates ended rows expired_grace while their grace (90 days for Enterprise, 30 otherwise) lasts until their move, lapsed otherwise, open rows ok or at_risk', async () => {
    await forAllPlans((p) => {
      p.facts.forEach((f, i) => {
        const risk = p.plan[i]!.risk;
        if (f.ended) {
          const grace = p.scenario.specs[i]!.program === ENTERPRISE ? 90 : 30;
          const graceEnd = f.end + grace;
          expect(risk, label(p, i)).toBe(p.scenario.today <= graceEnd && f.moveOn <= graceEnd ? 'expired_grace' : 'lapsed');
        } else {
          const inWindow = f.moveOn >= f.earliest && f.moveOn <= f.latest;
          expect(risk, label(p, i)).toBe(inWindow ? 'ok' : 'at_risk');
        }
      });
    });
  });

  it('moves an ok row inside its window [earliest, latest], hence on or before its end date', async () => {
    await forAllPlans((p) => {
      p.facts.forEach((f, i) => {
        if (p.plan[i]!.risk !== 'ok') return;
        expect(f.moveOn, label(p, i)).toBeGreaterThanOrEqual(f.earliest);
        expect(f.moveOn, label(p, i)).toBeLessThanOrEqual(f.latest);
        expect(f.moveOn, label(p, i)).toBeLessThanOrEqual(f.end);
      });
    });
  });

  it('marks a row at_risk only when no business day of its window has room, and then moves it on the first day with room from earliest', async () => {
    await forAllPlans((p) => {
      p.facts.forEach((f, i) => {
        if (p.plan[i]!.risk !== 'at_risk') return;
        expect(f.moveOn, `${label(p, i)} goes after its window`).toBeGreaterThan(f.latest);
        for (const day of businessDays(f.earliest, f.moveOn - 1)) {
          expect(hasRoom(p, day, f.weight), `${label(p, i)}: ${dayToIso(day)} still had room`).toBe(false);
        }
      });
    });
  });

  it('when the whole portfolio fits in one day, no row whose window is non-empty is at_risk', async () => {
    await forAllPlans((p) => {
      if (p.facts.length > p.scenario.settings.daily_capacity) return;
      p.facts.forEach((f, i) => {
        if (f.ended || f.earliest > f.latest) return;
        expect(p.plan[i]!.risk, label(p, i)).toBe('ok');
      });
    });
  });

  it('moves an open row as late as capacity allows: every later business day of its group window is full', async () => {
    await forAllPlans((p) => {
      const { root } = p.scenario;
      // The group's window: the customer's earliest to the tightest latest of its members.
      const groupLatest = new Map<number, Day>();
      const groupEnded = new Set<number>();
      p.facts.forEach((f, i) => {
        const r = root[i]!;
        groupLatest.set(r, Math.min(groupLatest.get(r) ?? Infinity, f.latest));
        if (f.ended) groupEnded.add(r);
      });
      p.facts.forEach((f, i) => {
        const r = root[i]!;
        const latest = groupLatest.get(r)!;
        if (groupEnded.has(r) || f.moveOn < f.earliest || f.moveOn > latest) return;
        for (const day of businessDays(f.moveOn + 1, latest)) {
          expect(hasRoom(p, day, f.weight), `${label(p, i)}: later day ${dayToIso(day)} still had room`).toBe(false);
        }
      });
    });
  });

  it('moves ended rows on the first day with room from earliest ("move now")', async () => {
    await forAllPlans((p) => {
      p.facts.forEach((f, i) => {
        if (!f.ended) return;
        expect(f.moveOn, label(p, i)).toBeGreaterThanOrEqual(f.earliest);
        for (const day of businessDays(f.earliest, f.moveOn - 1)) {
          expect(hasRoom(p, day, f.weight), `${label(p, i)}: ${dayToIso(day)} still had room`).toBe(false);
        }
      });
    });
  });

  it('moves an add-on on the same day as its base', async () => {
    await forAllPlans((p) => {
      const { specs } = p.scenario;
      const rowOf = new Map(specs.map((s, i) => [s.sub, i]));
      specs.forEach((s, i) => {
        if (!s.base) return;
        const b = rowOf.get(s.base)!;
        expect(p.plan[i]!.move_on, `${label(p, i)} with base ${label(p, b)}`).toBe(p.plan[b]!.move_on);
      });
    });
  });

  it('sets invite_by per customer to max(today, first move_on − invite_lead_days), empty once accepted', async () => {
    await forAllPlans((p) => {
      const { today, settings, specs } = p.scenario;
      const firstMove = new Map<string, Day>();
      for (const [i, s] of specs.entries())
        firstMove.set(s.customer!, Math.min(firstMove.get(s.customer!) ?? Infinity, p.facts[i]!.moveOn));
      specs.forEach((s, i) => {
        const expected =
          p.scenario.invitation[i] === 'accepted' ? '' : dayToIso(Math.max(today, firstMove.get(s.customer!)! - settings.invite_lead_days));
        expect(p.plan[i]!.invite_by, label(p, i)).toBe(expected);
      });
    });
  });

  it('computes overlap_days = end_date − move_on (≥ 0) and overlap_cost = overlap_days × seats × price × 12 / 365 to the cent', async () => {
    await forAllPlans((p) => {
      p.facts.forEach((f, i) => {
        const spec = p.scenario.specs[i]!;
        const days = Math.max(0, f.end - f.moveOn);
        expect(Number(p.plan[i]!.overlap_days), label(p, i)).toBe(days);
        expect(p.plan[i]!.overlap_cost, label(p, i)).toMatch(/^\d+\.\d\d$/);
        const exact = (days * Number(spec.seats) * Number(spec.price) * 12) / 365;
        expect(Math.abs(Number(p.plan[i]!.overlap_cost) - exact), label(p, i)).toBeLessThanOrEqual(0.005 + 1e-9);
      });
    });
  });
});

describe('planner properties over random portfolios (co-term mode)', () => {
  it('moves all subscriptions of a customer on one business day', async () => {
    await forAllPlans((p) => {
      const dayOf = new Map<string, string>();
      p.scenario.specs.forEach((s, i) => {
        const moveOn = p.plan[i]!.move_on!;
        expect(moveOn, label(p, i)).not.toBe('');
        expect(isUsBusinessDay(isoToDay(moveOn)), label(p, i)).toBe(true);
        const seen = dayOf.get(s.customer!);
        if (seen === undefined) dayOf.set(s.customer!, moveOn);
        else expect(moveOn, `${label(p, i)} of ${s.customer}`).toBe(seen);
      });
    }, true);
  });
});
