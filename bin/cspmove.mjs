#!/usr/bin/env node
// Runs the CLI from a cached esbuild bundle of local/cli.ts (bin/cli-bundle.mjs: rebuilt on start
// whenever a source changed), so `npx cspmove` needs no build step after `npm ci` and no
// TypeScript loader at run time. Without a writable cache it falls back to tsx.

const { cliModule, CompileError } = await import('./cli-bundle.mjs');

/** @returns {Promise<{ main: (argv: string[]) => Promise<number> }>} */
async function loadCli() {
  let url;
  try {
    url = await cliModule();
  } catch (error) {
    if (error instanceof CompileError) {
      process.stderr.write(`cspmove: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  if (url !== undefined) {
    process.setSourceMapsEnabled(true); // stack traces point at the .ts files
    return import(url);
  }
  process.env.TSX_DISABLE_CACHE ??= '1'; // its cache is in the temp folder, which was not writable either
  const { register } = await import('tsx/esm/api');
  register();
  return import('../local/cli.ts');
}

const { main } = await loadCli();
process.exitCode = await main(process.argv.slice(2));
