/**
 * bin/cspmove.mjs runs a cached esbuild bundle of local/cli.ts (bin/cli-bundle.mjs). Here the
 * real bin and launcher run on a small stand-in CLI in a temporary folder, so the test can edit
 * "sources" freely: the bundle is reused while nothing changed and rebuilt as soon as anything did.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = join(import.meta.dirname, '../..');

interface Run {
  code: number;
  stderr: string;
  /** What the stand-in CLI printed. */
  out: { greeting: string; holidays: string[]; lazy: string; argv: string[]; url: string };
  rebuilt: boolean;
}

let root: string;
let cache: string;
const temps: string[] = [];

function write(name: string, text: string): void {
  writeFileSync(join(root, name), text);
}

function runBin(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      'node',
      [join(root, 'bin/cspmove.mjs'), ...args],
      { cwd: root, env: { ...process.env, CSPMOVE_CACHE_DIR: cache, CSPMOVE_DEBUG_BUNDLE: '1', ...env } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        const line = stdout.trim().split('\n').pop() ?? '';
        resolve({ code, stderr, out: line.startsWith('{') ? JSON.parse(line) : undefined, rebuilt: /cspmove bundle: built b-/.test(stderr) });
      },
    );
  });
}

function manifest(dir = cache): { build: string; inputs: Record<string, { size: number; mtimeMs: number; hash: string }> } {
  return JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'cspmove-bundle-'));
  temps.push(root);
  cache = join(root, 'cache');
  mkdirSync(join(root, 'bin'));
  mkdirSync(join(root, 'local'));
  for (const file of ['bin/cspmove.mjs', 'bin/cli-bundle.mjs', 'tsconfig.json', 'package.json']) copyFileSync(join(REPO, file), join(root, file));
  symlinkSync(join(REPO, 'node_modules'), join(root, 'node_modules'));
  write('local/greeting.ts', "export const greeting: string = 'v1';\n");
  write('local/holidays.json', '["2026-12-25"]\n');
  write('local/lazy.ts', "export const value = 'lazy-1';\n");
  write(
    'local/cli.ts',
    [
      "import { greeting } from './greeting.js';",
      "import holidays from './holidays.json' with { type: 'json' };",
      'export async function main(argv: string[]): Promise<number> {',
      "  const { value } = await import('./lazy.js');",
      '  console.log(JSON.stringify({ greeting, holidays, lazy: value, argv, url: import.meta.url }));',
      '  return 3;',
      '}',
      '',
    ].join('\n'),
  );
});

afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true }); // the node_modules link, not its target
});

describe('the cspmove bin', () => {
  it('builds the bundle on the first run and runs it: exit code from main, JSON and lazy imports bundled', async () => {
    const r = await runBin(['plan', 'x.csv']);
    expect(r.stderr).toMatch(/built b-/);
    expect(r.code).toBe(3);
    expect(r.out).toEqual({ greeting: 'v1', holidays: ['2026-12-25'], lazy: 'lazy-1', argv: ['plan', 'x.csv'], url: expect.any(String) });
    expect(r.out.url.startsWith(pathToFileURL(cache).href + '/b-')).toBe(true);
    expect(Object.keys(manifest().inputs)).toEqual(expect.arrayContaining(['local/cli.ts', 'local/greeting.ts', 'local/holidays.json', 'local/lazy.ts', 'tsconfig.json', 'bin/cli-bundle.mjs']));
  });

  it('reuses the bundle while no input changed, even when only file times did', async () => {
    const before = manifest().build;
    const again = await runBin([]);
    expect(again.rebuilt).toBe(false);
    expect(again.out.greeting).toBe('v1');
    const past = new Date(Date.now() - 3_600_000);
    utimesSync(join(root, 'local/greeting.ts'), past, past); // like a checkout: same bytes, new time
    const touched = await runBin([]);
    expect(touched.rebuilt).toBe(false);
    expect(touched.out.greeting).toBe('v1');
    expect(manifest().build).toBe(before);
    expect(manifest().inputs['local/greeting.ts']!.mtimeMs).toBe(statSync(join(root, 'local/greeting.ts')).mtimeMs);
  });

  it('rebuilds when a source, a lazily imported module or a JSON input changes (same size included)', async () => {
    write('local/greeting.ts', "export const greeting: string = 'v2';\n"); // same size as v1
    const r1 = await runBin([]);
    expect(r1.rebuilt).toBe(true);
    expect(r1.out.greeting).toBe('v2');
    write('local/lazy.ts', "export const value = 'lazy-2';\n");
    write('local/holidays.json', '["2026-12-25", "2026-12-26"]\n');
    const r2 = await runBin([]);
    expect(r2.rebuilt).toBe(true);
    expect(r2.out).toMatchObject({ greeting: 'v2', lazy: 'lazy-2', holidays: ['2026-12-25', '2026-12-26'] });
  });

  it('reports a compile error instead of running old code, and recovers once it is fixed', async () => {
    write('local/greeting.ts', "export const greeting: string = 'v3\n");
    const broken = await runBin([]);
    expect(broken.code).toBe(1);
    expect(broken.out).toBeUndefined();
    expect(broken.stderr).toContain('cspmove: cannot compile local/cli.ts');
    expect(broken.stderr).toContain('local/greeting.ts');
    write('local/greeting.ts', "export const greeting: string = 'v3';\n");
    const fixed = await runBin([]);
    expect(fixed.out.greeting).toBe('v3');
  });

  it('survives concurrent first runs: every one runs whole code, one build is kept', async () => {
    const fresh = join(root, 'cache-concurrent');
    const runs = await Promise.all(Array.from({ length: 4 }, () => runBin([], { CSPMOVE_CACHE_DIR: fresh })));
    for (const r of runs) expect(r.out.greeting).toBe('v3');
    expect(readdirSync(fresh).filter((n) => n.startsWith('b-'))).toEqual([manifest(fresh).build]);
    expect(readdirSync(fresh).filter((n) => n.startsWith('tmp-') || n.endsWith('.tmp'))).toEqual([]);
  });

  it('falls back to a temp folder, then to tsx, when the cache folder cannot be written', async () => {
    const notADir = join(root, 'a-file');
    writeFileSync(notADir, '');
    const temp = mkdtempSync(join(tmpdir(), 'cspmove-tmp-'));
    temps.push(temp);
    const inTemp = await runBin([], { CSPMOVE_CACHE_DIR: join(notADir, 'cache'), TMPDIR: temp });
    expect(inTemp.out.greeting).toBe('v3');
    expect(inTemp.out.url.startsWith(pathToFileURL(temp).href)).toBe(true);
    const viaTsx = await runBin([], { CSPMOVE_CACHE_DIR: join(notADir, 'cache'), TMPDIR: join(notADir, 'tmp') });
    expect(viaTsx.out.greeting).toBe('v3');
    expect(viaTsx.out.url).toBe(pathToFileURL(join(root, 'local/cli.ts')).href);
  });
});
