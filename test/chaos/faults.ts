/**
 * Fault injection through AWS SDK middleware, on the very clients the handlers use
 * (tableClient, objectStoreClient, mailClient). Nothing in the application knows about it.
 *
 * Two places in each client's middleware stack:
 *   - a "call" middleware at the top of the stack (initialize step, high priority), once per
 *     command: it records the call, can kill the process (every later call fails, as after a
 *     crash), can fail one call outright, turns part of a BatchWriteItem into UnprocessedItems
 *     and can cut an S3 GetObject body off mid-stream;
 *   - an "attempt" middleware just below the SDK's retry middleware, once per attempt: throttling
 *     (ProvisionedThroughputExceededException) and SES 5xx are thrown there, so the SDK retries
 *     them with its own backoff, exactly as it would the real thing.
 * The middleware is installed once per process and does nothing until a hook is set.
 */
import { PassThrough, type Readable } from 'node:stream';
import { ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { SESv2ServiceException } from '@aws-sdk/client-sesv2';

/** A deterministic PRNG (mulberry32): the same seed gives the same faults. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export type Service = 'dynamodb' | 's3' | 'ses';

/** One SDK command as the application sent it (DynamoDB input in document form). */
export interface Call {
  service: Service;
  /** e.g. BatchWriteItem, UpdateItem, GetObject, SendEmail */
  command: string;
  input: Record<string, any>;
}

/** One attempt of a command (the SDK retries below the call). 1 for the first. */
export interface Attempt extends Call {
  attempt: number;
}

export interface Hooks {
  /** Sees every call; throwing fails that call (the SDK does not retry it). */
  call?: (call: Call) => void;
  /** True: answer this attempt with ProvisionedThroughputExceededException (the SDK retries it). */
  throttle?: (attempt: Attempt) => boolean;
  /** How many of a BatchWriteItem's items DynamoDB "leaves unprocessed" (returned in UnprocessedItems). */
  unprocessed?: (call: Call, items: number) => number;
  /**
   * Kills the process at the first call `when` is true for: the call throws, and in 'crash' mode
   * every later call fails too, as when Lambda's process dies (timeout, out of memory); in
   * 'error' mode only that call fails and the handler sees the error. Used once, then cleared.
   */
  kill?: { when: (call: Call) => boolean; mode: 'crash' | 'error' };
  /** Bytes after which an S3 GetObject body fails (ECONNRESET), or undefined to leave it whole. */
  cutBody?: (call: Call) => number | undefined;
  /** An error to answer this SES attempt with (5xx: the SDK retries it), or undefined to send. */
  sesFault?: (attempt: Attempt) => Error | undefined;
}

export interface Counts {
  calls: Record<Service, number>;
  attempts: Record<Service, number>;
  /** attempts beyond the first: the SDK's own retries */
  sdkRetries: Record<Service, number>;
  throttled: number;
  batchWrites: number;
  /** items moved into UnprocessedItems */
  heldBack: number;
  cutBodies: number;
  sesFaults: number;
  /** SendEmail calls that SES accepted */
  sent: number;
  /** calls refused because the process was dead */
  refusedDead: number;
}

const zero = (): Record<Service, number> => ({ dynamodb: 0, s3: 0, ses: 0 });
const newCounts = (): Counts => ({
  calls: zero(),
  attempts: zero(),
  sdkRetries: zero(),
  throttled: 0,
  batchWrites: 0,
  heldBack: 0,
  cutBodies: 0,
  sesFaults: 0,
  sent: 0,
  refusedDead: 0,
});

/** What the "killed" process throws: not an AWS error, so nothing retries it. */
export class Killed extends Error {
  constructor(what: string) {
    super(`Lambda killed (${what})`);
    this.name = 'Killed';
  }
}

export interface Clients {
  dynamodb: { config: { maxAttempts: () => Promise<number> | number } };
  s3: { config: { maxAttempts: () => Promise<number> | number } };
  ses: { config: { maxAttempts: () => Promise<number> | number } };
}

export class Chaos {
  hooks: Hooks = {};
  /** the application's clients the middleware sits on */
  clients!: Clients;
  counts: Counts = newCounts();
  /** After a 'crash' kill every call fails until `reset()`: the process is gone. */
  dead = false;

  /** Clears hooks, the dead flag and the counters. */
  reset(): Counts {
    const counts = this.counts;
    this.hooks = {};
    this.counts = newCounts();
    this.dead = false;
    return counts;
  }

  /** Sets hooks (replacing the ones given). */
  set(hooks: Hooks): void {
    this.hooks = { ...this.hooks, ...hooks };
  }

  /** @internal the call middleware's decision, before the command runs */
  beforeCall(call: Call): void {
    this.counts.calls[call.service]++;
    if (this.dead) {
      this.counts.refusedDead++;
      throw new Killed(`${call.service} ${call.command} after the crash`);
    }
    this.hooks.call?.(call);
    if (call.command === 'BatchWriteItem') this.counts.batchWrites++;
    const kill = this.hooks.kill;
    if (kill?.when(call)) {
      this.hooks.kill = undefined;
      if (kill.mode === 'crash') this.dead = true;
      throw new Killed(`at ${call.service} ${call.command}`);
    }
  }

  /** @internal the attempt middleware's decision */
  beforeAttempt(attempt: Attempt): void {
    this.counts.attempts[attempt.service]++;
    if (attempt.attempt > 1) this.counts.sdkRetries[attempt.service]++;
    if (attempt.service === 'dynamodb' && this.hooks.throttle?.(attempt)) {
      this.counts.throttled++;
      throw new ProvisionedThroughputExceededException({ message: 'Injected: throughput exceeded', $metadata: { httpStatusCode: 400 } });
    }
    if (attempt.service === 'ses') {
      const fault = this.hooks.sesFault?.(attempt);
      if (fault) {
        this.counts.sesFaults++;
        throw fault;
      }
    }
  }
}

/** An SES 5xx, which the SDK retries. */
export function sesServiceUnavailable(): Error {
  return new SESv2ServiceException({
    name: 'ServiceUnavailable',
    $fault: 'server',
    $metadata: { httpStatusCode: 503 },
    message: 'Injected: service unavailable',
  });
}

let installed: Chaos | undefined;

/**
 * Installs the middleware on the application's clients (once per process) and returns the
 * controller. Call it after startLocalStack: the modules create their clients when they load,
 * from the environment the stack sets, so they are imported only here.
 */
export async function installChaos(): Promise<Chaos> {
  if (installed) return installed;
  const { tableClient } = await import('../../shared/storage/dynamodb/table-client.js');
  const { objectStoreClient } = await import('../../shared/storage/object-store.js');
  const { mailClient } = await import('../../shared/mail/ses-sender.js');
  const chaos = new Chaos();
  chaos.clients = { dynamodb: tableClient(), s3: objectStoreClient(), ses: mailClient() } as unknown as Clients;
  const commandOf = (context: { commandName?: string }) => String(context.commandName ?? '').replace(/Command$/, '');

  /** Runs below the SDK's retry middleware: once per attempt. */
  const attemptMiddleware =
    (service: Service) =>
    (next: (args: { input: unknown }) => Promise<unknown>, context: { chaosAttempt?: number; commandName?: string }) =>
    async (args: { input: unknown }) => {
      context.chaosAttempt = (context.chaosAttempt ?? 0) + 1;
      chaos.beforeAttempt({
        service,
        command: commandOf(context),
        input: args.input as Record<string, any>,
        attempt: context.chaosAttempt,
      });
      return next(args);
    };

  const ddb = tableClient();
  ddb.middlewareStack.add(
    (next, context) => async (args) => {
      const call: Call = { service: 'dynamodb', command: commandOf(context), input: args.input as Record<string, any> };
      chaos.beforeCall(call);
      if (call.command !== 'BatchWriteItem' || !chaos.hooks.unprocessed) return next(args);
      // Hold part of the request back, as DynamoDB does under throttling, and answer it in UnprocessedItems.
      const requestItems = call.input.RequestItems as Record<string, unknown[]>;
      const [table, requests] = Object.entries(requestItems)[0]!;
      const held = Math.min(requests.length, Math.max(0, chaos.hooks.unprocessed(call, requests.length)));
      if (held === 0) return next(args);
      const kept = requests.slice(0, requests.length - held);
      const back = requests.slice(requests.length - held);
      chaos.counts.heldBack += held;
      const result =
        kept.length > 0
          ? await next({ ...args, input: { ...call.input, RequestItems: { [table]: kept } } as typeof args.input })
          : { output: { $metadata: {} } as any, response: {} };
      const output = result.output as Record<string, any>;
      const already = (output.UnprocessedItems?.[table] as unknown[] | undefined) ?? [];
      output.UnprocessedItems = { ...output.UnprocessedItems, [table]: [...already, ...back] };
      return result;
    },
    { step: 'initialize', priority: 'high', name: 'chaosDynamoCall' },
  );
  ddb.middlewareStack.addRelativeTo(attemptMiddleware('dynamodb') as never, {
    relation: 'after',
    toMiddleware: 'retryMiddleware',
    name: 'chaosDynamoAttempt',
  });

  const s3 = objectStoreClient();
  s3.middlewareStack.add(
    (next, context) => async (args) => {
      const call: Call = { service: 's3', command: commandOf(context), input: args.input as Record<string, any> };
      chaos.beforeCall(call);
      const result = await next(args);
      const cut = call.command === 'GetObject' ? chaos.hooks.cutBody?.(call) : undefined;
      if (cut !== undefined) {
        chaos.counts.cutBodies++;
        const output = result.output as { Body?: Readable };
        output.Body = cutAfter(output.Body!, cut);
      }
      return result;
    },
    { step: 'initialize', priority: 'high', name: 'chaosS3Call' },
  );
  s3.middlewareStack.addRelativeTo(attemptMiddleware('s3') as never, {
    relation: 'after',
    toMiddleware: 'retryMiddleware',
    name: 'chaosS3Attempt',
  });

  const ses = mailClient();
  ses.middlewareStack.add(
    (next, context) => async (args) => {
      chaos.beforeCall({ service: 'ses', command: commandOf(context), input: args.input as Record<string, any> });
      const result = await next(args);
      chaos.counts.sent++;
      return result;
    },
    { step: 'initialize', priority: 'high', name: 'chaosSesCall' },
  );
  ses.middlewareStack.addRelativeTo(attemptMiddleware('ses') as never, {
    relation: 'after',
    toMiddleware: 'retryMiddleware',
    name: 'chaosSesAttempt',
  });

  installed = chaos;
  return chaos;
}

/** The first `limit` bytes of `source`, then an ECONNRESET, as when a connection drops mid-body. */
function cutAfter(source: Readable, limit: number): Readable {
  const out = new PassThrough();
  let seen = 0;
  const fail = () => {
    source.destroy();
    setImmediate(() => out.destroy(Object.assign(new Error('Injected: socket hang up'), { code: 'ECONNRESET' })));
  };
  if (limit <= 0) {
    fail();
    return out;
  }
  source.on('data', (chunk: Buffer) => {
    if (seen + chunk.length >= limit) {
      out.write(chunk.subarray(0, limit - seen));
      seen = limit;
      source.removeAllListeners('data');
      fail();
      return;
    }
    seen += chunk.length;
    if (!out.write(chunk)) {
      source.pause();
      out.once('drain', () => source.resume());
    }
  });
  source.on('end', () => {
    if (seen < limit) out.end();
  });
  source.on('error', (error) => out.destroy(error));
  return out;
}
