/**
 * `npm run fuzz [-- --runs N --seed S --timeout MS --path P]`: R4 at full size.
 *
 * Generates N CSV files (default 10,000, fixed seed), ingests and plans each, and prints the
 * figures. Exits 1 on any crash, hang or accounting mismatch, printing the case and how to replay
 * it (`--seed S --path P --runs 1`).
 *
 * The cases run in a child process watched from here: a case that blocks the event loop (a
 * synchronous endless loop, which no Promise.race can stop) is caught by the watchdog.
 */
import { fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { CASE_TIMEOUT_MS, csvProperty, emptyFigures, type FuzzFigures, formatFigures } from './csv-fuzz.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '10000' },
    seed: { type: 'string', default: '20261201' },
    timeout: { type: 'string', default: String(CASE_TIMEOUT_MS) },
    path: { type: 'string' },
    child: { type: 'boolean', default: false },
  },
});
const runs = Number(values.runs);
const seed = Number(values.seed);
const timeoutMs = Number(values.timeout);
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(seed) || !(timeoutMs > 0)) {
  console.error('usage: npm run fuzz -- [--runs N] [--seed S] [--timeout MS] [--path P]');
  process.exit(2);
}

type Message =
  | { type: 'case'; index: number }
  | { type: 'done'; figures: FuzzFigures; failure: string | undefined; path: string | undefined; seconds: number };

if (values.child) await child();
else parent();

async function child(): Promise<void> {
  const send = (m: Message) => process.send!(m);
  const figures = emptyFigures();
  let index = 0;
  // Tells the watchdog which case starts, so a case that blocks can be named.
  const property = csvProperty(figures, { timeoutMs, onStart: () => send({ type: 'case', index: index++ }) });
  const started = performance.now();
  const details = await fc.check(property, { numRuns: runs, seed, endOnFailure: true, ...(values.path ? { path: values.path } : {}) });
  const failure = details.failed
    ? String(details.errorInstance instanceof Error ? details.errorInstance.message : details.errorInstance)
    : undefined;
  const done: Message = {
    type: 'done',
    figures,
    failure,
    path: details.counterexamplePath ?? undefined,
    seconds: (performance.now() - started) / 1000,
  };
  // Exit once the figures are out: a case that hung may still hold the event loop open.
  process.send!(done, () => process.exit(0));
}

function parent(): void {
  const self = fileURLToPath(import.meta.url);
  const args = [
    '--child',
    '--runs',
    String(runs),
    '--seed',
    String(seed),
    '--timeout',
    String(timeoutMs),
    ...(values.path ? ['--path', values.path] : []),
  ];
  const worker = fork(self, args, { execArgv: ['--import', 'tsx'] });
  let last = Date.now();
  let current = -1;
  let done = false;
  console.log(`Fuzzing ingest + plan with ${runs} generated CSV files (seed ${seed}, ${timeoutMs} ms a case)…`);
  const watchdog = setInterval(() => {
    if (Date.now() - last < timeoutMs * 3) return;
    clearInterval(watchdog);
    worker.kill('SIGKILL');
    console.error(`HANG: case ${current} blocked the event loop for over ${timeoutMs * 3} ms.`);
    console.error(`Replay: npm run fuzz -- --seed ${seed} --path ${current} --runs 1`);
    console.log('crashes: 0, hangs: 1');
    process.exit(1);
  }, 1_000);
  worker.on('message', (m: Message) => {
    last = Date.now();
    if (m.type === 'case') {
      current = m.index;
      if (current > 0 && current % 1_000 === 0) console.log(`  ${current} cases…`);
      return;
    }
    done = true;
    clearInterval(watchdog);
    console.log(formatFigures(m.figures, seed, m.seconds));
    if (m.failure) {
      const file = join(tmpdir(), `csp-fuzz-${seed}-${m.path ?? 'x'}.txt`);
      writeFileSync(file, m.failure);
      console.error(`\nFAILED at case ${m.path}:\n${m.failure.slice(0, 3_000)}\n(full text in ${file})`);
      console.error(`Replay: npm run fuzz -- --seed ${seed} --path ${m.path} --runs 1`);
    }
    const bad = m.failure !== undefined || m.figures.crashes + m.figures.hangs + m.figures.mismatches > 0;
    process.exitCode = bad ? 1 : 0;
  });
  worker.on('exit', (code, signal) => {
    clearInterval(watchdog);
    if (!done) {
      console.error(`CRASH: the fuzz process died (${signal ?? `exit ${code}`}) during case ${current}.`);
      console.error(`Replay: npm run fuzz -- --seed ${seed} --path ${current} --runs 1`);
      process.exit(1);
    }
  });
}
