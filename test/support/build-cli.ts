/**
 * Vitest global setup: builds dist/ once before any test, so the tests that run bin/cspmove.mjs
 * (or load dist/ingest-worker.mjs) exercise the sources as they are now, also when one file is
 * run alone. A compile error stops the run here, with esbuild's message.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function buildCli(): void {
  execFileSync(process.execPath, ['scripts/build-cli.mjs'], { cwd: fileURLToPath(new URL('../..', import.meta.url)), stdio: 'inherit' });
}
