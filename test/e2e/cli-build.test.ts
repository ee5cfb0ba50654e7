/**
 * The CLI is built once into dist/ (scripts/build-cli.mjs, run by `npm ci` through `prepare`) and
 * bin/cspmove.mjs runs the built file. The build script and the bin are copied into a temporary
 * folder with small stand-in sources, so the test can build, break and rebuild them freely; the
 * last test runs the real bin on the dist/ the global setup built.
 */
import { execFile } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = join(import.meta.dirname, '../..');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function node(args: string[], cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

let root: string;
const write = (name: string, text: string) => {
  mkdirSync(dirname(join(root, name)), { recursive: true });
  writeFileSync(join(root, name), text);
};
const build = () => node(['scripts/build-cli.mjs'], root);
const bin = (args: string[]) => node(['bin/cspmove.mjs', ...args], root);

const STAND_IN_CLI = [
  "import { Command } from 'commander';",
  "import holidays from './holidays.json' with { type: 'json' };",
  'export async function run(argv: string[]): Promise<void> {',
  "  const { value } = await import('./lazy.js');",
  '  console.log(JSON.stringify({ argv, holidays, lazy: value, commander: typeof Command }));',
  '  process.exitCode = 3;',
  '}',
  '',
].join('\n');

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'cspmove-build-'));
  for (const file of ['scripts/build-cli.mjs', 'bin/cspmove.mjs']) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    copyFileSync(join(REPO, file), join(root, file));
  }
  symlinkSync(join(REPO, 'node_modules'), join(root, 'node_modules'));
  write('local/cli.ts', STAND_IN_CLI);
  write('local/holidays.json', '["2026-12-25"]\n');
  write('local/lazy.ts', "export const value: string = 'lazy';\n");
  write('shared/csv/worker/worker-main.ts', "import { parentPort } from 'node:worker_threads';\nparentPort?.postMessage('ready');\n");
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true }); // the node_modules link, not its target
});

describe('building the CLI into dist/', () => {
  it('without a build, the bin says how to make one', async () => {
    const r = await bin(['--help']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('cspmove: the CLI is not built (dist/cli.mjs is missing): run `npm run build`.\n');
  });

  it('writes dist/cli.mjs and dist/ingest-worker.mjs side by side, quietly', async () => {
    const r = await build();
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
    const files = readdirSync(join(root, 'dist'));
    expect(files).toEqual(expect.arrayContaining(['cli.mjs', 'cli.mjs.map', 'ingest-worker.mjs', 'ingest-worker.mjs.map']));
    // Flat: ingest-in-worker.ts finds the worker beside the chunk that starts it.
    for (const file of files) expect(statSync(join(root, 'dist', file)).isFile()).toBe(true);
    const cli = readFileSync(join(root, 'dist/cli.mjs'), 'utf8');
    expect(cli).toContain('from "commander"'); // packages load from node_modules
    expect(cli).toContain('"2026-12-25"'); // JSON is inlined
    expect(cli).toMatch(/import\("\.\/lazy-[A-Z0-9]+\.mjs"\)/); // a lazy import stays lazy
    const map = JSON.parse(readFileSync(join(root, 'dist/cli.mjs.map'), 'utf8')) as { sources: string[] };
    expect(map.sources).toContain('../local/cli.ts');
  });

  it('the bin runs the built CLI: arguments in, exit code out', async () => {
    const r = await bin(['plan', 'x.csv']);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout)).toEqual({ argv: ['plan', 'x.csv'], holidays: ['2026-12-25'], lazy: 'lazy', commander: 'function' });
  });

  it('a compile error: esbuild names the place, the exit status is not 0, and nothing stale is left to run', async () => {
    write('local/lazy.ts', "export const value: string = 'lazy\n");
    const r = await build();
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('local/lazy.ts:1:');
    expect(r.stderr).toContain('Unterminated string literal');
    expect(existsSync(join(root, 'dist/cli.mjs'))).toBe(false);
    write('local/lazy.ts', "export const value: string = 'fixed';\n");
    expect((await build()).code).toBe(0);
    expect(JSON.parse((await bin([])).stdout).lazy).toBe('fixed');
  });
});

describe('the real bin, on the dist/ the global setup built', () => {
  it('runs --help and --version with exit 0', async () => {
    const help = await node([join(REPO, 'bin/cspmove.mjs'), '--help'], REPO);
    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(help.stdout).toMatch(/^Usage: cspmove /);
    const version = await node([join(REPO, 'bin/cspmove.mjs'), '--version'], REPO);
    expect(version).toMatchObject({ code: 0, stderr: '' });
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });
});
