import '../quiet-sdk-notice.js'; // first: before any SDK client exists
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { startDynaliteThread } from './dynalite-thread.js';

const client = (port: number) =>
  new DynamoDBClient({
    region: 'us-east-1',
    endpoint: `http://127.0.0.1:${port}`,
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    maxAttempts: 1,
  });

const table = (name: string) =>
  new CreateTableCommand({
    TableName: name,
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
  });

describe('dynalite on its own thread', () => {
  it('serves the DynamoDB API until closed, then frees its port; closing twice is harmless', async () => {
    const dynamo = await startDynaliteThread({ host: '127.0.0.1', forceCloseAfterMs: 1_000 });
    const ddb = client(dynamo.port);
    try {
      await ddb.send(table('thread-test'));
      expect((await ddb.send(new ListTablesCommand({}))).TableNames).toEqual(['thread-test']);
      await Promise.all([dynamo.close(), dynamo.close()]);
      // A new client, so no kept-alive socket from before the close answers instead.
      const after = client(dynamo.port);
      await expect(after.send(new ListTablesCommand({}))).rejects.toThrow(/ECONNREFUSED/);
      after.destroy();
    } finally {
      ddb.destroy();
    }
  });

  it('keeps tables on disk under `path` for the next thread', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dynalite-thread-'));
    try {
      const first = await startDynaliteThread({ host: '127.0.0.1', forceCloseAfterMs: 1_000, path: dir });
      const a = client(first.port);
      await a.send(table('kept'));
      a.destroy();
      await first.close();
      const second = await startDynaliteThread({ host: '127.0.0.1', forceCloseAfterMs: 1_000, path: dir });
      const b = client(second.port);
      expect((await b.send(new ListTablesCommand({}))).TableNames).toEqual(['kept']);
      b.destroy();
      await second.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
