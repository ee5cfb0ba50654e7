/**
 * Small lookups repeated once a row (an offer's loose form, a country's code or name, a
 * program's grace) are worth remembering: a file has few distinct values. The memo holds at most
 * `limit` keys and stops growing then (a file of unique values just computes each), and keeps a
 * copy of each key: a key sliced from a parsed chunk would keep the whole chunk alive.
 */
import { detach } from './string-store.js';

export function memoize<V>(compute: (key: string) => V, limit: number): (key: string) => V {
  const memo = new Map<string, V>();
  return (key) => {
    const known = memo.get(key);
    if (known !== undefined || memo.has(key)) return known as V;
    const value = compute(key);
    if (memo.size < limit) memo.set(detach(key), value);
    return value;
  };
}
