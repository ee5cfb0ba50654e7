/**
 * The ingest worker's thread (see ingest-in-worker.ts): reads the bytes the main thread posts,
 * decodes, parses and validates them as a single-threaded ingest does, and posts the rows back
 * as RowLog batches.
 */
import { Readable } from 'node:stream';
import { parentPort, workerData } from 'node:worker_threads';
import { FileError } from '../../domain/codes.js';
import { readRows } from '../read-rows.js';
import type { ToMain, ToWorker, WorkerOptions } from './ingest-in-worker.js';
import { RowLog } from './row-log.js';

const port = parentPort!;
const post = (message: ToMain, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

let received = 0;
let acknowledged = 0;
// Asked for more: what came in so far has been taken (flowing, it is parsed by then).
const input = new Readable({
  read() {
    if (received === acknowledged) return;
    acknowledged = received;
    post({ type: 'ack', bytes: received });
  },
});
port.on('message', (message: ToWorker) => {
  if (message.type === 'end') input.push(null);
  else {
    received += message.chunk.byteLength;
    input.push(Buffer.from(message.chunk.buffer, message.chunk.byteOffset, message.chunk.byteLength));
  }
});

readRows(input, workerData as WorkerOptions, (headers, delimiter, validator) => {
  post({ type: 'header', headers, delimiter });
  return new RowLog(validator, (batch) => post({ type: 'rows', batch }, [batch.codes.buffer as ArrayBuffer]));
}).then(
  ({ headers, delimiter, encoding }) => post({ type: 'done', headers, delimiter, encoding }),
  (error: unknown) => {
    const { message, stack } = error instanceof Error ? error : { message: String(error), stack: undefined };
    post({ type: 'error', error: { code: error instanceof FileError ? error.code : undefined, message, stack } });
  },
);
