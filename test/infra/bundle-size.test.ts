/**
 * `npx cdk synth` itself — the CLI, cdk.json, infra/app.ts with its cdk-nag checks, local esbuild,
 * no Docker, no network — run once into a temporary folder (so CI's `npm test` runs the synth),
 * then the Lambda assets it built: every bundle is at most 1 MiB, leaves the AWS SDK to the
 * runtime, and really runs — each bundle is imported by a plain Node process (as Lambda's ESM
 * loader would), and the plan-upload handler is invoked with an event.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './synth.js';

const MAX_BUNDLE_BYTES = 1_048_576;
const FUNCTIONS = ['PlanUpload', 'ScheduleFanOut', 'PartnerWork', 'EmailAction', 'ConsoleApi'] as const;
const STACK = 'CspMovePlanner';

const root = fileURLToPath(REPO_ROOT);
const LAMBDA_LIKE_ENV = {
  ...process.env,
  TABLE_NAME: 't',
  BUCKET_NAME: 'b',
  SENDER_EMAIL: 'reports@example.com',
  AWS_REGION: 'us-east-1',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
};
let outdir: string;
const assetDirs = {} as Record<(typeof FUNCTIONS)[number], string>;

beforeAll(() => {
  // Inside node_modules/.cache so the bundles' external `@aws-sdk/*` imports resolve when run.
  mkdirSync(join(root, 'node_modules/.cache'), { recursive: true });
  outdir = mkdtempSync(join(root, 'node_modules/.cache/cdk-synth-test-'));
  execFileSync(join(root, 'node_modules/.bin/cdk'), ['synth', '--quiet', '--no-notices', '--output', outdir], {
    cwd: root,
    env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true' },
    stdio: ['ignore', 'ignore', 'pipe'], // a failure (e.g. a cdk-nag finding) throws with stderr
  });
  const template = JSON.parse(readFileSync(join(outdir, `${STACK}.template.json`), 'utf8')) as {
    Resources: Record<string, { Type: string; Metadata?: Record<string, unknown> }>;
  };
  for (const resource of Object.values(template.Resources)) {
    const path = resource.Metadata?.['aws:cdk:path'] as string | undefined;
    const name = FUNCTIONS.find((f) => path === `${STACK}/${f}/Resource`);
    if (name) assetDirs[name] = join(outdir, resource.Metadata!['aws:asset:path'] as string);
  }
  expect(Object.keys(assetDirs).sort()).toEqual([...FUNCTIONS].sort());
}, 120_000);

afterAll(() => {
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

describe('Lambda bundles', () => {
  it.each(FUNCTIONS)('%s: index.mjs is at most 1 MiB', (name) => {
    const bytes = statSync(join(assetDirs[name], 'index.mjs')).size;
    // The sizes themselves are reported by `npm run bench` (P5).
    expect(bytes, `${name} bundle: ${bytes} bytes`).toBeLessThanOrEqual(MAX_BUNDLE_BYTES);
  });

  it.each(FUNCTIONS)('%s: the asset is the bundle and its source map, nothing else', (name) => {
    expect(readdirSync(assetDirs[name]).sort()).toEqual(['index.mjs', 'index.mjs.map']);
    const map = JSON.parse(readFileSync(join(assetDirs[name], 'index.mjs.map'), 'utf8')) as { sources: string[]; sourcesContent?: unknown };
    expect(map.sources.some((source) => source.includes('shared/'))).toBe(true);
    expect(map.sourcesContent).toBeUndefined(); // stack traces map to file:line without shipping the sources
  });

  it.each(FUNCTIONS)('%s: the AWS SDK is left to the runtime (nodejs22.x ships v3)', (name) => {
    const code = readFileSync(join(assetDirs[name], 'index.mjs'), 'utf8');
    expect(code).toMatch(/\(\s*"@aws-sdk\/client-dynamodb"\s*\)/); // requireSdk("@aws-sdk/client-dynamodb"): loaded at run time
    expect(code).not.toContain('@smithy/'); // no SDK internals bundled
  });

  it('every bundle loads in plain Node as an ES module and exports `handler`', () => {
    const script = `
      for (const file of JSON.parse(process.argv[1])) {
        const module = await import(file);
        if (typeof module.handler !== 'function') throw new Error(file + ' has no handler');
      }
      process.stdout.write('ok');`;
    const files = FUNCTIONS.map((name) => pathToFileURL(join(assetDirs[name], 'index.mjs')).href);
    expect(
      execFileSync(process.execPath, ['--no-warnings', '--input-type=module', '-e', script, JSON.stringify(files)], {
        env: LAMBDA_LIKE_ENV,
        encoding: 'utf8',
      }),
    ).toBe('ok');
  });

  it('the plan-upload bundle loads in plain Node and handles an event (an ignored key: no AWS call)', () => {
    const script = `
      const { handler } = await import(${JSON.stringify(pathToFileURL(join(assetDirs.PlanUpload, 'index.mjs')).href)});
      const out = await handler({ Records: [{ eventTime: '2026-12-01T08:00:00Z', s3: { bucket: { name: 'b' }, object: { key: 'elsewhere/file.txt', size: 1 } } }] });
      process.stdout.write(JSON.stringify(out));`;
    const stdout = execFileSync(process.execPath, ['--enable-source-maps', '--no-warnings', '--input-type=module', '-e', script], {
      env: LAMBDA_LIKE_ENV,
      encoding: 'utf8',
    });
    expect(JSON.parse(stdout)).toEqual([{ outcome: 'ignored' }]);
  });
});
