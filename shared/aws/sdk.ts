/**
 * Loads an AWS SDK package with `require`. The SDK ships CommonJS bundles; an ESM `import` of one
 * makes Node scan the bundle's source for its named exports first, a large part of a cold start
 * (bench/README.md, P5). In Lambda the runtime's SDK is found through NODE_PATH, which require
 * honours.
 * Take the types with `import type * as X from '@aws-sdk/…'`:
 *
 *   const { S3Client } = requireSdk<typeof S3>('@aws-sdk/client-s3');
 */
import { createRequire } from 'node:module';

const load = createRequire(import.meta.url);

export function requireSdk<T>(name: `@aws-sdk/${string}`): T {
  return load(name) as T;
}
