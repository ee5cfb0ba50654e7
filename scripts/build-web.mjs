/**
 * `npm run build` (after the CLI): bundles the console's web app (web/) into dist/web/, the
 * static files S3 + CloudFront (or the local console server) serve:
 *
 *   dist/web/index.html               the one page, for every path of the app
 *   dist/web/assets/main-[hash].js    the app, minified, no source map
 *   dist/web/assets/main-[hash].css   web/styles.css
 *
 * Prints the JS size gzipped against WEB_JS_BUDGET (test/web/bundle-size.test.ts holds the
 * limit). `--outdir DIR` writes elsewhere (the tests). /config.json is the server's, not ours.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';

/** The most JavaScript the console ships, gzipped. */
export const WEB_JS_BUDGET = 150 * 1024;

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({ options: { outdir: { type: 'string' } } });
const outdir = values.outdir ?? join(root, 'dist/web');

rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });

let result;
try {
  result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: { main: 'web/src/main.tsx' },
    outdir: join(outdir, 'assets'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['chrome109', 'edge109', 'firefox115', 'safari16'],
    tsconfig: 'web/tsconfig.json',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    minify: true,
    sourcemap: false,
    entryNames: '[name]-[hash]',
    assetNames: '[name]-[hash]',
    metafile: true,
    legalComments: 'none',
    charset: 'utf8',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
  });
} catch (error) {
  // esbuild has printed the errors already; anything else is not a compile error.
  if (!Array.isArray(error?.errors)) throw error;
  process.exit(1);
}

const outputs = Object.keys(result.metafile.outputs).map((file) => join(root, file));
const js = outputs.filter((file) => file.endsWith('.js'));
const css = outputs.filter((file) => file.endsWith('.css'));
if (js.length !== 1 || css.length !== 1)
  throw new Error(`expected one script and one stylesheet, got ${outputs.map((f) => basename(f)).join(', ')}`);
const href = (file) => `/${relative(outdir, file).split('\\').join('/')}`;
const html = readFileSync(join(root, 'web/index.html'), 'utf8').replace('{{css}}', href(css[0])).replace('{{js}}', href(js[0]));
writeFileSync(join(outdir, 'index.html'), html);

const gzipped = js.reduce((sum, file) => sum + gzipSync(readFileSync(file), { level: 9 }).length, 0);
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const line = `web: ${relative(root, outdir) || outdir} JS ${kb(gzipped)} gzipped (budget ${kb(WEB_JS_BUDGET)})`;
if (gzipped > WEB_JS_BUDGET) {
  console.error(`${line}: over budget`);
  process.exitCode = 1;
} else console.log(line);
