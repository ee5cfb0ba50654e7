/**
 * The problems of an upload, column by column: a large file can have a hundred thousand warnings
 * (no contact e-mail, another country), and as objects with their sentences they took ~200 bytes
 * each. Here a problem is ~17 bytes; its message is composed when it is read.
 */

import { StringTable } from '../../columnar/string-store.js';
import { resized, type TypedArray } from '../../columnar/typed-arrays.js';
import { ROW_CODES, type RowCode } from '../codes.js';
import { COLUMN_NAMES, type ColumnName } from '../columns.js';
import { problemMessage, shownValue } from '../messages.js';

export interface Problem {
  row: number;
  column: ColumnName | '';
  value: string;
  code: RowCode;
  message: string;
}

const CODES = Object.keys(ROW_CODES) as RowCode[];
const NO_COLUMN = 255;
const NO_DETAIL = -1;

export class ProblemList implements Iterable<Problem> {
  private rows = new Int32Array(256);
  private codes = new Uint8Array(256);
  private columns = new Uint8Array(256);
  private values = new Int32Array(256);
  private details = new Int32Array(256);
  /** Shown values and details, each distinct text once. */
  private readonly texts = new StringTable();
  /** Messages that the stored (shortened) value cannot rebuild: composed when added. */
  private readonly messages = new Map<number, string>();
  /** Reading order once sorted by row (stable); insertion order before. */
  private order: Int32Array | undefined;
  length = 0;

  /** `labels`: the header each column had in the file, for the messages. */
  constructor(private readonly labels: Partial<Record<ColumnName, string>>) {}

  add(row: number, column: ColumnName | '', value: string | undefined, code: RowCode, detail?: string): void {
    if (this.length === this.rows.length) this.grow();
    const k = this.length++;
    const shown = shownValue(value);
    this.rows[k] = row;
    this.codes[k] = CODES.indexOf(code);
    this.columns[k] = column ? COLUMN_NAMES.indexOf(column) : NO_COLUMN;
    this.values[k] = this.texts.intern(shown);
    this.details[k] = detail === undefined ? NO_DETAIL : this.texts.intern(detail);
    if (shown !== (value ?? '') || code === 'value_too_long') this.messages.set(k, this.compose(k, value ?? ''));
    this.order = undefined;
  }

  /** Orders the problems by row, keeping the order within a row. */
  sortByRow(): void {
    const order = new Int32Array(this.length);
    for (let k = 0; k < this.length; k++) order[k] = k;
    const rows = this.rows;
    order.sort((a, b) => rows[a]! - rows[b]! || a - b);
    this.order = order;
  }

  at(position: number): Problem {
    const k = this.order ? this.order[position]! : position;
    const column = this.columns[k] === NO_COLUMN ? '' : COLUMN_NAMES[this.columns[k]!]!;
    const value = this.texts.get(this.values[k]!);
    return { row: this.rows[k]!, column, value, code: CODES[this.codes[k]!]!, message: this.messages.get(k) ?? this.compose(k, value) };
  }

  *[Symbol.iterator](): Iterator<Problem> {
    for (let position = 0; position < this.length; position++) yield this.at(position);
  }

  private compose(k: number, value: string): string {
    const column = this.columns[k] === NO_COLUMN ? '' : COLUMN_NAMES[this.columns[k]!]!;
    const label = column ? (this.labels[column] ?? column) : '';
    const detail = this.details[k] === NO_DETAIL ? undefined : this.texts.get(this.details[k]!);
    return problemMessage(CODES[this.codes[k]!]!, this.rows[k]!, label, value, detail);
  }

  private grow(): void {
    const size = this.rows.length * 2;
    const grow = <T extends TypedArray>(column: T): T => resized(column, size);
    this.rows = grow(this.rows);
    this.codes = grow(this.codes);
    this.columns = grow(this.columns);
    this.values = grow(this.values);
    this.details = grow(this.details);
  }
}
