/** Small helpers the bench and its workers share: child processes, timing, statistics. */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
export const REPO_DIR = dirname(BENCH_DIR);

/** GNU time, for the peak RSS of a child process; the bench falls back to a preload without it. */
export const GNU_TIME = ['/usr/bin/time', '/bin/time'].find((p) => existsSync(p));

export interface ChildResult {
  wallMs: number;
  /** Peak resident set size of the child, in bytes (GNU time, or the RSS preload). */
  maxRssBytes: number | undefined;
  stdout: string;
  stderr: string;
  code: number | null;
}

export interface ChildOptions {
  env?: NodeJS.ProcessEnv;
  /** Measure the child's peak RSS. */
  rss?: boolean;
  timeoutMs?: number;
}

let rssSerial = 0;

/** Builds dist/ from the sources as they are, so `bin/cspmove.mjs` never runs stale code here. */
export function buildCli(): void {
  execFileSync(process.execPath, ['scripts/build-cli.mjs'], { cwd: REPO_DIR, stdio: 'inherit' });
}

/**
 * Flushes the files earlier measurements wrote (a 1M-row run leaves 520 MB of plan.csv behind):
 * otherwise the kernel writes them back while the next measurement runs, and it pays for them.
 */
export function settleDisk(): void {
  spawnSync('sync', { stdio: 'ignore' });
}

/**
 * Runs `node ARGS…` in a fresh process; wall time is from spawn to exit, measured here. With
 * `rss`, peak RSS comes from GNU time's "Maximum resident set size" when it is installed, else
 * from a preload that prints process.resourceUsage().maxRSS at exit.
 */
export async function runNode(args: string[], options: ChildOptions = {}): Promise<ChildResult> {
  settleDisk();
  let command = process.execPath;
  let argv = [...args];
  let rssFile: string | undefined;
  let viaTime = false;
  if (options.rss) {
    rssFile = join(tmpdir(), `cspmove-bench-rss-${process.pid}-${++rssSerial}.txt`);
    if (GNU_TIME) {
      viaTime = true;
      argv = ['-f', '%M', '-o', rssFile, process.execPath, ...argv];
      command = GNU_TIME;
    } else {
      argv = ['--import', join(BENCH_DIR, 'workers', 'rss-at-exit.mjs'), ...argv];
    }
  }
  const env = { ...process.env, ...options.env, ...(rssFile && !viaTime ? { BENCH_RSS_FILE: rssFile } : {}) };
  const t0 = performance.now();
  const child = spawn(command, argv, { cwd: REPO_DIR, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const timer = options.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs) : undefined;
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (c) => resolve(c));
  });
  const wallMs = performance.now() - t0;
  if (timer) clearTimeout(timer);
  let maxRssBytes: number | undefined;
  if (rssFile) {
    const text = await readFile(rssFile, 'utf8').catch(() => '');
    await rm(rssFile, { force: true });
    // GNU time prints kilobytes; the preload prints kilobytes too (resourceUsage().maxRSS).
    const kb = Number(text.trim().split(/\s+/).pop());
    maxRssBytes = Number.isFinite(kb) && kb > 0 ? kb * 1024 : undefined;
  }
  return { wallMs, maxRssBytes, stdout, stderr, code };
}

/** Runs a TypeScript worker under tsx; its last stdout line is JSON. */
export async function runWorker<T>(
  script: string,
  args: string[],
  options: ChildOptions = {},
): Promise<T & { wallMs: number; maxRssBytes: number | undefined }> {
  const r = await runNode(['--import', 'tsx', '--expose-gc', join(BENCH_DIR, 'workers', script), ...args], options);
  if (r.code !== 0) throw new Error(`${script} ${args.join(' ')} exited ${r.code}:\n${r.stderr.slice(-4000)}`);
  const last = r.stdout.trim().split('\n').pop() ?? '';
  try {
    return { ...(JSON.parse(last) as T), wallMs: r.wallMs, maxRssBytes: r.maxRssBytes };
  } catch {
    throw new Error(`${script}: no JSON result on stdout:\n${r.stdout.slice(-2000)}\n${r.stderr.slice(-2000)}`);
  }
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function argValue(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i === -1 ? undefined : args[i + 1];
}

/** Prints the worker's result as the last line of stdout. */
export function emit(result: unknown): void {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

export const MB = 1024 * 1024;
