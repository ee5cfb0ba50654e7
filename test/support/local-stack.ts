/**
 * One local stack for an integration test file: started in a fresh data folder before the
 * file's tests, stopped and removed after them. The plan store is imported once the stack runs,
 * since it reads the local endpoints from the environment the stack sets; so are the use cases a
 * file imports in its own beforeAll, which runs after this one.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll } from 'vitest';
import { type LocalStack, type LocalStackOptions, startLocalStack } from '../../local/stack.js';

export type PlanStore = typeof import('../../shared/storage/dynamodb/dynamodb-plan-store.js')['planStore'];

export interface LocalStackFixture {
  stack: LocalStack;
  s3: S3Client;
  store: PlanStore;
}

/** The stack of this file, filled in before its tests run. `name` names its data folder. */
export function useLocalStack(name: string, options: Omit<LocalStackOptions, 'dataDir'> = {}): LocalStackFixture {
  const fixture = {} as LocalStackFixture;
  let dataDir: string | undefined;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), `cspmove-${name}-`));
    fixture.stack = await startLocalStack({ ...options, dataDir });
    fixture.s3 = new S3Client(fixture.stack.aws.clientConfig('s3'));
    fixture.store = (await import('../../shared/storage/dynamodb/dynamodb-plan-store.js')).planStore;
  }, 60_000);
  afterAll(async () => {
    fixture.s3?.destroy();
    await fixture.stack?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });
  return fixture;
}
