/**
 * Vitest global setup: builds dist/ once before any test — the CLI and the console's web app — so
 * the tests that run bin/cspmove.mjs, load dist/ingest-worker.mjs or open the console exercise the
 * sources as they are now, also when one file is run alone. A compile error stops the run here,
 * with esbuild's message.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function buildCli(): void {
  const cwd = fileURLToPath(new URL('../..', import.meta.url));
  for (const script of ['scripts/build-cli.mjs', 'scripts/build-web.mjs'])
    execFileSync(process.execPath, [script], { cwd, stdio: 'inherit' });
}
