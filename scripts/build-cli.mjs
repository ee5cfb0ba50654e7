/**
 * `npm run build` (and `npm ci`, through `prepare`): compiles the CLI into dist/, which
 * bin/cspmove.mjs runs, so `cspmove` starts without a TypeScript loader. Prints nothing on
 * success; on a compile error, esbuild's message and exit status 1.
 *
 *   dist/cli.mjs            local/cli.ts and what it imports
 *   dist/ingest-worker.mjs  the opt-in ingest worker; shared/csv/worker/ingest-in-worker.ts
 *                           looks for it beside the code that starts it, so chunks stay flat in dist/
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = fileURLToPath(new URL('../dist', import.meta.url));

// No chunk of an earlier build survives, and a failed build leaves nothing stale to run. The web
// app (dist/web/) is scripts/build-web.mjs's, which clears it itself: a CLI build (the tests' global
// setup) leaves it to the server that serves it.
for (const entry of existsSync(outdir) ? readdirSync(outdir) : []) {
  if (entry !== 'web') rmSync(join(outdir, entry), { recursive: true, force: true });
}

try {
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: { cli: 'local/cli.ts', 'ingest-worker': 'shared/csv/worker/worker-main.ts' },
    outdir,
    bundle: true, // JSON imports (the holidays table, package.json) are inlined
    splitting: true, // lazy import()s stay lazy: `plan` never loads the local AWS or the SDK
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external', // npm packages load from node_modules, as installed
    outExtension: { '.js': '.mjs' },
    entryNames: '[name]',
    chunkNames: '[name]-[hash]',
    sourcemap: 'linked', // stack traces name the .ts files
    sourcesContent: false,
    charset: 'utf8',
    logLevel: 'warning',
  });
} catch (error) {
  // esbuild has printed the errors already; anything else is not a compile error.
  if (!Array.isArray(error?.errors)) throw error;
  process.exitCode = 1;
}
