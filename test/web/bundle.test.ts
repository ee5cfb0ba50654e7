/**
 * The web app as it ships (scripts/build-web.mjs, built here into a temporary folder): one
 * hashed script and stylesheet that index.html names, nothing inline the CSP (`script-src 'self';
 * style-src 'self'`) would block, no source map, no Node.js left in the browser's code, and at
 * most WEB_JS_BUDGET of JavaScript gzipped.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The budget scripts/build-web.mjs prints against: 150 KB gzipped. */
const WEB_JS_BUDGET = 150 * 1024;

let outdir: string;
let html: string;
let assets: string[];

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'web-build-'));
  execFileSync(process.execPath, ['scripts/build-web.mjs', '--outdir', outdir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  html = readFileSync(join(outdir, 'index.html'), 'utf8');
  assets = readdirSync(join(outdir, 'assets'));
}, 60_000);

afterAll(() => {
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

const read = (name: string) => readFileSync(join(outdir, 'assets', name));

describe('dist/web', () => {
  it('is index.html and one hashed script and stylesheet, which it names', () => {
    expect(readdirSync(outdir).sort()).toEqual(['assets', 'index.html']);
    expect(assets).toHaveLength(2);
    const script = assets.find((a) => a.endsWith('.js'))!;
    const style = assets.find((a) => a.endsWith('.css'))!;
    expect(script).toMatch(/^main-[A-Z0-9]{8}\.js$/);
    expect(style).toMatch(/^main-[A-Z0-9]{8}\.css$/);
    expect(html).toContain(`<script type="module" src="/assets/${script}"></script>`);
    expect(html).toContain(`<link rel="stylesheet" href="/assets/${style}">`);
  });

  it('has nothing inline that its CSP would block, and no source map', () => {
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
    expect(html).not.toMatch(/<style/i);
    expect(html).not.toMatch(/\sstyle=/i);
    expect(html).not.toMatch(/\son[a-z]+=/i);
    expect(assets.some((a) => a.endsWith('.map'))).toBe(false);
    for (const a of assets) expect(read(a).toString('utf8')).not.toContain('sourceMappingURL');
  });

  it(`ships at most ${WEB_JS_BUDGET / 1024} KB of JavaScript gzipped`, () => {
    const gzipped = assets.filter((a) => a.endsWith('.js')).reduce((sum, a) => sum + gzipSync(read(a), { level: 9 }).length, 0);
    expect(gzipped, `${gzipped} bytes gzipped`).toBeLessThanOrEqual(WEB_JS_BUDGET);
  });

  it('leaves Node.js and validation code out of the browser', () => {
    const code = read(assets.find((a) => a.endsWith('.js'))!).toString('utf8');
    expect(code).not.toMatch(/\bBuffer\.(from|alloc|byteLength)/);
    expect(code).not.toMatch(/\brequire\(/);
    expect(code).not.toMatch(/process\.env/);
    expect(code).not.toContain('ZodError'); // the contract's schemas stay on the server
  });
});

describe('web/ sources', () => {
  const sources = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : [join(dir, e.name)]));
  const files = sources(join(ROOT, 'web/src')).filter((f) => /\.tsx?$/.test(f));

  it('never write HTML from strings or style attributes from text', () => {
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      expect(text, file).not.toMatch(/dangerouslySetInnerHTML|innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
      expect(text, file).not.toMatch(/setAttribute\(\s*['"]style/);
      // Preact sets an object style through the CSSOM, which the CSP allows; a string would be an attribute.
      expect(text, file).not.toMatch(/style=["'`]|style=\{\s*[`'"]/);
    }
  });
});
