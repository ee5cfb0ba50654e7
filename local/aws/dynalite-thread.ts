/**
 * dynalite on a thread of its own. In AWS the table is another service: the handler's CPU does
 * not serve DynamoDB's requests. On one thread, every item dynalite stores (validating, indexing,
 * LevelDB) would take turns with the handler's parsing and marshalling, and concurrent
 * BatchWriteItem calls could never overlap with the work that sends them. A worker thread (not a
 * child process) ends with the process, so a crashed test leaves nothing behind.
 *
 * The worker's code is a string evaluated as CommonJS and told where dynalite is: it works the
 * same under tsx and inside the CLI's esbuild bundle, where no worker file sits beside this one.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

export interface DynaliteThreadOptions {
  /** LevelDB folder; in memory when absent */
  path?: string | undefined;
  host: string;
  /** 0 (the default) takes a free one */
  port?: number | undefined;
  /** after this, connections clients still hold open are dropped on close */
  forceCloseAfterMs: number;
}

export interface DynaliteThread {
  port: number;
  close(): Promise<void>;
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { module, host, port, forceCloseAfterMs, options } = workerData;
const server = require(module)(options);
server.once('error', (error) => { throw error; });
server.listen(port, host, () => parentPort.postMessage({ port: server.address().port }));
parentPort.once('message', () => {
  const force = setTimeout(() => server.closeAllConnections(), forceCloseAfterMs);
  server.close((error) => {
    clearTimeout(force);
    parentPort.postMessage({ closed: true, error: error && error.code !== 'ERR_SERVER_NOT_RUNNING' ? String(error) : undefined });
    parentPort.close();
  });
  server.closeIdleConnections();
});
`;

export async function startDynaliteThread(options: DynaliteThreadOptions): Promise<DynaliteThread> {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    // CommonJS whatever the parent runs with (--input-type=module, tsx's loader)
    execArgv: [],
    workerData: {
      module: createRequire(import.meta.url).resolve('dynalite'),
      host: options.host,
      port: options.port ?? 0,
      forceCloseAfterMs: options.forceCloseAfterMs,
      // tables are ACTIVE at once: local setup code need not poll
      options: { ...(options.path ? { path: options.path } : {}), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 },
    },
  });
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('message', (message: { port: number }) => resolve(message.port));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`dynalite thread exited (${code}) before it listened`)));
  });
  worker.removeAllListeners();
  // A thread that dies later fails the requests sent to it; close() reports why.
  let failed: unknown;
  let exited = false;
  worker.on('error', (error) => (failed = error));
  worker.on('exit', () => (exited = true));
  let closing: Promise<void> | undefined;
  return {
    port,
    close: () =>
      (closing ??= new Promise<void>((resolve, reject) => {
        const settle = () => (failed === undefined ? resolve() : reject(failed));
        if (exited) return settle();
        worker.once('message', (message: { error?: string }) => {
          if (message.error) reject(new Error(`dynalite: ${message.error}`));
          else resolve();
        });
        worker.once('exit', settle);
        worker.postMessage('close');
      }).finally(() => worker.terminate())),
  };
}
