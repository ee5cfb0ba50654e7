/**
 * An upload whose reports are too large to attach, on the embedded AWS: plan.csv goes to S3 in
 * parts (multipart upload) and the e-mail links it. A stack of its own: its 20,000 rows would
 * weigh on other tests' scheduled runs.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../bench/generate.js';
import { listSentEmails } from '../../local/aws/local-aws.js';
import { LOCAL_NAMES, type LocalStack, startLocalStack } from '../../local/stack.js';
import { parseSettings } from '../../shared/domain/partner-settings.js';
import { planCsv } from '../support/plan-csv.js';

let stack: LocalStack;
let s3: S3Client;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'cspmove-large-'));
  stack = await startLocalStack({ dataDir });
  s3 = new S3Client(stack.aws.clientConfig('s3'));
});

afterAll(async () => {
  s3?.destroy();
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function text(key: string): Promise<string> {
  const object = await s3.send(new GetObjectCommand({ Bucket: LOCAL_NAMES.bucket, Key: key }));
  return object.Body!.transformToString();
}

describe('an upload too large to attach', () => {
  it('is written whole to S3 in parts and linked, not attached', async () => {
    // 20,000 rows: plan.csv is over S3's 5 MiB part size and over the attachment limit.
    const path = join(dataDir, 'large.csv');
    await generate({ rows: 20_000, seed: 3, path });
    const large = readFileSync(path);
    const { planStore } = await import('../../shared/storage/dynamodb/dynamodb-plan-store.js');
    const settings = parseSettings({ partner_id: 'p-large', email: 'ops@p-large.example' });
    await planStore.savePartnerSettings({ ...settings, partner_id: 'p-large' });
    stack.clock.now = new Date('2026-12-01T06:00:00Z');
    await s3.send(new PutObjectCommand({ Bucket: LOCAL_NAMES.bucket, Key: 'uploads/p-large/large.csv', Body: large }));
    await stack.settled();

    const offline = await planCsv(large.toString('utf8'), { today: '2026-12-01', settings: { partner_id: 'p-large' } });
    expect(Buffer.byteLength(offline.planCsv)).toBeGreaterThan(5 * 1024 * 1024);
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: LOCAL_NAMES.bucket, Prefix: 'reports/p-large/' }));
    const prefix = listed.Contents![0]!.Key!.replace(/[^/]+$/, '');
    expect(await text(`${prefix}plan.csv`)).toBe(offline.planCsv);
    expect(await text(`${prefix}errors.csv`)).toBe(offline.errorsCsv);
    const mails = (await listSentEmails(stack.aws)).filter((m) => m.to.includes('ops@p-large.example'));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.attachments).toEqual([]);
    expect(mails[0]!.html).toContain(`${prefix}plan.csv`);
  }, 60_000);
});
