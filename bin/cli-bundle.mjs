/**
 * The CLI as plain JavaScript, compiled on demand and cached: `cspmove` needs no build step after
 * `npm ci`, and runs without a TypeScript loader (tsx's loader thread costs ~40 MB and ~0.1 s a run).
 *
 * On start, `cliModule()` reads `manifest.json` in the cache folder (node_modules/.cache/cspmove/)
 * and stats every input of the last build (the sources esbuild read, plus tsconfig.json,
 * package.json, esbuild's version and this file). If nothing changed it returns the cached
 * bundle; otherwise it rebuilds local/cli.ts and the ingest worker (shared/csv/ingest-worker.ts)
 * with esbuild (ESM, code splitting so the commands' lazy `import()`s stay lazy, npm packages
 * external so they load from node_modules, linked source maps pointing at the .ts files). Stale
 * code never runs:
 * - an input whose size or mtime differs from the record is compared by content hash (a `git
 *   checkout` or `touch` that changes nothing does not rebuild); any difference rebuilds;
 * - an input modified within RACY_MS of when it was recorded is always compared by hash (file
 *   times are coarse: an edit in the same clock tick keeps the mtime);
 * - each input is stat'ed before it is read for the build, so an edit during the build shows up.
 * Builds are written to a temporary folder, renamed to `b-<content hash>`, and only then named in
 * the manifest (itself written to a temporary name and renamed), so concurrent first runs never
 * see a half-written build. Returns undefined when no writable cache can be found (the bin then
 * falls back to tsx).
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The repository (or installed package) root: local/, shared/ and functions/ live here. */
export const ROOT = fileURLToPath(new URL('..', import.meta.url)).replace(/[\\/]$/, '');
const ENTRY = 'local/cli.ts';
const WORKER_ENTRY = 'shared/csv/worker/worker-main.ts';
/** Bump when the manifest's shape changes. (Build options live in this file, itself an input.) */
const FORMAT = 1;
const RACY_MS = 2_000;
/** @type {Record<string, import('esbuild').Loader>} */
const LOADERS = { ts: 'ts', mts: 'ts', cts: 'ts', tsx: 'tsx', js: 'js', mjs: 'js', cjs: 'js', jsx: 'jsx', json: 'json' };
/** Builds not named by the manifest and unused for this long are removed after a rebuild. */
const KEEP_UNUSED_MS = 10 * 60_000;
/** Files that shape the build without being bundled. */
const EXTRA_INPUTS = ['tsconfig.json', 'package.json', relative(ROOT, fileURLToPath(import.meta.url))];

/** @typedef {{ size: number; mtimeMs: number; hash: string }} InputRecord */
/** @typedef {{ format: number; root: string; build: string; entry: string; recordedAt: number; inputs: Record<string, InputRecord> }} Manifest */

/** Thrown when the sources do not compile: the message is esbuild's, ready for stderr. */
export class CompileError extends Error {}

const debug = process.env.CSPMOVE_DEBUG_BUNDLE ? (/** @type {string} */ message) => process.stderr.write(`cspmove bundle: ${message}\n`) : () => {};

const sha256 = (/** @type {Uint8Array} */ bytes) => createHash('sha256').update(bytes).digest('hex');

/**
 * The file URL of the compiled CLI module (exporting `main`), built now if the cache is missing or
 * stale; undefined if no cache folder is usable.
 * @param {{ cacheDir?: string }} [options]
 * @returns {Promise<string | undefined>}
 */
export async function cliModule(options = {}) {
  const preferred = options.cacheDir ?? process.env.CSPMOVE_CACHE_DIR ?? join(ROOT, 'node_modules', '.cache', 'cspmove');
  const cached = fresh(preferred);
  if (cached) return cached;
  const existingFallback = fallbackDir(false);
  const cachedElsewhere = existingFallback === undefined ? undefined : fresh(existingFallback);
  if (cachedElsewhere) return cachedElsewhere;
  try {
    if (usable(preferred)) return await build(preferred);
    const fallback = fallbackDir(true);
    if (fallback !== undefined && usable(fallback)) return await build(fallback);
  } catch (error) {
    if (error instanceof CompileError) throw error;
    debug(`cannot build: ${/** @type {Error} */ (error).stack}`);
    return undefined;
  }
  debug('no writable cache folder');
  return undefined;
}

/**
 * The cached entry if the manifest in `cacheDir` names a build whose inputs are all unchanged.
 * @param {string} cacheDir
 * @returns {string | undefined}
 */
function fresh(cacheDir) {
  try {
    return checkManifest(cacheDir);
  } catch (error) {
    debug(`unreadable manifest in ${cacheDir}: ${/** @type {Error} */ (error).message}`);
    return undefined;
  }
}

/** @param {string} cacheDir @returns {string | undefined} */
function checkManifest(cacheDir) {
  /** @type {Manifest} */
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(join(cacheDir, 'manifest.json'), 'utf8'));
  } catch {
    return undefined;
  }
  if (manifest?.format !== FORMAT || manifest.root !== ROOT || typeof manifest.inputs !== 'object' || typeof manifest.build !== 'string') return undefined;
  const buildDir = join(cacheDir, manifest.build);
  const entry = join(buildDir, manifest.entry);
  if (!existsSync(entry)) return undefined;
  /** @type {Record<string, InputRecord> | undefined} */
  let refreshed;
  const recordedAt = Date.now();
  for (const [name, record] of Object.entries(manifest.inputs)) {
    let stats;
    try {
      stats = statSync(join(ROOT, name));
    } catch {
      debug(`${name} is gone: rebuilding`);
      return undefined;
    }
    if (stats.size !== record.size) {
      debug(`${name} changed size: rebuilding`);
      return undefined;
    }
    if (stats.mtimeMs === record.mtimeMs && record.mtimeMs < manifest.recordedAt - RACY_MS) continue;
    let hash;
    try {
      hash = sha256(readFileSync(join(ROOT, name)));
    } catch {
      return undefined;
    }
    if (hash !== record.hash) {
      debug(`${name} changed: rebuilding`);
      return undefined;
    }
    refreshed ??= { ...manifest.inputs };
    refreshed[name] = { size: stats.size, mtimeMs: stats.mtimeMs, hash };
  }
  // Same contents with new times (a checkout, or recorded within RACY_MS): record the new times
  // so the next start trusts them without hashing. Best effort: the cache may be read-only.
  if (refreshed) tryWriteJson(join(cacheDir, 'manifest.json'), { ...manifest, recordedAt, inputs: refreshed });
  try {
    const now = new Date();
    utimesSync(buildDir, now, now); // "in use", for the clean-up of old builds
  } catch {
    // read-only cache: fine
  }
  return pathToFileURL(entry).href;
}

/**
 * Creates `dir` if needed and checks that this process may write there. A folder outside
 * node_modules gets a `node_modules` link to ours, so the bundle's package imports resolve.
 * @param {string} dir
 */
function usable(dir) {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const probe = join(dir, `.probe-${process.pid}-${randomBytes(4).toString('hex')}`);
    writeFileSync(probe, '');
    rmSync(probe, { force: true });
    if (!insideNodeModules(dir)) {
      const link = join(dir, 'node_modules');
      const target = join(ROOT, 'node_modules');
      if (!existsSync(target)) return false;
      let present = false;
      try {
        present = lstatSync(link).isSymbolicLink();
      } catch {
        // not there yet
      }
      if (!present) {
        try {
          symlinkSync(target, link, 'junction');
        } catch (error) {
          if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'EEXIST') throw error;
        }
      }
    }
    return true;
  } catch (error) {
    debug(`${dir} is not usable: ${/** @type {Error} */ (error).message}`);
    return false;
  }
}

/** @param {string} dir */
function insideNodeModules(dir) {
  const modules = join(ROOT, 'node_modules') + sep;
  return (dir + sep).startsWith(modules);
}

/**
 * A per-user folder in the system temp dir, for a read-only node_modules; undefined when it does
 * not exist (and `create` is false) or is not safely ours (another user could plant code in a
 * shared /tmp).
 * @param {boolean} create
 */
function fallbackDir(create) {
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  const base = join(tmpdir(), `cspmove-${uid ?? 'user'}`);
  try {
    if (create) mkdirSync(base, { recursive: true, mode: 0o700 });
    const stats = lstatSync(base);
    if (!stats.isDirectory() || (uid !== undefined && (stats.uid !== uid || (stats.mode & 0o022) !== 0))) return undefined;
  } catch {
    return undefined;
  }
  return join(base, createHash('sha256').update(ROOT).digest('hex').slice(0, 16));
}

/**
 * Compiles the CLI into `cacheDir`/b-<hash>/ and names it in the manifest.
 * @param {string} cacheDir
 * @returns {Promise<string | undefined>}
 */
async function build(cacheDir) {
  const started = performance.now();
  /** @type {typeof import('esbuild')} */
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch (error) {
    debug(`esbuild is not available: ${/** @type {Error} */ (error).message}`);
    return undefined;
  }
  const recordedAt = Date.now();
  /** @type {Map<string, InputRecord>} keyed by absolute path */
  const records = new Map();
  /** Stat, then read: an edit after the stat changes the mtime, so the next start sees it. */
  const record = (/** @type {string} */ path) => {
    const stats = statSync(path);
    const contents = readFileSync(path);
    records.set(path, { size: stats.size, mtimeMs: stats.mtimeMs, hash: sha256(contents) });
    return contents;
  };
  const esbuildPackage = createRequire(import.meta.url).resolve('esbuild/package.json');
  for (const name of [...EXTRA_INPUTS, relative(ROOT, esbuildPackage)]) {
    if (existsSync(join(ROOT, name))) record(join(ROOT, name));
  }

  /** @type {import('esbuild').Plugin} */
  const recordInputs = {
    name: 'record-inputs',
    setup(b) {
      b.onLoad({ filter: /\.([cm]?[jt]sx?|json)$/ }, (args) => {
        if (args.namespace !== 'file') return undefined;
        const extension = /** @type {string} */ (/\.(\w+)$/.exec(args.path)?.[1]);
        return { contents: record(args.path), loader: LOADERS[extension] };
      });
    },
  };

  const pending = join(cacheDir, 'pending'); // never written: outputs are kept in memory
  let result;
  try {
    result = await esbuild.build({
      absWorkingDir: ROOT,
      // The ingest worker is an entry of its own beside cli.mjs, where ingest-thread.ts looks for it.
      entryPoints: { cli: ENTRY, ...(existsSync(join(ROOT, WORKER_ENTRY)) ? { 'ingest-worker': WORKER_ENTRY } : {}) },
      bundle: true,
      splitting: true, // lazy import()s stay lazy: `plan` never loads the local AWS or the SDK
      format: 'esm',
      platform: 'node',
      target: 'node20',
      packages: 'external',
      outdir: pending,
      outExtension: { '.js': '.mjs' },
      entryNames: '[name]',
      chunkNames: '[name]-[hash]',
      sourcemap: 'linked',
      sourcesContent: false,
      write: false,
      metafile: true,
      logLevel: 'silent',
      plugins: [recordInputs],
    });
  } catch (error) {
    const failure = /** @type {import('esbuild').BuildFailure} */ (error);
    if (Array.isArray(failure.errors) && failure.errors.length > 0) {
      const text = await esbuild.formatMessages(failure.errors, { kind: 'error', color: false });
      throw new CompileError(`cannot compile ${ENTRY}:\n${text.join('')}`);
    }
    debug(`esbuild failed: ${/** @type {Error} */ (error).message}`);
    return undefined;
  } finally {
    await esbuild.stop(); // the esbuild service is a child process: not kept for the CLI's run
  }

  /** @type {Record<string, InputRecord>} */
  const inputs = {};
  for (const [path, rec] of records) {
    const name = relative(ROOT, path).split(sep).join('/');
    if (name in result.metafile.inputs || EXTRA_INPUTS.includes(name) || path === esbuildPackage) inputs[name] = rec;
  }
  for (const name of Object.keys(result.metafile.inputs)) {
    if (!(name in inputs)) inputs[name] = statRecord(join(ROOT, name)); // an odd file type esbuild loaded itself
  }

  const files = result.outputFiles.map((f) => ({ name: relative(pending, f.path), contents: f.contents })).sort((a, b) => (a.name < b.name ? -1 : 1));
  const digest = createHash('sha256');
  for (const f of files) digest.update(f.name).update('\0').update(f.contents).update('\0');
  const buildName = `b-${digest.digest('hex').slice(0, 16)}`;
  const buildDir = join(cacheDir, buildName);
  if (!existsSync(join(buildDir, 'cli.mjs'))) {
    const temp = join(cacheDir, `tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
    for (const f of files) {
      mkdirSync(dirname(join(temp, f.name)), { recursive: true });
      writeFileSync(join(temp, f.name), f.contents);
    }
    try {
      renameSync(temp, buildDir);
    } catch (error) {
      // A concurrent first run renamed the same build first: its files are identical.
      rmSync(temp, { recursive: true, force: true });
      if (!existsSync(join(buildDir, 'cli.mjs'))) throw error;
    }
  }
  /** @type {Manifest} */
  const manifest = { format: FORMAT, root: ROOT, build: buildName, entry: 'cli.mjs', recordedAt, inputs };
  writeJson(join(cacheDir, 'manifest.json'), manifest);
  debug(`built ${buildName} from ${Object.keys(inputs).length} inputs in ${Math.round(performance.now() - started)} ms`);
  removeOldBuilds(cacheDir, buildName);
  return pathToFileURL(join(buildDir, 'cli.mjs')).href;
}

/** @param {string} path @returns {InputRecord} */
function statRecord(path) {
  const stats = statSync(path);
  return { size: stats.size, mtimeMs: stats.mtimeMs, hash: sha256(readFileSync(path)) };
}

/** Writes to a temporary name and renames: readers see the old file or the new one, whole. */
function writeJson(/** @type {string} */ path, /** @type {unknown} */ value) {
  const temp = `${path}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(temp, JSON.stringify(value));
  try {
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

function tryWriteJson(/** @type {string} */ path, /** @type {unknown} */ value) {
  try {
    writeJson(path, value);
  } catch {
    // best effort
  }
}

/** Removes builds (and abandoned temporary folders) nobody has used for KEEP_UNUSED_MS. */
function removeOldBuilds(/** @type {string} */ cacheDir, /** @type {string} */ current) {
  try {
    const cutoff = Date.now() - KEEP_UNUSED_MS;
    for (const name of readdirSync(cacheDir)) {
      if (name === current || !/^(b-|tmp-)|\.tmp$/.test(name)) continue;
      const path = join(cacheDir, name);
      if (statSync(path).mtimeMs < cutoff) rmSync(path, { recursive: true, force: true });
    }
  } catch {
    // best effort
  }
}
