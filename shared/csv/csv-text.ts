/**
 * CSV text: one small RFC 4180 writer for every CSV the planner writes. papaparse's unparse spent
 * most of the output time in its per-cell formula regex, and that regex (`.*$`) let
 * "=1+2\n…" through unescaped.
 */
import type { Writable } from 'node:stream';
import { startsFormula } from '../domain/values.js';

export const NEWLINE = '\r\n';

/** Quoted when it holds a quote, a delimiter, a line break or a BOM, or starts/ends with a space. */
const SPECIAL = /[",\r\n\ufeff]/;

/**
 * One text cell as CSV: a cell that starts like a formula gets a leading apostrophe (and
 * quotes), so a spreadsheet shows it as text; quotes are doubled inside quoted cells. This is
 * the only place the guard is added (HTML and e-mails show values as they are), and reading a
 * CSV takes it off again (withoutFormulaGuard).
 */
export function csvCell(value: string): string {
  if (value === '') return value;
  if (startsFormula(value.charCodeAt(0))) return `"'${value.replaceAll('"', '""')}"`;
  const quoted = value.charCodeAt(0) === 32 || value.charCodeAt(value.length - 1) === 32 || SPECIAL.test(value);
  return quoted ? `"${value.replaceAll('"', '""')}"` : value;
}

export function csvLine(cells: readonly (string | number)[]): string {
  let line = '';
  for (let k = 0; k < cells.length; k++) {
    const cell = cells[k]!;
    if (k > 0) line += ',';
    line += typeof cell === 'number' ? String(cell) : csvCell(cell);
  }
  return line;
}

/**
 * Lines encoded as UTF-8 straight into 1 MiB buffers, each handed to the stream when full.
 * Concatenating the text first and letting the stream encode it cost three times as much: every
 * flush flattened a large string on the heap.
 */
export class EncodedLines {
  private static readonly SIZE = 1 << 20;
  private buffer = Buffer.allocUnsafe(EncodedLines.SIZE);
  private used = 0;

  constructor(private readonly out: Writable) {}

  /** Adds a line; returns a promise when the caller must wait for the stream to drain. */
  add(line: string): Promise<void> | undefined {
    const most = (line.length + 2) * 3; // UTF-8 bytes of a UTF-16 code unit: at most 3
    let waiting: Promise<void> | undefined;
    if (this.used + most > this.buffer.length) {
      waiting = this.flush();
      if (most > this.buffer.length) this.buffer = Buffer.allocUnsafe(most);
    }
    this.used += this.buffer.write(line, this.used);
    this.used += this.buffer.write(NEWLINE, this.used);
    return waiting;
  }

  flush(): Promise<void> | undefined {
    if (this.used === 0) return undefined;
    const full = this.out.write(this.buffer.subarray(0, this.used));
    this.buffer = Buffer.allocUnsafe(EncodedLines.SIZE); // the stream owns the written one now
    this.used = 0;
    return full ? undefined : new Promise<void>((resolve) => this.out.once('drain', resolve));
  }
}
