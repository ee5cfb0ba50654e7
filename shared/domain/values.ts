/**
 * Parsers for cell values as partners' spreadsheets write them. Each returns a plain value or a
 * failure marker; the row schema turns failures into coded errors.
 */
import { type Day, ymdToDay } from './dates.js';

/**
 * A date as read from a cell. Day-first and month-first dates ("08/02/2027") cannot be told
 * apart from one value, so they stay `pair` until the whole file has been seen and its format
 * decided (see resolveDateFormat).
 */
export type DateToken = { kind: 'day'; day: Day } | { kind: 'pair'; first: number; second: number; year: number } | { kind: 'invalid' };

const TIME_SUFFIX = /[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[AaPp][Mm])?\s*(?:Z|[+-]\d{2}:?\d{2})?$/;
const YEAR_FIRST = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/;
const PAIR = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})$/;
const DAY_MONTH_NAME = /^(\d{1,2})[\s-]+([A-Za-z]{3,9})\.?[\s-,]+(\d{4}|\d{2})$/;
const MONTH_NAME_DAY = /^([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})$/;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function monthNumber(name: string): number {
  return MONTHS.indexOf(name.slice(0, 3).toLowerCase()) + 1;
}

function fullYear(y: string): number {
  return y.length === 2 ? 2000 + Number(y) : Number(y);
}

function dayOrInvalid(day: Day): DateToken {
  return Number.isNaN(day) ? { kind: 'invalid' } : { kind: 'day', day };
}

export function parseDateToken(raw: string): DateToken {
  const s = raw.trim().replace(TIME_SUFFIX, '');
  let m = YEAR_FIRST.exec(s);
  if (m) return dayOrInvalid(ymdToDay(Number(m[1]), Number(m[2]), Number(m[3])));
  m = PAIR.exec(s);
  if (m) return { kind: 'pair', first: Number(m[1]), second: Number(m[2]), year: fullYear(m[3]!) };
  m = DAY_MONTH_NAME.exec(s);
  if (m) return dayOrInvalid(ymdToDay(fullYear(m[3]!), monthNumber(m[2]!), Number(m[1])));
  m = MONTH_NAME_DAY.exec(s);
  if (m) return dayOrInvalid(ymdToDay(Number(m[3]), monthNumber(m[1]!), Number(m[2])));
  return { kind: 'invalid' };
}

/** Resolves a day-first/month-first pair once the file's format is known. */
export function pairToDay(first: number, second: number, year: number, format: 'dmy' | 'mdy'): Day {
  return format === 'dmy' ? ymdToDay(year, second, first) : ymdToDay(year, first, second);
}

/** Which readings of a pair are real dates: tells the file's format when only one is. */
export function pairEvidence(first: number, second: number, year: number): 'dmy' | 'mdy' | 'both' | 'none' {
  const dmy = !Number.isNaN(ymdToDay(year, second, first));
  const mdy = !Number.isNaN(ymdToDay(year, first, second));
  if (dmy && mdy) return 'both';
  return dmy ? 'dmy' : mdy ? 'mdy' : 'none';
}

const CURRENCY = /^(?:[A-Z]{3}\s*)|(?:\s*[A-Z]{3})$|[€$£¥\s\u00a0\u202f']/g;
const PLAIN_NUMBER = /^-?\d+(?:\.\d+)?$/;
const COMMA_THOUSANDS = /^-?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/;
/** 1.200 or 12.345.678: in a decimal-comma file, dots can only group thousands. */
export const DOT_THOUSANDS = /^-?\d{1,3}(?:\.\d{3})+$/;

/**
 * A decimal number. With `decimalComma` (files delimited by ";", as Excel writes them in Italy,
 * Germany or France) "1.234,50" is 1234.5 and "1.200" is 1200; otherwise "1,234.50" is 1234.5
 * and "1.200" is 1.2. Currency signs are ignored.
 */
export function parseDecimal(raw: string, decimalComma: boolean): number {
  let s = raw.trim().replace(CURRENCY, '');
  if (decimalComma && (s.includes(',') || DOT_THOUSANDS.test(s))) s = s.replace(/\./g, '').replace(',', '.');
  else if (COMMA_THOUSANDS.test(s)) s = s.replace(/,/g, '');
  return PLAIN_NUMBER.test(s) ? Number(s) : NaN;
}

const TRUE = new Set(['true', 'yes', 'y', '1', 'on', 'enabled', 't', 'si', 'sì', 'ja', 'oui', 'vero', 'wahr']);
const FALSE = new Set(['false', 'no', 'n', '0', 'off', 'disabled', 'f', 'nein', 'non', 'falso', 'falsch']);

export function parseBoolean(raw: string): boolean | undefined {
  const s = raw.trim().toLowerCase();
  if (TRUE.has(s)) return true;
  if (FALSE.has(s)) return false;
  return undefined;
}

const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[A-Za-z]{2,}$/;

export function isEmail(raw: string): boolean {
  return EMAIL.test(raw);
}

/**
 * Whether a character code starts a formula in a spreadsheet (OWASP "CSV injection"): `=`, `+`,
 * `-`, `@`, tab or CR. The CSV writer puts a `'` before such a cell.
 */
export function startsFormula(code: number): boolean {
  return code === 61 /* = */ || code === 43 /* + */ || code === 45 /* - */ || code === 64 /* @ */ || code === 9 || code === 13;
}

/**
 * A text cell without the formula guard the CSV writer added: "'=HYPERLINK(…)" reads as
 * "=HYPERLINK(…)". So a plan.csv uploaded again holds the names and ids of the first upload,
 * and the guard is never stored. (A spreadsheet keeps a typed `'` out of the cell's value, so
 * a `'` before a formula character in a CSV is a guard, not part of a name.)
 */
export function withoutFormulaGuard(cell: string): string {
  return cell.charCodeAt(0) === 39 /* ' */ && startsFormula(cell.charCodeAt(1)) ? cell.slice(1) : cell;
}
