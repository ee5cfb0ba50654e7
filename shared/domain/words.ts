/** Counts in words, one way everywhere: thousands separators, and the singular for one. */

const COUNT_FORMAT = new Intl.NumberFormat('en-US');
const PLURAL_RULES = new Intl.PluralRules('en-US');

/** A count with thousands separators (ours: only digits and commas). */
export function count(n: number): string {
  return COUNT_FORMAT.format(n);
}

/** "1 row", "2 rows", "1,200 rows"; `one` and `many` may carry their verb: "row has" / "rows have". */
export function plural(n: number, one: string, many: string): string {
  return `${count(n)} ${PLURAL_RULES.select(n) === 'one' ? one : many}`;
}

/** A clause as a sentence: with a final period unless it already ends in one (or "!", "?"). */
export function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
