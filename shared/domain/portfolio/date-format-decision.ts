/**
 * Day-first or month-first: "08/02/2027" cannot be told apart from one value, so an `auto` file's
 * slash dates are decided once the whole file is read. Until then a date is kept as a packed
 * pair (pack), far above any real day, so a day column can hold either.
 */
import type { Day } from '../dates.js';
import type { DateFormat } from '../partner-settings.js';
import { pairToDay } from '../values.js';

export interface DateFormatDecision {
  /** The format slash dates were read with; `iso` when the file had none. */
  used: 'iso' | 'dmy' | 'mdy';
  /** How it was chosen, in a sentence for the summary and report. */
  reason: string;
}

/** Countries whose spreadsheets write month-first dates (MM/DD/YYYY). */
const MONTH_FIRST_COUNTRIES = new Set(['US', 'PR', 'GU', 'VI', 'AS', 'MP', 'UM', 'PH', 'FM', 'MH', 'PW', 'BZ']);

/** The unambiguous values seen: how many only one reading allows, and the first of each. */
export interface DateVotes {
  dmy: number;
  mdy: number;
  dmyExample: string;
  mdyExample: string;
}

/**
 * Auto format: slash dates are day-first when the file's unambiguous values say so (13/02),
 * month-first when they say that (02/13), else as the partner's country writes them. When a
 * file has both, the majority wins and the other rows are rejected with a message saying why.
 * `undecided`: whether any date of the file still waits for the decision.
 */
export function decideDateFormat(votes: DateVotes, setting: DateFormat, partnerCountry: string, undecided: boolean): DateFormatDecision {
  if (!undecided) {
    if (setting === 'dmy' || setting === 'mdy') return { used: setting, reason: `set to ${formatName(setting)}` };
    return { used: 'iso', reason: setting === 'iso' ? 'set to YYYY-MM-DD' : 'all dates were YYYY-MM-DD or unambiguous' };
  }
  const { dmy, mdy } = votes;
  const byCountry: 'dmy' | 'mdy' = MONTH_FIRST_COUNTRIES.has(partnerCountry) ? 'mdy' : 'dmy';
  if (dmy > 0 && mdy === 0) {
    return {
      used: 'dmy',
      reason: `decided from the file: ${dmy} value${dmy > 1 ? 's' : ''} such as ${votes.dmyExample} can only be day-first`,
    };
  }
  if (mdy > 0 && dmy === 0) {
    return {
      used: 'mdy',
      reason: `decided from the file: ${mdy} value${mdy > 1 ? 's' : ''} such as ${votes.mdyExample} can only be month-first`,
    };
  }
  if (dmy === 0 && mdy === 0) {
    return {
      used: byCountry,
      reason: `no value in the file tells day-first from month-first, so the partner's country (${partnerCountry}) decided`,
    };
  }
  const used = dmy === mdy ? byCountry : dmy > mdy ? 'dmy' : 'mdy';
  return {
    used,
    reason: `the file mixes formats (${dmy} day-first, ${mdy} month-first); ${formatName(used)} was used and the other rows rejected`,
  };
}

/**
 * A day-first/month-first date not decided yet, packed in one number: far above any real day
 * (days since 1970 stay under 50,000 until 2100), so a column can hold either.
 */
export function pack(first: number, second: number, year: number): number {
  return first * 1_000_000 + second * 10_000 + year;
}

export function isPacked(value: number): boolean {
  return value >= 1_000_000;
}

/** The fields of a packed pair, as the file wrote them: [first, second, year]. */
export function packedFields(packed: number): [number, number, number] {
  return [Math.floor(packed / 1_000_000), Math.floor(packed / 10_000) % 100, packed % 10_000];
}

export function unpack(packed: number, format: 'dmy' | 'mdy'): Day {
  const [first, second, year] = packedFields(packed);
  return pairToDay(first, second, year, format);
}

export function formatName(format: 'iso' | 'dmy' | 'mdy'): string {
  return format === 'dmy' ? 'DD/MM/YYYY' : format === 'mdy' ? 'MM/DD/YYYY' : 'YYYY-MM-DD';
}
