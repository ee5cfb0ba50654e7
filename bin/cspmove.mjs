#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so `npx cspmove` needs no build step after `npm ci`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../local/cli.ts');
process.exitCode = await main(process.argv.slice(2));
