/**
 * Profiling helper for the team: summarises V8 .cpuprofile / .heapprofile files (from
 * `node --cpu-prof` / `--heap-prof`), or profiles `cspmove plan` on a generated file first.
 *
 *   npx tsx bench/profile.ts plan --rows 1000000 [--capacity 5000] [--heap]   # generate, profile, summarise
 *   npx tsx bench/profile.ts summary FILE.cpuprofile|FILE.heapprofile [--top 25]
 *
 * The CPU summary lists self time by function and by file/package; the heap summary lists the
 * allocation sites still live at the end of the sampling profile (what the heap held).
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { generate } from './generate.js';
import { argValue, BENCH_DIR, buildCli, REPO_DIR, runNode } from './util.js';

interface CpuNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: CpuNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}
interface HeapNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: HeapNode[];
}

function where(url: string): string {
  if (!url) return '(native)';
  const path = url.replace(/^file:\/\//, '');
  const nm = path.lastIndexOf('node_modules/');
  if (nm !== -1) {
    const rest = path.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (path.startsWith('node:')) return path;
  return relative(REPO_DIR, path);
}

function table(title: string, entries: [string, number][], total: number, unit: (v: number) => string, top: number): string {
  const lines = entries
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([k, v]) => `${unit(v).padStart(10)} ${((v / total) * 100).toFixed(1).padStart(5)}%  ${k}`);
  return `${title}\n${lines.join('\n')}\n`;
}

export function summarizeCpu(profile: CpuProfile, top = 25): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++)
    self.set(profile.samples[i]!, (self.get(profile.samples[i]!) ?? 0) + (profile.timeDeltas[i] ?? 0));
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  let total = 0;
  for (const [id, us] of self) {
    const f = byId.get(id)!.callFrame;
    const name = `${f.functionName || '(anonymous)'}  ${where(f.url)}${f.url ? `:${f.lineNumber + 1}` : ''}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
    byFile.set(where(f.url), (byFile.get(where(f.url)) ?? 0) + us);
    total += us;
  }
  const ms = (us: number) => `${(us / 1000).toFixed(0)} ms`;
  const idle = byFunction.get('(idle)  (native)') ?? 0;
  if (idle > 0.9 * total)
    return `CPU profile: ${(total / 1e6).toFixed(2)} s sampled, ${((idle / total) * 100).toFixed(0)}% idle (a helper thread, e.g. tsx's loader): skipped\n`;
  // Inclusive time of the project's own functions (shared/, local/, functions/): where a stage's
  // time goes including the libraries it calls. Each sample counts once per function on its stack.
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const inclusive = new Map<string, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const seen = new Set<string>();
    for (let id: number | undefined = profile.samples[i]!; id !== undefined; id = parent.get(id)) {
      const f = byId.get(id)!.callFrame;
      const file = where(f.url);
      if (!/^(shared|local|functions)\//.test(file)) continue;
      const name = `${f.functionName || '(anonymous)'}  ${file}`;
      if (seen.has(name)) continue;
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + (profile.timeDeltas[i] ?? 0));
    }
  }
  return (
    `CPU profile: ${(total / 1e6).toFixed(2)} s sampled\n\n` +
    table('self time by function', [...byFunction], total, ms, top) +
    '\n' +
    table('self time by file / package', [...byFile], total, ms, top) +
    '\n' +
    table('inclusive time of project functions', [...inclusive], total, ms, top)
  );
}

export function summarizeHeap(profile: { head: HeapNode }, top = 25): string {
  const bySite = new Map<string, number>();
  const byFile = new Map<string, number>();
  let total = 0;
  const walk = (n: HeapNode) => {
    if (n.selfSize > 0) {
      const f = n.callFrame;
      const name = `${f.functionName || '(anonymous)'}  ${where(f.url)}${f.url ? `:${f.lineNumber + 1}` : ''}`;
      bySite.set(name, (bySite.get(name) ?? 0) + n.selfSize);
      byFile.set(where(f.url), (byFile.get(where(f.url)) ?? 0) + n.selfSize);
      total += n.selfSize;
    }
    for (const c of n.children) walk(c);
  };
  walk(profile.head);
  const mb = (b: number) => `${(b / 2 ** 20).toFixed(1)} MB`;
  return (
    `Heap sampling profile: ${mb(total)} live at the end of sampling\n\n` +
    table('live allocations by site', [...bySite], total, mb, top) +
    '\n' +
    table('live allocations by file / package', [...byFile], total, mb, top)
  );
}

async function summarizeFile(file: string, top: number): Promise<string> {
  const json = JSON.parse(await readFile(file, 'utf8')) as CpuProfile & { head: HeapNode };
  return json.head ? summarizeHeap(json, top) : summarizeCpu(json, top);
}

const [command, ...rest] = process.argv.slice(2);
const top = Number(argValue(rest, '--top') ?? 25);
if (command === 'summary') {
  for (const file of rest.filter((a, i) => !a.startsWith('--') && rest[i - 1] !== '--top'))
    process.stdout.write(`${file}\n${await summarizeFile(file, top)}\n`);
} else if (command === 'plan') {
  const rows = Number(argValue(rest, '--rows') ?? 1_000_000);
  const capacity = Number(argValue(rest, '--capacity') ?? Math.max(20, Math.round(rows / 200)));
  const dir = join(BENCH_DIR, '.prof');
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const csv = join(dir, `customers-${rows}.csv`);
  await generate({ rows, seed: 42, path: csv });
  await writeFile(join(dir, 'partner.json'), JSON.stringify({ daily_capacity: capacity }));
  buildCli();
  const kind = rest.includes('--heap') ? ['--heap-prof', '--heap-prof-dir', dir] : ['--cpu-prof', '--cpu-prof-dir', dir];
  const r = await runNode([
    ...kind,
    'bin/cspmove.mjs',
    'plan',
    csv,
    '--today',
    '2026-12-01',
    '--out',
    join(dir, 'out'),
    '--config',
    join(dir, 'partner.json'),
    '--quiet',
  ]);
  if (r.code !== 0) throw new Error(r.stderr);
  process.stdout.write(`cspmove plan of ${rows} rows: ${(r.wallMs / 1000).toFixed(2)} s (profiling on)\n\n`);
  for (const f of (await readdir(dir)).filter((f) => /\.(cpuprofile|heapprofile)$/.test(f)))
    process.stdout.write(`${join(dir, f)}\n${await summarizeFile(join(dir, f), top)}\n`);
  await rm(csv, { force: true });
} else {
  process.stderr.write('usage: npx tsx bench/profile.ts plan --rows N [--capacity C] [--heap] | summary FILE…\n');
  process.exitCode = 2;
}
