#!/usr/bin/env node
// Runs the CLI that scripts/build-cli.mjs compiled into dist/ (`npm ci` and `npm run build` do).
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.mjs', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('cspmove: the CLI is not built (dist/cli.mjs is missing): run `npm run build`.\n');
  process.exit(1);
}
process.setSourceMapsEnabled(true); // stack traces name the .ts files
const { run } = await import(cli.href);
await run(process.argv.slice(2));
