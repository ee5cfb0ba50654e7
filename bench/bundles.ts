/**
 * P5: the Lambda bundles as CDK's NodejsFunction builds them with the options of
 * infra/constructs/planner-function.ts (esbuild: bundle, ESM, minify, platform node, target node22,
 * main fields module,main, `@aws-sdk/*` external — the Lambda runtime provides it — source map
 * beside the bundle, require banner, UTF-8 charset), their sizes (index.mjs; 1 MB = 1 MiB =
 * 1,048,576 bytes, as test/infra/bundle-size.test.ts), their five biggest inputs (from esbuild's
 * metafile), and the cold import time of each: a fresh `node` process, time from process start (performance.now())
 * until `await import(bundle)` is done, minus the same for an empty module; median of N runs.
 * The external SDK resolves from node_modules, as the runtime's copy would on Lambda: its load
 * time is part of the figure.
 */
import { readdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { median, REPO_DIR, runNode } from './util.js';

export interface BundleInput {
  path: string;
  bytes: number;
}

export interface Bundle {
  name: string;
  file: string;
  bytes: number;
  topInputs: BundleInput[];
}

/** Builds every functions/NAME/handler.ts into OUTDIR/NAME/index.mjs (+ metafile). */
export async function buildBundles(outDir: string): Promise<Bundle[]> {
  const names = (await readdir(join(REPO_DIR, 'functions'), { withFileTypes: true }))
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  const bundles: Bundle[] = [];
  for (const name of names) {
    const file = join(outDir, name, 'index.mjs');
    const result = await build({
      entryPoints: [join(REPO_DIR, 'functions', name, 'handler.ts')],
      outfile: file,
      bundle: true,
      format: 'esm',
      minify: true,
      platform: 'node',
      target: 'node22',
      mainFields: ['module', 'main'],
      external: ['@aws-sdk/*'],
      // As infra/constructs/planner-function.ts bundles: a source map beside the bundle (without
      // sources), a `require` for CommonJS dependencies, UTF-8 text kept as is.
      sourcemap: true,
      sourcesContent: false,
      banner: {
        js: "import { createRequire as __plannerCreateRequire } from 'node:module'; const require = __plannerCreateRequire(import.meta.url);",
      },
      charset: 'utf8',
      metafile: true,
      logLevel: 'silent',
    });
    await writeFile(join(outDir, name, 'metafile.json'), JSON.stringify(result.metafile));
    const output =
      result.metafile.outputs[relative(REPO_DIR, file)] ?? Object.entries(result.metafile.outputs).find(([k]) => k.endsWith('.mjs'))![1];
    const topInputs = Object.entries(output.inputs)
      .map(([path, i]) => ({ path, bytes: i.bytesInOutput }))
      .sort((a, b) => b.bytes - a.bytes)
      .slice(0, 5);
    bundles.push({ name, file, bytes: output.bytes, topInputs });
  }
  return bundles;
}

const IMPORT_ENV = {
  // Lambda's runtime is Node 22; the SDK's "Node 20 is unsupported" notice is not a handler cost.
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  AWS_REGION: 'us-east-1',
  TABLE_NAME: 'bench',
  BUCKET_NAME: 'bench',
  SENDER_EMAIL: 'bench@example.com',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  // The functions' environment sets this (infra/constructs/planner-function.ts); the empty-module
  // baseline runs with it too.
  NODE_OPTIONS: '--enable-source-maps',
};

/** ms from process start until the module is imported, in a fresh node process. */
async function importAt(file: string): Promise<number> {
  const code = `await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(String(performance.now()));`;
  const r = await runNode(['--input-type=module', '-e', code], { env: IMPORT_ENV });
  if (r.code !== 0) throw new Error(`importing ${file} failed (exit ${r.code}):\n${r.stderr.slice(-3000)}`);
  return Number(r.stdout.trim());
}

export interface ImportTime {
  name: string;
  /** Median of the runs, minus the median empty-module import. */
  ms: number;
  runsMs: number[];
}

export async function importTimes(
  bundles: Bundle[],
  emptyModule: string,
  runs: number,
): Promise<{ baselineMs: number; times: ImportTime[] }> {
  await writeFile(emptyModule, 'export {};\n');
  const baseline: number[] = [];
  const raw = new Map<string, number[]>(bundles.map((b) => [b.name, []]));
  // Interleaved, so a slow moment of the machine does not land on one bundle only.
  for (let r = 0; r < runs; r++) {
    baseline.push(await importAt(emptyModule));
    for (const b of bundles) raw.get(b.name)!.push(await importAt(b.file));
  }
  const baselineMs = median(baseline);
  return { baselineMs, times: bundles.map((b) => ({ name: b.name, ms: median(raw.get(b.name)!) - baselineMs, runsMs: raw.get(b.name)! })) };
}
