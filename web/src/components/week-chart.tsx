/**
 * Moves per week as report.html draws them: plain HTML bars on a continuous axis of weeks, a
 * "later" bar for what comes after, round steps on the scale and the weekly capacity as a dashed
 * line. Heights are percentages set through the CSSOM (the CSP allows no style attributes).
 * The picture is described in words for a screen reader, and a table holds the numbers.
 */
import { BUSINESS_DAYS_A_WEEK } from '../../../shared/domain/dates.js';
import {
  CAPACITY_STRETCH,
  type LaterMoves,
  labelEvery,
  laterMovesText,
  niceScale,
  type WeekMoves,
  weekLabels,
} from '../../../shared/domain/week-series.js';
import { count, plural } from '../words.js';

/** As report.html: at most this many week labels on a wide screen, and on a narrow one. */
const MAX_LABELS = 13;
const MAX_LABELS_NARROW = 5;
/** A tick label's height over the plot's (14px of 220px, as in report.html): closer labels would overlap. */
const TICK_CLEARANCE = 14 / 220;

function pct(value: number, top: number): string {
  return `${Math.round((Math.min(value, top) / top) * 10000) / 100}%`;
}

export function WeekChart({ weeks, later, dailyCapacity }: { weeks: WeekMoves[]; later?: LaterMoves | undefined; dailyCapacity: number }) {
  if (!weeks.length) return <p class="muted">No moves are planned.</p>;
  const weekly = dailyCapacity * BUSINESS_DAYS_A_WEEK;
  const busiest = Math.max(0, ...weeks.map((w) => w.moves));
  let scale = niceScale(busiest);
  if (weekly > scale.top && weekly <= CAPACITY_STRETCH * busiest) scale = niceScale(weekly);
  const capacityShown = weekly > 0 && weekly <= scale.top;
  const ticks: number[] = [];
  for (let v = 0; v <= scale.top; v += scale.step) ticks.push(v);
  const needs = weeks.length * (count(busiest).length * 6 + 2);
  const counts = needs <= 200 ? 'counts' : needs <= 800 ? 'counts-wide' : '';
  const wide = labelEvery(weeks.length, MAX_LABELS);
  const narrow = wide * Math.ceil(labelEvery(weeks.length, MAX_LABELS_NARROW) / wide);
  const shownNarrow = new Set(weekLabels(weeks, narrow).map((l) => l.index));
  const description =
    `Moves per week: ${plural(weeks.length, 'week', 'weeks')} from ${weeks[0]?.weekStart ?? ''}, ` +
    `at most ${plural(busiest, 'move', 'moves')} in a week` +
    (later ? `; ${laterMovesText(later)}` : '') +
    (weekly > 0 ? `; weekly capacity ${count(weekly)}.` : '.');
  return (
    <figure class="chart-figure">
      <div class={['chart', later ? 'has-later' : '', counts].filter(Boolean).join(' ')} role="img" aria-label={description}>
        <div class="plot">
          {ticks.map((v) => (
            <div key={v} class={v === 0 ? 'tick base' : 'tick'} style={{ bottom: pct(v, scale.top) }}>
              {/* A tick too close to the capacity's number keeps its line only. */}
              {!(capacityShown && Math.abs(v - weekly) / scale.top < TICK_CLEARANCE) && <span>{count(v)}</span>}
            </div>
          ))}
          {capacityShown && (
            <div class="capacity" style={{ bottom: pct(weekly, scale.top) }}>
              <span>{count(weekly)}</span>
            </div>
          )}
          <div class="weeks">
            {weeks.map((w) => (
              <div
                key={w.weekStart}
                class="week"
                title={`Week of ${w.weekStart}: ${plural(w.moves, 'move', 'moves')}, ${count(w.needAttention)} need attention`}
              >
                {w.moves > 0 && (
                  <span class="bar-count" style={{ bottom: pct(w.moves, scale.top) }}>
                    {count(w.moves)}
                  </span>
                )}
                <div class="bar" data-week={w.weekStart} data-moves={w.moves} style={{ height: pct(w.moves, scale.top) }}>
                  {w.needAttention > 0 && (
                    <div class="bar-attention" style={{ height: pct(Math.min(w.needAttention, w.moves), w.moves) }} />
                  )}
                </div>
              </div>
            ))}
          </div>
          {later && (
            <div class="later-slot" title={`${laterMovesText(later)}, ${count(later.needAttention)} need attention`}>
              <span class="bar-count" style={{ bottom: pct(later.moves, scale.top) }}>
                {count(later.moves)}
              </span>
              <div class={later.moves > scale.top ? 'bar-later cut' : 'bar-later'} style={{ height: pct(later.moves, scale.top) }} />
            </div>
          )}
        </div>
        <div class="x-axis">
          {weekLabels(weeks, wide).map((l) => (
            <span
              key={l.weekStart}
              class={shownNarrow.has(l.index) ? 'x-label' : 'x-label minor'}
              style={{ left: `${Math.round(((l.index + 0.5) / weeks.length) * 10000) / 100}%` }}
            >
              {l.monthDay}
              {l.year && <span class="year">{l.year}</span>}
            </span>
          ))}
          {later && <span class="x-label later-label">later</span>}
        </div>
      </div>
      <figcaption class="legend">
        <span>
          <span class="swatch moves" />
          moves
        </span>
        <span>
          <span class="swatch attention" />
          of which need attention (at risk, expired or lapsed)
        </span>
        {later && (
          <span>
            <span class="swatch later" />
            later: {laterMovesText(later)}
          </span>
        )}
        {weekly > 0 && (
          <span>
            {capacityShown && <span class="swatch dashed" />}
            capacity: {count(weekly)} a week ({count(dailyCapacity)} a day × {BUSINESS_DAYS_A_WEEK})
            {!capacityShown && `, above the top of the scale: the busiest week has ${plural(busiest, 'move', 'moves')}`}
          </span>
        )}
      </figcaption>
      <details class="chart-table">
        <summary>The moves per week as a table</summary>
        <div class="table-wrap">
          <table>
            <caption class="sr-only">Moves per week</caption>
            <thead>
              <tr>
                <th scope="col">Week of</th>
                <th scope="col" class="num">
                  Moves
                </th>
                <th scope="col" class="num">
                  Need attention
                </th>
              </tr>
            </thead>
            <tbody>
              {weeks
                .filter((w) => w.moves > 0)
                .map((w) => (
                  <tr key={w.weekStart}>
                    <td class="nw">{w.weekStart}</td>
                    <td class="num">{count(w.moves)}</td>
                    <td class="num">{count(w.needAttention)}</td>
                  </tr>
                ))}
              {later && (
                <tr>
                  <td>
                    later, from <span class="nw">{later.from}</span>
                  </td>
                  <td class="num">{count(later.moves)}</td>
                  <td class="num">{count(later.needAttention)}</td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
