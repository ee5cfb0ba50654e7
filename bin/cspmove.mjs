#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so `npx cspmove` needs no build step after `npm ci`.
import { register } from 'tsx/esm/api';

// Lambda runs Node 22; the SDK's Node 20 notice is noise in a partner's terminal.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

register();
const { main } = await import('../local/cli.ts');
process.exitCode = await main(process.argv.slice(2));
