/** The week series both charts draw (report.html, weekly digest): continuous weeks, bounded, labelled. */
import { describe, expect, it } from 'vitest';
import { dayToIso, isoToDay, mondayOf, weekday } from '../../shared/domain/dates.js';
import { labelEvery, WEEKS_DRAWN, WeekTally, weekLabels } from '../../shared/domain/week-series.js';

const d = isoToDay;

function tally(moves: [string, boolean?][]): WeekTally {
  const t = new WeekTally();
  for (const [day, attention] of moves) t.add(d(day), attention ?? false);
  return t;
}

/** Mondays from `first`, `n` of them, as ISO dates (an oracle built on Date.UTC, not on dates.ts). */
function mondays(first: string, n: number): string[] {
  const start = Date.parse(`${first}T00:00:00Z`);
  return Array.from({ length: n }, (_, i) => new Date(start + i * 7 * 86_400_000).toISOString().slice(0, 10));
}

describe('mondayOf', () => {
  it('takes every day of a week back to its Monday, across a change of year', () => {
    for (const day of ['2026-12-28', '2026-12-31', '2027-01-01', '2027-01-03']) expect(dayToIso(mondayOf(d(day)))).toBe('2026-12-28');
    expect(dayToIso(mondayOf(d('2027-01-04')))).toBe('2027-01-04');
    for (let day = d('2026-01-01'); day < d('2027-01-01'); day++) {
      expect(weekday(mondayOf(day))).toBe(1);
      expect(day - mondayOf(day)).toBeLessThan(7);
    }
  });
});

describe('the week series', () => {
  it('has one entry a week from the week of the start day, empty weeks included', () => {
    const series = tally([['2026-12-22'], ['2026-12-23', true], ['2027-01-13'], ['2027-02-12', true]]).series(d('2026-12-01'));
    expect(series.weeks.map((w) => w.weekStart)).toEqual(mondays('2026-11-30', 11));
    const byWeek = Object.fromEntries(series.weeks.filter((w) => w.moves > 0).map((w) => [w.weekStart, [w.moves, w.needAttention]]));
    expect(byWeek).toEqual({ '2026-12-21': [2, 1], '2027-01-11': [1, 0], '2027-02-08': [1, 1] });
    expect(series.weeks.filter((w) => w.moves === 0)).toHaveLength(8);
    expect(series.later).toBeUndefined();
  });

  it('starts at an earlier move rather than leave it out', () => {
    const series = tally([['2026-11-20'], ['2026-12-02']]).series(d('2026-12-01'));
    expect(series.weeks.map((w) => [w.weekStart, w.moves])).toEqual([
      ['2026-11-16', 1],
      ['2026-11-23', 0],
      ['2026-11-30', 1],
    ]);
  });

  it(`draws at most ${WEEKS_DRAWN} weeks and sums every later move into one entry`, () => {
    const moves: [string, boolean?][] = [['2026-12-02']];
    // A move every fifth week for ten years, every other one needing attention.
    for (let i = 0; i < 104; i++) moves.push([dayToIso(d('2026-12-01') + i * 35), i % 2 === 0]);
    const series = tally(moves).series(d('2026-12-01'));
    expect(series.weeks).toHaveLength(WEEKS_DRAWN);
    expect(series.weeks[0]!.weekStart).toBe('2026-11-30');
    expect(series.weeks.at(-1)!.weekStart).toBe(mondays('2026-11-30', WEEKS_DRAWN).at(-1));
    const drawn = series.weeks.reduce((n, w) => n + w.moves, 0);
    expect(drawn + series.later!.moves).toBe(moves.length);
    expect(series.later).toEqual({
      from: mondays('2026-11-30', WEEKS_DRAWN + 1).at(-1),
      lastWeek: dayToIso(mondayOf(d('2026-12-01') + 103 * 35)),
      moves: moves.length - drawn,
      needAttention: 104 / 2 - series.weeks.reduce((n, w) => n + w.needAttention, 0),
    });
  });

  it('keeps a year of empty weeks and the later moves when nothing moves in the next year', () => {
    const series = tally([['2029-06-01'], ['2029-06-04']]).series(d('2026-12-01'));
    expect(series.weeks).toHaveLength(WEEKS_DRAWN);
    expect(series.weeks.every((w) => w.moves === 0)).toBe(true);
    expect(series.later).toMatchObject({ moves: 2, lastWeek: '2029-06-04' });
  });

  it('ends at the last week with a move, and is empty with no moves', () => {
    expect(tally([['2026-12-03']]).series(d('2026-12-01')).weeks).toEqual([{ weekStart: '2026-11-30', moves: 1, needAttention: 0 }]);
    expect(new WeekTally().series(d('2026-12-01'))).toEqual({ weeks: [] });
  });

  it('takes another bound when a chart asks for one', () => {
    const series = tally([['2026-12-03'], ['2027-01-05']]).series(d('2026-12-01'), 4);
    expect(series.weeks.map((w) => w.weekStart)).toEqual(mondays('2026-11-30', 4));
    expect(series.later).toEqual({ from: '2026-12-28', lastWeek: '2027-01-04', moves: 1, needAttention: 0 });
  });
});

describe('week labels', () => {
  const weeks = (first: string, n: number) => mondays(first, n).map((weekStart) => ({ weekStart }));

  it('labels the first week and the first week of a new year with the year, the others MM-DD', () => {
    const labels = weekLabels(weeks('2026-11-30', 11), 1);
    expect(labels.map((l) => (l.year ? `${l.year} ${l.monthDay}` : l.monthDay))).toEqual([
      '2026 11-30',
      '12-07',
      '12-14',
      '12-21',
      '12-28',
      '2027 01-04',
      '01-11',
      '01-18',
      '01-25',
      '02-01',
      '02-08',
    ]);
  });

  it('labels where the year changes even between regular labels, and keeps labels apart', () => {
    // 52 weeks from 2026-11-30; the year changes at week 5 (2027-01-04); labels every 4 weeks.
    const labels = weekLabels(weeks('2026-11-30', 52), 4);
    const indexes = labels.map((l) => l.index);
    expect(indexes).toContain(5);
    expect(labels.find((l) => l.index === 5)).toMatchObject({ weekStart: '2027-01-04', year: '2027' });
    for (let i = 1; i < indexes.length; i++) expect(indexes[i]! - indexes[i - 1]!).toBeGreaterThanOrEqual(4);
    expect(labels[0]).toMatchObject({ index: 0, year: '2026' });
    expect(labels.filter((l) => l.year).map((l) => l.year)).toEqual(['2026', '2027']);
  });

  it('gives the first label the year when a change of year pushes the first week out', () => {
    // 2026-12-21, 12-28, then 2027: the first week is too close to the change of year to keep.
    const labels = weekLabels(weeks('2026-12-21', 20), 4);
    expect(labels[0]).toMatchObject({ index: 2, weekStart: '2027-01-04', year: '2027' });
    expect(labels.slice(1).every((l) => l.year === undefined)).toBe(true);
  });

  it('spaces labels so that there are at most the number asked for', () => {
    for (const n of [1, 6, 26, 52, 53]) {
      const every = labelEvery(n, 13);
      const labels = weekLabels(weeks('2027-03-01', n), every);
      expect(labels.length).toBeLessThanOrEqual(13);
      expect(labels.length).toBeGreaterThan(0);
    }
    expect(weekLabels([], 4)).toEqual([]);
  });
});
