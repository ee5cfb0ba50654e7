/**
 * Ingest on two threads: a worker (worker-main.ts) decodes, parses and validates the file while
 * this thread builds the portfolio from its rows (RowLog batches, replayed in order), so the two
 * halves of the work overlap. The portfolio is the one a single thread builds: the builder gets
 * the same calls with the same arguments (test/unit/row-log.test.ts, test/e2e/cli.test.ts).
 *
 * Off unless `CSPMOVE_INGEST_WORKER=1`, and only the CLI asks for it (local/plan-command.ts): it
 * is faster but a second V8 heap costs more memory than the offline plan's budget allows
 * (bench/README.md has the figures). It needs the worker's built module beside this code (the
 * CLI's build in dist/); Lambda bundles never include it.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type FileCode, FileError } from '../../domain/codes.js';
import type { HeaderMap } from '../header-aliases.js';
import type { RowReader } from '../ingest.js';
import { type Delimiter, type IngestOptions, type MakeSink, type ReadRows, type RowSink, rowValidator, toFileError } from '../read-rows.js';
import { type RowBatch, RowReplay } from './row-log.js';

/** Bytes posted to the worker and not yet read by it: the file is never queued whole. */
const IN_FLIGHT_BYTES = 4 << 20;

/** What the worker is given to start. */
export type WorkerOptions = Omit<IngestOptions, 'onBytes'>;

export type ToWorker = { type: 'bytes'; chunk: Uint8Array } | { type: 'end' };

export type ToMain =
  | { type: 'header'; headers: HeaderMap; delimiter: Delimiter }
  | { type: 'rows'; batch: RowBatch }
  /** Bytes the worker has taken in so far. */
  | { type: 'ack'; bytes: number }
  | { type: 'done'; headers: HeaderMap; delimiter: string; encoding: 'utf-8' | 'windows-1252' }
  | { type: 'error'; error: { code?: FileCode | undefined; message: string; stack?: string | undefined } };

/**
 * The reader that ingests on a worker, when it is switched on (`CSPMOVE_INGEST_WORKER=1`: read
 * here only) and can run: two cores or more, and the worker's built module beside this code.
 */
export function workerRowReader(url = new URL('./ingest-worker.mjs', import.meta.url)): RowReader | undefined {
  if (process.env.CSPMOVE_INGEST_WORKER !== '1' || availableParallelism() < 2) return undefined;
  if (url.protocol !== 'file:' || !existsSync(fileURLToPath(url))) return undefined;
  return (source, options, makeSink) => ingestInWorker(url, source, options, makeSink);
}

export function ingestInWorker<T>(url: URL, source: Readable, options: IngestOptions, makeSink: MakeSink<T>): Promise<ReadRows<T>> {
  const { onBytes, ...workerOptions } = options;
  const worker = new Worker(url, { workerData: workerOptions satisfies WorkerOptions, execArgv: [] });
  return new Promise<ReadRows<T>>((resolve, reject) => {
    let sink: RowSink<T> | undefined;
    let replay: RowReplay | undefined;
    let settled = false;
    let taken = 0;
    let wake: (() => void) | undefined;

    const settle = () => {
      settled = true;
      wake?.();
      void worker.terminate();
    };
    const fail = (error: unknown) => {
      if (settled) return;
      settle();
      source.destroy();
      reject(error);
    };

    worker.on('message', (message: ToMain) => {
      if (settled) return;
      try {
        switch (message.type) {
          case 'header': {
            const validator = rowValidator(message.headers, message.delimiter);
            sink = makeSink(message.headers, message.delimiter, validator);
            replay = new RowReplay(validator, sink);
            break;
          }
          case 'rows':
            replay!.replay(message.batch);
            break;
          case 'ack':
            taken = message.bytes;
            wake?.();
            break;
          case 'done': {
            const result = sink!.finish();
            settle();
            resolve({ result, headers: message.headers, delimiter: message.delimiter, encoding: message.encoding });
            break;
          }
          case 'error': {
            const { code, message: text, stack } = message.error;
            fail(code ? new FileError(code, text) : Object.assign(new Error(text), { stack }));
            break;
          }
        }
      } catch (error) {
        fail(error);
      }
    });
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`The ingest worker stopped before the file was read (exit code ${code}).`)));

    const feed = async () => {
      let sent = 0;
      for await (const chunk of source as AsyncIterable<Uint8Array>) {
        if (settled) return;
        sent += chunk.byteLength;
        onBytes?.(sent);
        worker.postMessage({ type: 'bytes', chunk } satisfies ToWorker);
        while (sent - taken > IN_FLIGHT_BYTES && !settled) await new Promise<void>((resolve) => (wake = resolve));
      }
      if (!settled) worker.postMessage({ type: 'end' } satisfies ToWorker);
    };
    feed().catch((error: unknown) => fail(toFileError(error)));
  });
}
