import { spawnSync } from 'node:child_process';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import {
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  CreateTableCommand,
  DynamoDBClient,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, type MockInstance, vi } from 'vitest';
import { decodeEventKey, encodeEventKey } from '../../shared/storage/bucket-layout.js';
import { clearSentEmails, type LocalAws, listSentEmails, parseAddresses, type S3Event, startLocalAws } from './local-aws.js';

const TABLE = 'local-aws-test';
const BUCKET = 'local-aws-test-bucket';

let local: LocalAws;
let ddb: DynamoDBClient;
let doc: DynamoDBDocumentClient;
let s3: S3Client;
let ses: SESv2Client;
let sqs: SQSClient;
const received: S3Event[] = [];
const handlerErrors: unknown[] = [];
let emitWarning: MockInstance<typeof process.emitWarning>;

beforeAll(async () => {
  emitWarning = vi.spyOn(process, 'emitWarning');
  local = await startLocalAws({
    onS3Event: async (event) => {
      received.push(event);
      if (event.Records.some((r) => r.s3.object.key.includes('boom'))) throw new Error('handler failed');
    },
  });
  local.events.on('s3EventError', (error) => handlerErrors.push(error));
  ddb = new DynamoDBClient(local.clientConfig('dynamodb'));
  doc = DynamoDBDocumentClient.from(ddb);
  s3 = new S3Client(local.clientConfig('s3'));
  ses = new SESv2Client(local.clientConfig('ses'));
  sqs = new SQSClient(local.clientConfig('sqs'));
});

afterAll(async () => {
  ddb?.destroy();
  s3?.destroy();
  ses?.destroy();
  sqs?.destroy();
  await local?.stop();
  await local?.stop(); // idempotent
});

describe('startLocalAws', () => {
  it('listens on free ports on 127.0.0.1 and hands out SDK client configs', () => {
    for (const url of Object.values(local.endpoints)) expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(new Set(Object.values(local.endpoints)).size).toBe(4);
    expect(local.region).toBe('us-east-1');
    expect(local.clientConfig('s3')).toMatchObject({ forcePathStyle: true, endpoint: local.endpoints.s3 });
    expect(local.clientConfig('dynamodb').endpoint).toBe(local.endpoints.dynamodb);
    expect(local.clientConfig('sqs').endpoint).toBe(local.endpoints.sqs);
    expect(local.sesInboxUrl.startsWith(local.endpoints.ses)).toBe(true);
  });

  it('keeps the SDK Node-version warning quiet', () => {
    expect(process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED).toBe('true');
    const messages = emitWarning.mock.calls.map((call) => String(call[0]));
    expect(messages.filter((m) => m.includes('NodeVersionSupportWarning'))).toEqual([]);
  });
});

describe('DynamoDB (dynalite)', () => {
  beforeAll(async () => {
    await ddb.send(
      new CreateTableCommand({
        TableName: TABLE,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
          { AttributeName: 'gsi1pk', AttributeType: 'S' },
          { AttributeName: 'gsi1sk', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'gsi1',
            KeySchema: [
              { AttributeName: 'gsi1pk', KeyType: 'HASH' },
              { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      }),
    );
  });

  it('puts and queries items, on the table and on the GSI', async () => {
    await doc.send(new PutCommand({ TableName: TABLE, Item: { pk: 'P#1', sk: 'S#a', gsi1pk: 'DUE', gsi1sk: '2027-01-02', n: 1 } }));
    await doc.send(new PutCommand({ TableName: TABLE, Item: { pk: 'P#1', sk: 'S#b', gsi1pk: 'DUE', gsi1sk: '2027-01-01', n: 2 } }));
    const byPk = await doc.send(
      new QueryCommand({ TableName: TABLE, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'P#1' } }),
    );
    expect(byPk.Items?.map((i) => i.sk)).toEqual(['S#a', 'S#b']);
    const due = await doc.send(
      new QueryCommand({
        TableName: TABLE,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :d AND gsi1sk <= :day',
        ExpressionAttributeValues: { ':d': 'DUE', ':day': '2027-01-01' },
      }),
    );
    expect(due.Items?.map((i) => i.n)).toEqual([2]);
  });

  it('BatchWriteItem writes 25 items', async () => {
    let requests: WriteRequest[] = Array.from({ length: 25 }, (_, i) => ({
      PutRequest: { Item: { pk: { S: 'P#batch' }, sk: { S: `S#${String(i).padStart(2, '0')}` } } },
    }));
    for (let attempt = 0; requests.length > 0 && attempt < 5; attempt++) {
      const out = await ddb.send(new BatchWriteItemCommand({ RequestItems: { [TABLE]: requests } }));
      requests = out.UnprocessedItems?.[TABLE] ?? [];
    }
    expect(requests).toEqual([]);
    const all = await doc.send(
      new QueryCommand({ TableName: TABLE, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'P#batch' } }),
    );
    expect(all.Count).toBe(25);
  });

  it('a conditional put fails with ConditionalCheckFailedException the second time', async () => {
    const put = () =>
      doc.send(
        new PutCommand({
          TableName: TABLE,
          Item: { pk: 'U#1', sk: 'UPLOAD' },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    await put();
    await expect(put()).rejects.toBeInstanceOf(ConditionalCheckFailedException);
  });
});

describe('S3 (s3rver) and its ObjectCreated events', () => {
  const key = 'uploads/p1/My File ü+1.csv';
  const body = 'customer_id,seats\nc1,5\n';

  beforeAll(async () => {
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  });

  it('delivers one AWS-shaped record with the key encoded as S3 encodes it', async () => {
    received.length = 0;
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body, ContentType: 'text/csv' }));
    await local.idle();
    expect(received).toHaveLength(1);
    const records = received[0]!.Records;
    expect(records).toHaveLength(1);
    const record = records[0]!;
    expect(record).toMatchObject({
      eventSource: 'aws:s3',
      awsRegion: 'us-east-1',
      eventName: 'ObjectCreated:Put',
      s3: {
        s3SchemaVersion: '1.0',
        bucket: { name: BUCKET, arn: `arn:aws:s3:::${BUCKET}` },
        object: { key: 'uploads/p1/My+File+%C3%BC%2B1.csv', size: Buffer.byteLength(body) },
      },
    });
    expect(record.s3.object.eTag).toMatch(/^[0-9a-f]{32}$/);
    expect(record.s3.object.sequencer).toMatch(/^[0-9A-F]+$/);
    expect(new Date(record.eventTime).toISOString()).toBe(record.eventTime);
    expect(decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '))).toBe(key);
  });

  it('GetObject streams the body back', async () => {
    const out = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    const chunks: Buffer[] = [];
    for await (const chunk of out.Body as Readable) chunks.push(Buffer.from(chunk as Uint8Array));
    expect(Buffer.concat(chunks).toString('utf8')).toBe(body);
  });

  it('stores a streamed body verbatim (no aws-chunked framing)', async () => {
    await s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'reports/stream.csv',
        Body: Readable.from([Buffer.from('a,b\n'), Buffer.from('1,2\n')]),
        ContentLength: 8,
      }),
    );
    const out = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'reports/stream.csv' }));
    expect(await out.Body!.transformToString()).toBe('a,b\n1,2\n');
    await local.idle();
  });

  it('a failing onS3Event handler does not break the emulator and is reported', async () => {
    handlerErrors.length = 0;
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'uploads/p1/boom.csv', Body: 'x' }));
    await local.idle();
    expect(handlerErrors).toHaveLength(1);
    const again = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'uploads/p1/boom.csv' }));
    expect(await again.Body!.transformToString()).toBe('x');
  });

  it('encodes and decodes keys like S3 notifications', () => {
    for (const k of ['a b/c+d.csv', 'ü/ß é.csv', 'x:y=z&(1).csv', 'plain/key.csv']) {
      const encoded = encodeEventKey(k);
      expect(encoded).not.toMatch(/ |%20|%2F/);
      expect(decodeEventKey(encoded)).toBe(k);
    }
    expect(encodeEventKey('a b/c+d (1).csv')).toBe('a+b/c%2Bd+%281%29.csv');
  });
});

describe('SES v2 (aws-ses-v2-local)', () => {
  it('captures Simple and Raw (with attachments) e-mails, in order', async () => {
    await clearSentEmails(local);
    await ses.send(
      new SendEmailCommand({
        FromEmailAddress: 'planner@example.com',
        Destination: { ToAddresses: ['partner@example.com'] },
        Content: {
          Simple: {
            Subject: { Data: 'Daily digest' },
            Body: { Html: { Data: '<p>Hello</p>' }, Text: { Data: 'Hello' } },
          },
        },
      }),
    );
    const csv = 'row,customer_id\n2,c1\n';
    const raw = [
      'From: "CSP Move Planner" <planner@example.com>',
      'To: Partner <partner@example.com>, ops@example.com',
      'Subject: Your plan is ready',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="BOUNDARY"',
      '',
      '--BOUNDARY',
      'Content-Type: text/html; charset=UTF-8',
      '',
      '<p>Plan attached</p>',
      '--BOUNDARY',
      'Content-Type: text/csv; name="plan.csv"',
      'Content-Disposition: attachment; filename="plan.csv"',
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from(csv).toString('base64'),
      '--BOUNDARY--',
      '',
    ].join('\r\n');
    await ses.send(
      new SendEmailCommand({
        Destination: { ToAddresses: ['partner@example.com', 'ops@example.com'] },
        Content: { Raw: { Data: Buffer.from(raw) } },
      }),
    );

    const emails = await listSentEmails(local);
    expect(emails).toHaveLength(2);
    expect(emails[0]).toMatchObject({
      from: 'planner@example.com',
      to: ['partner@example.com'],
      subject: 'Daily digest',
      html: '<p>Hello</p>',
      text: 'Hello',
      attachments: [],
    });
    expect(emails[1]).toMatchObject({
      to: ['partner@example.com', 'ops@example.com'],
      subject: 'Your plan is ready',
      attachments: [{ filename: 'plan.csv', contentType: 'text/csv', size: Buffer.byteLength(csv) }],
    });
    expect(emails[1]!.html).toContain('Plan attached');
    expect(emails[1]!.from).toContain('planner@example.com');
    for (const e of emails) expect(new Date(e.at).toISOString()).toBe(e.at);

    await clearSentEmails(local);
    expect(await listSentEmails(local)).toEqual([]);
  });

  it('splits address headers into bare addresses', () => {
    expect(parseAddresses('"Doe, Jane" <jane@x.com>, bob@y.com')).toEqual(['jane@x.com', 'bob@y.com']);
  });
});

describe('SQS (local-aws-sqs)', () => {
  it('speaks the JSON protocol of the current SDK: a queue, a batch sent, a delayed message held back, received and deleted', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'local-aws-test-queue' }));
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl,
        Entries: [
          { Id: 'now', MessageBody: '{"n":1}' },
          { Id: 'later', MessageBody: '{"n":2}', DelaySeconds: 60 },
        ],
      }),
    );
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    expect(Messages.map((m) => m.Body)).toEqual(['{"n":1}']);
    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: Messages[0]!.ReceiptHandle }));
    expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages ?? []).toEqual([]);
  });
});

describe('lifecycle', () => {
  it('a script that starts and stops the local AWS exits by itself', () => {
    const moduleUrl = new URL('./local-aws.ts', import.meta.url).href;
    const code = `
      const { startLocalAws } = await import(${JSON.stringify(moduleUrl)});
      const local = await startLocalAws();
      const res = await fetch(local.endpoints.ses + '/store');
      await res.json();
      await local.stop();
    `;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      timeout: 10_000,
      encoding: 'utf8',
    });
    expect(child.error).toBeUndefined();
    expect(child.status).toBe(0);
    expect(child.stdout).toBe('');
  });
});
