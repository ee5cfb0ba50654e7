/**
 * The calls a reader makes on its RowSink (blank, reject, add, reserve), recorded in batches that
 * can cross to another thread, and replayed there into the real sink in the same order with the
 * same arguments: the portfolio comes out exactly as if the rows had been read on that thread.
 *
 * A row is sent as its cells and their validation results (RowValidator keeps both for the last
 * record), one code a column: unchanged from the row above; an id both sides have seen (a
 * remembered cell's result is one object, so its identity is the key: offers, seat counts,
 * dates); or new, with the cell and result in the batch's values. A million rows send each
 * distinct value once and in full only what is new (subscription ids).
 */

import type { ColumnName } from '../../domain/columns.js';
import type { RawRow, SubscriptionRow } from '../../domain/subscription-row.js';
import type { RowProblem, RowSink } from '../read-rows.js';
import type { CellResult, RowValidator } from '../row-validator.js';

export interface RowBatch {
  codes: Int32Array;
  values: unknown[];
}

const BLANK = 1;
const REJECT = 2;
/** A rejected row the validator never saw (an unterminated quote): its cells are sent as they are. */
const REJECT_CELLS = 3;
const ADD = 4;
const RESERVE = 5;

/** The column's cell and result are those of the row above. */
const SAME = -1;
/** Cells and results each column remembers on both sides; past this, new ones are sent each time. */
const DICTIONARY_SIZE = 4_096;
/** Codes a batch holds before it is sent. */
const BATCH_CODES = 1 << 13;

type Cell = [cell: string | undefined, result: CellResult];

/** A RowSink that records its calls; `send` gets each full batch, and the last at finish(). */
export class RowLog implements RowSink<void> {
  private codes = new Int32Array(BATCH_CODES);
  private used = 0;
  private values: unknown[] = [];
  private rows = 0;
  private readonly width: number;
  private readonly previous: (CellResult | undefined)[];
  private readonly ids: WeakMap<CellResult, number>[];
  private readonly sizes: number[];
  private validated: number;

  constructor(
    private readonly validator: RowValidator,
    private readonly send: (batch: RowBatch) => void,
  ) {
    this.width = validator.columns.length;
    this.previous = new Array<CellResult | undefined>(this.width).fill(undefined);
    this.ids = Array.from({ length: this.width }, () => new WeakMap());
    this.sizes = new Array<number>(this.width).fill(0);
    this.validated = validator.validated;
  }

  get rowsRead(): number {
    return this.rows;
  }

  blank(): void {
    this.room(1);
    this.codes[this.used++] = BLANK;
  }

  reserve(rows: number): void {
    this.room(2);
    this.codes[this.used++] = RESERVE;
    this.codes[this.used++] = rows;
  }

  reject(rowNumber: number, raw: RawRow, problems: RowProblem[]): void {
    this.rows++;
    this.room(3 + this.width);
    const validated = this.fresh();
    this.codes[this.used++] = validated ? REJECT : REJECT_CELLS;
    this.codes[this.used++] = rowNumber;
    this.codes[this.used++] = this.values.push(validated ? problems : [problems, { ...raw }]) - 1;
    if (validated) this.cells();
  }

  add(rowNumber: number, _row: SubscriptionRow, _raw: RawRow, extraFields: number): void {
    this.rows++;
    this.room(3 + this.width);
    this.fresh();
    this.codes[this.used++] = ADD;
    this.codes[this.used++] = rowNumber;
    this.codes[this.used++] = extraFields;
    this.cells();
  }

  finish(): void {
    this.flush();
  }

  /** Whether the validator has seen a record since the last row: then it holds this row's cells. */
  private fresh(): boolean {
    const validated = this.validator.validated !== this.validated;
    this.validated = this.validator.validated;
    return validated;
  }

  private cells(): void {
    const { cells, results } = this.validator;
    const { codes, previous, ids, sizes } = this;
    for (let c = 0; c < this.width; c++) {
      const result = results[c]!;
      if (result === previous[c]) {
        codes[this.used++] = SAME;
        continue;
      }
      previous[c] = result;
      const id = ids[c]!.get(result);
      if (id !== undefined) {
        codes[this.used++] = id;
        continue;
      }
      if (sizes[c]! < DICTIONARY_SIZE) ids[c]!.set(result, sizes[c]!++);
      // A valid text cell is its own value (ids, names): the cell alone is sent, not a pair.
      const cell = cells[c];
      const sent = result.ok && result.value === cell ? cell : ([cell, result] satisfies Cell);
      codes[this.used++] = -1 - this.values.push(sent); // -2 for values[0]
    }
  }

  private room(codes: number): void {
    if (this.used + codes > this.codes.length) this.flush();
  }

  private flush(): void {
    if (this.used === 0) return;
    this.send({ codes: this.codes.subarray(0, this.used), values: this.values });
    this.codes = new Int32Array(BATCH_CODES);
    this.used = 0;
    this.values = [];
  }
}

/** Replays RowLog batches, in order, into `sink`; `validator` is built as the reader's was. */
export class RowReplay {
  private readonly columns: ColumnName[];
  private readonly cells: (string | undefined)[];
  private readonly results: CellResult[];
  private readonly dictionaries: Cell[][];
  /** Reused for every row, as the reader's record view is: the sink reads it during the call. */
  private readonly raw: Record<string, string | undefined> = {};

  constructor(
    private readonly validator: RowValidator,
    private readonly sink: RowSink<unknown>,
  ) {
    this.columns = validator.columns;
    this.cells = new Array<string | undefined>(this.columns.length).fill(undefined);
    this.results = [];
    this.dictionaries = this.columns.map(() => []);
    for (const column of this.columns) this.raw[column] = undefined;
  }

  replay({ codes, values }: RowBatch): void {
    const { sink, validator, results } = this;
    let k = 0;
    while (k < codes.length) {
      const op = codes[k++];
      if (op === ADD) {
        const rowNumber = codes[k++]!;
        const extra = codes[k++]!;
        k = this.readCells(codes, k, values);
        sink.add(rowNumber, validator.rowOf(results), this.raw, extra);
      } else if (op === REJECT) {
        const rowNumber = codes[k++]!;
        const problems = values[codes[k++]!] as RowProblem[];
        k = this.readCells(codes, k, values);
        sink.reject(rowNumber, this.raw, problems);
      } else if (op === REJECT_CELLS) {
        const rowNumber = codes[k++]!;
        const [problems, raw] = values[codes[k++]!] as [RowProblem[], RawRow];
        sink.reject(rowNumber, raw, problems);
      } else if (op === BLANK) sink.blank();
      else if (op === RESERVE) sink.reserve(codes[k++]!);
      else throw new Error(`RowReplay: unknown code ${op} at ${k - 1}`);
    }
  }

  private readCells(codes: Int32Array, k: number, values: readonly unknown[]): number {
    const { columns, cells, results, dictionaries, raw } = this;
    for (let c = 0; c < columns.length; c++) {
      const code = codes[k++]!;
      if (code === SAME) continue;
      let cell: Cell;
      if (code >= 0) cell = dictionaries[c]![code]!;
      else {
        const sent = values[-2 - code] as string | Cell;
        cell = typeof sent === 'string' ? [sent, { ok: true, value: sent }] : sent;
        if (dictionaries[c]!.length < DICTIONARY_SIZE) dictionaries[c]!.push(cell);
      }
      cells[c] = raw[columns[c]!] = cell[0];
      results[c] = cell[1];
    }
    return k;
  }
}
