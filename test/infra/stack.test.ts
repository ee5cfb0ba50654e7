/**
 * The synthesized template, property by property: storage security, the upload trigger, the
 * functions, the dead-letter wiring, the table (against shared/storage/dynamodb/table-design.ts), the
 * schedules, every IAM statement of every role, the alarms and the outputs.
 *
 * Two stacks are synthesized once for the whole file: `Default` with cdk.json's context, and
 * `Custom` with every option set (alarm e-mail, sandbox recipients, time zone, times, retention).
 */

import type { CfnResource } from 'aws-cdk-lib';
import { Duration, type Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseSettings } from '../../infra/settings.js';
import { TABLE } from '../../shared/storage/dynamodb/table-design.js';
import { arn, cdkJsonContext, plannerStack, ref, render, testApp } from './synth.js';

const CUSTOM = {
  senderEmail: 'plans@contoso.example',
  alarmEmail: 'ops@contoso.example',
  recipientIdentities: 'partner-a@contoso.example, partner-b@contoso.example', // as given with -c
  scheduleTimezone: 'Europe/Berlin',
  dailyRemindersAt: '06:15',
  weeklyDigestAt: '08:05',
  weeklyDigestDays: 'MON',
  retentionDays: '90',
};

interface Synthesized {
  stack: Stack;
  template: Template;
  json: {
    Resources: Record<string, { Type: string; Properties?: Record<string, any>; DeletionPolicy?: string; UpdateReplacePolicy?: string }>;
    Outputs: Record<string, any>;
  };
  /** Logical id of the CloudFormation resource behind a construct path under the stack. */
  id: (...path: string[]) => string;
}

let defaults: Synthesized;
let custom: Synthesized;

function synthesized(stack: Stack): Synthesized {
  const template = Template.fromStack(stack);
  const id = (...path: string[]) => {
    let node: IConstruct = stack;
    for (const part of path) node = node.node.findChild(part);
    const resource = (node.node.defaultChild ?? node) as CfnResource;
    return stack.getLogicalId(resource);
  };
  return { stack, template, json: template.toJSON() as Synthesized['json'], id };
}

beforeAll(() => {
  const app = testApp();
  const d = plannerStack(app, 'Default');
  const c = plannerStack(app, 'Custom', CUSTOM);
  defaults = synthesized(d.stack);
  custom = synthesized(c.stack);
}, 60_000);

const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Every (action, resource) pair a role is allowed, from all policies attached to it. */
function allowedPairs(s: Synthesized, roleId: string): string[] {
  const pairs: string[] = [];
  for (const resource of Object.values(s.json.Resources)) {
    if (resource.Type !== 'AWS::IAM::Policy') continue;
    if (!list(resource.Properties!.Roles).some((r: any) => r.Ref === roleId)) continue;
    for (const statement of resource.Properties!.PolicyDocument.Statement) {
      expect(statement.Effect).toBe('Allow');
      expect(statement.Condition).toBeUndefined();
      for (const action of list<string>(statement.Action))
        for (const res of list(statement.Resource)) pairs.push(`${action} ${render(res)}`);
    }
  }
  return pairs.sort();
}

const pairs = (actions: string[], resources: string[]) => actions.flatMap((a) => resources.map((r) => `${a} ${r}`));

describe('S3 buckets', () => {
  it('the planner bucket is private, encrypted, TLS-only, versioned, logged and retained', () => {
    const s = defaults;
    const bucket = s.json.Resources[s.id('Storage', 'Bucket')]!;
    expect(bucket.DeletionPolicy).toBe('Retain');
    expect(bucket.UpdateReplacePolicy).toBe('Retain');
    expect(bucket.Properties).toMatchObject({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      VersioningConfiguration: { Status: 'Enabled' },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      LoggingConfiguration: { DestinationBucketName: ref(s.id('Storage', 'AccessLogs')), LogFilePrefix: 'planner-bucket/' },
    });
  });

  it('expires uploads and reports after the retention, old versions after 30 days', () => {
    for (const [s, days] of [
      [defaults, Number(cdkJsonContext().retentionDays)],
      [custom, 90],
    ] as const) {
      const rules = s.json.Resources[s.id('Storage', 'Bucket')]!.Properties!.LifecycleConfiguration.Rules;
      expect(rules).toEqual([
        { Id: 'ExpireReports', Prefix: 'reports/', ExpirationInDays: days, Status: 'Enabled' },
        { Id: 'ExpireUploads', Prefix: 'uploads/', ExpirationInDays: days, Status: 'Enabled' },
        {
          Id: 'ExpireOldVersions',
          NoncurrentVersionExpiration: { NoncurrentDays: 30 },
          AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
          Status: 'Enabled',
        },
        { Id: 'RemoveExpiredDeleteMarkers', ExpiredObjectDeleteMarker: true, Status: 'Enabled' },
      ]);
    }
    expect(defaults.json.Resources[defaults.id('Storage', 'Bucket')]!.Properties!.LifecycleConfiguration.Rules[0].ExpirationInDays).toBe(
      180,
    );
  });

  it('the access-log bucket is private, encrypted (SSE-S3), TLS-only, expiring and retained', () => {
    const s = defaults;
    const logs = s.json.Resources[s.id('Storage', 'AccessLogs')]!;
    expect(logs.DeletionPolicy).toBe('Retain');
    expect(logs.Properties).toEqual(
      expect.objectContaining({
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        LifecycleConfiguration: {
          Rules: [
            {
              Id: 'ExpireAccessLogs',
              ExpirationInDays: 365,
              AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
              Status: 'Enabled',
            },
          ],
        },
      }),
    );
    // Log delivery is allowed by bucket policy, only from the planner bucket, only under its prefix.
    s.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: ref(s.id('Storage', 'AccessLogs')),
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Effect: 'Allow',
            Principal: { Service: 'logging.s3.amazonaws.com' },
            Action: 's3:PutObject',
            Resource: { 'Fn::Join': ['', [arn(s.id('Storage', 'AccessLogs')), '/planner-bucket/*']] },
            Condition: {
              ArnLike: { 'aws:SourceArn': arn(s.id('Storage', 'Bucket')) },
              StringEquals: { 'aws:SourceAccount': ref('AWS::AccountId') },
            },
          },
        ]),
      },
    });
  });

  it('both buckets deny any request without TLS, or with TLS older than 1.2', () => {
    const s = defaults;
    for (const bucketId of [s.id('Storage', 'Bucket'), s.id('Storage', 'AccessLogs')]) {
      const everything = [arn(bucketId), { 'Fn::Join': ['', [arn(bucketId), '/*']] }];
      s.template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: ref(bucketId),
        PolicyDocument: {
          Statement: Match.arrayWith([
            {
              Effect: 'Deny',
              Principal: { AWS: '*' },
              Action: 's3:*',
              Resource: everything,
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            },
            {
              Effect: 'Deny',
              Principal: { AWS: '*' },
              Action: 's3:*',
              Resource: everything,
              Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } },
            },
          ]),
        },
      });
    }
  });

  it('uploads/*.csv (and *.CSV) and nothing else trigger the plan-upload function', () => {
    const s = defaults;
    const planUpload = s.id('PlanUpload');
    s.template.resourceCountIs('Custom::S3BucketNotifications', 1);
    s.template.hasResourceProperties('Custom::S3BucketNotifications', {
      BucketName: ref(s.id('Storage', 'Bucket')),
      NotificationConfiguration: {
        LambdaFunctionConfigurations: ['.csv', '.CSV'].map((suffix) => ({
          Events: ['s3:ObjectCreated:*'],
          Filter: {
            Key: {
              FilterRules: [
                { Name: 'suffix', Value: suffix },
                { Name: 'prefix', Value: 'uploads/' },
              ],
            },
          },
          LambdaFunctionArn: arn(planUpload),
        })),
      },
    });
    // S3 may invoke it only for this bucket in this account.
    s.template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: arn(planUpload),
      Principal: 's3.amazonaws.com',
      SourceAccount: ref('AWS::AccountId'),
      SourceArn: arn(s.id('Storage', 'Bucket')),
    });
  });
});

describe('Lambda functions', () => {
  const expected = {
    PlanUpload: { MemorySize: 3008, Timeout: 900 },
    ScheduleFanOut: { MemorySize: 256, Timeout: 300 },
    PartnerWork: { MemorySize: 3008, Timeout: 900 },
    EmailAction: { MemorySize: 512, Timeout: 10 },
    ConsoleApi: { MemorySize: 2048, Timeout: 25 },
  } as const;
  /**
   * The functions that sign or check the e-mails' action links (the key's secret, and where links
   * point), and those that queue partner jobs.
   */
  const linkEnvironment = (s: Synthesized, name: string) => ({
    ...(name === 'PartnerWork' || name === 'EmailAction' ? { LINK_KEY_SECRET_ARN: ref(s.id('LinkSigningKey')) } : {}),
    ...(name === 'PartnerWork'
      ? { ACTIONS_URL: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [s.id('ActionsApi'), 'ApiEndpoint'] }, '/action']] } }
      : {}),
    ...(name === 'ScheduleFanOut' || name === 'EmailAction' || name === 'ConsoleApi' ? { WORK_QUEUE_URL: ref(s.id('WorkQueue')) } : {}),
    // The console's sign-in: the ID token's issuer and audience (test/infra/console.test.ts).
    ...(name === 'ConsoleApi'
      ? {
          OIDC_ISSUER: {
            'Fn::Join': [
              '',
              ['https://cognito-idp.', ref('AWS::Region'), '.', ref('AWS::URLSuffix'), '/', ref(s.id('ConsoleAuth', 'UserPool'))],
            ],
          },
          OIDC_CLIENT_ID: ref(s.id('ConsoleAuth', 'UserPool', 'WebClient')),
        }
      : {}),
  });

  it.each(Object.entries(expected))('%s: Node.js 22 on arm64, sized, its own log group and role, the environment', (name, size) => {
    for (const [s, sender] of [
      [defaults, 'reports@example.com'],
      [custom, CUSTOM.senderEmail],
    ] as const) {
      const fn = s.json.Resources[s.id(name)]!;
      expect(fn.Type).toBe('AWS::Lambda::Function');
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        MemorySize: size.MemorySize,
        Timeout: size.Timeout,
        Role: arn(s.id(`${name}Role`)),
        LoggingConfig: { LogGroup: ref(s.id(`${name}Logs`)) },
      });
      expect(fn.Properties!.TracingConfig).toBeUndefined();
      const { CONSOLE_URL: consoleUrl, ...variables } = fn.Properties!.Environment.Variables;
      // The functions that send e-mails link to the console's pages.
      if (name === 'PlanUpload' || name === 'PartnerWork')
        expect(render(consoleUrl)).toBe(`https://<${s.id('ConsoleHosting', 'Distribution')}.DomainName>/`);
      else expect(consoleUrl).toBeUndefined();
      expect(variables).toEqual({
        TABLE_NAME: ref(s.id('PlanTable')),
        BUCKET_NAME: ref(s.id('Storage', 'Bucket')),
        SENDER_EMAIL: sender,
        ...linkEnvironment(s, name),
        POWERTOOLS_SERVICE_NAME: 'csp-move-planner',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        NODE_OPTIONS: '--enable-source-maps',
      });
      expect(s.json.Resources[s.id(`${name}Logs`)]!.Properties).toEqual({ RetentionInDays: 30 });
      expect(s.json.Resources[s.id(`${name}Logs`)]!.DeletionPolicy).toBe('Delete');
    }
  });

  it('the plan-upload timeout stays below the 16-minute stale-claim window of claimUpload', () => {
    expect(defaults.json.Resources[defaults.id('PlanUpload')]!.Properties!.Timeout).toBeLessThan(Duration.minutes(16).toSeconds());
  });

  it.each(Object.keys(expected))('%s: two asynchronous retries, then the dead-letter queue', (name) => {
    const s = defaults;
    s.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: ref(s.id(name)),
      Qualifier: '$LATEST',
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 6 * 3600,
      DestinationConfig: { OnFailure: { Destination: arn(s.id('DeadLetterQueue')) } },
    });
  });

  it('partner-work takes one job at a time from the work queue, reports a failed job alone, and runs at most 5 partners at once', () => {
    const s = defaults;
    s.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: ref(s.id('PartnerWork')),
      EventSourceArn: arn(s.id('WorkQueue')),
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 5 },
    });
    s.template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
  });

  /** The queue's secure defaults (infra/constructs/secure-defaults.ts): SSE-SQS, 14 days, and a policy denying any request without TLS. */
  function expectSecureQueue(s: Synthesized, id: string): void {
    expect(s.json.Resources[s.id(id)]!.Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 86400 });
    s.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [ref(s.id(id))],
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 'sqs:*',
            Resource: arn(s.id(id)),
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
        ],
      },
    });
  }

  it('the work queue is encrypted, TLS-only, hands a job out again after six function timeouts, and dead-letters it after 3 attempts', () => {
    const s = defaults;
    expectSecureQueue(s, 'WorkQueue');
    expect(s.json.Resources[s.id('WorkQueue')]!.Properties).toMatchObject({
      VisibilityTimeout: 6 * 900,
      RedrivePolicy: { deadLetterTargetArn: arn(s.id('DeadLetterQueue')), maxReceiveCount: 3 },
    });
  });

  it('the dead-letter queue is encrypted (SSE-SQS), TLS-only and keeps messages 14 days', () => {
    expectSecureQueue(defaults, 'DeadLetterQueue');
  });
});

describe('DynamoDB table', () => {
  it('has the keys, indexes and TTL of shared/storage/dynamodb/table-design.ts', () => {
    const s = defaults;
    const table = s.json.Resources[s.id('PlanTable')]!;
    const key = (hash: string, range: string) => [
      { AttributeName: hash, KeyType: 'HASH' },
      { AttributeName: range, KeyType: 'RANGE' },
    ];
    expect(table.Properties!.KeySchema).toEqual(key(TABLE.partitionKey, TABLE.sortKey));
    expect(table.Properties!.GlobalSecondaryIndexes).toEqual(
      [TABLE.dueIndex, TABLE.partnersIndex].map((i) => ({
        IndexName: i.name,
        KeySchema: key(i.partitionKey, i.sortKey),
        Projection: { ProjectionType: 'ALL' },
      })),
    );
    const attributes = [
      TABLE.partitionKey,
      TABLE.sortKey,
      TABLE.dueIndex.partitionKey,
      TABLE.dueIndex.sortKey,
      TABLE.partnersIndex.partitionKey,
      TABLE.partnersIndex.sortKey,
    ];
    expect(table.Properties!.AttributeDefinitions).toEqual(
      expect.arrayContaining(attributes.map((a) => ({ AttributeName: a, AttributeType: 'S' }))),
    );
    expect(table.Properties!.AttributeDefinitions).toHaveLength(attributes.length);
    expect(table.Properties!.TimeToLiveSpecification).toEqual({ AttributeName: TABLE.ttlAttribute, Enabled: true });
  });

  it('is on-demand, encrypted, point-in-time recoverable, deletion-protected and retained', () => {
    const s = defaults;
    const table = s.json.Resources[s.id('PlanTable')]!;
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.UpdateReplacePolicy).toBe('Retain');
    expect(table.Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
      Replicas: [
        {
          Region: ref('AWS::Region'),
          DeletionProtectionEnabled: true,
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        },
      ],
    });
  });
});

describe('schedules (EventBridge Scheduler)', () => {
  const scheduleOf = (s: Synthesized, name: string) => s.json.Resources[s.id(`${name}Schedule`)]!;

  it('run daily reminders and the weekly digest at the configured times, in the configured time zone', () => {
    expect(scheduleOf(defaults, 'DailyReminders').Properties).toMatchObject({
      ScheduleExpression: 'cron(0 7 * * ? *)',
      ScheduleExpressionTimezone: 'UTC',
      State: 'ENABLED',
    });
    expect(scheduleOf(defaults, 'WeeklyDigest').Properties).toMatchObject({
      ScheduleExpression: 'cron(30 7 ? * MON-SUN *)',
      ScheduleExpressionTimezone: 'UTC',
    });
    expect(scheduleOf(custom, 'DailyReminders').Properties).toMatchObject({
      ScheduleExpression: 'cron(15 6 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Berlin',
    });
    expect(scheduleOf(custom, 'WeeklyDigest').Properties).toMatchObject({
      ScheduleExpression: 'cron(5 8 ? * MON *)',
      ScheduleExpressionTimezone: 'Europe/Berlin',
    });
  });

  it.each([
    ['DailyReminders', 'daily-digest'],
    ['WeeklyDigest', 'weekly-digest'],
  ])('%s: the fan-out, invoked with the scheduled time as `time` and its job, retried, then dead-lettered', (name, job) => {
    const s = defaults;
    const schedule = scheduleOf(s, name);
    expect(schedule.Properties!.FlexibleTimeWindow).toEqual({ Mode: 'OFF' });
    expect(schedule.Properties!.Target).toMatchObject({
      Arn: arn(s.id('ScheduleFanOut')),
      Input: JSON.stringify({ time: '<aws.scheduler.scheduled-time>', job }),
      RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 },
      DeadLetterConfig: { Arn: arn(s.id('DeadLetterQueue')) },
    });
    // The scheduler role may invoke this one function (unqualified) and write to the DLQ; it
    // can be assumed only by Scheduler for this account's default schedule group.
    const roleId = (schedule.Properties!.Target.RoleArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    expect(allowedPairs(s, roleId)).toEqual([
      `lambda:InvokeFunction <${s.id('ScheduleFanOut')}.Arn>`,
      `sqs:SendMessage <${s.id('DeadLetterQueue')}.Arn>`,
    ]);
    expect(s.json.Resources[roleId]!.Properties!.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 'scheduler.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:SourceAccount': ref('AWS::AccountId'), 'aws:SourceArn': expect.anything() } },
      },
    ]);
  });
});

describe('IAM: each function may do exactly what its handler does', () => {
  const common = (s: Synthesized, name: string) => [
    ...pairs(['logs:CreateLogStream', 'logs:PutLogEvents'], [`<${s.id(`${name}Logs`)}.Arn>`]),
    // The on-failure destination (SqsDestination's grant).
    ...pairs(['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'], [`<${s.id('DeadLetterQueue')}.Arn>`]),
  ];
  const identity = (address: string) => `arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:identity/${address}`;
  const sendMail = (addresses: string[]) => pairs(['ses:SendEmail', 'ses:SendRawEmail'], addresses.map(identity));
  const recipients = ['partner-a@contoso.example', 'partner-b@contoso.example'];

  it('plan-upload: read uploads/*, write and read reports/*, write views/*, its table calls, mail from the sender', () => {
    for (const [s, senders] of [
      [defaults, ['reports@example.com']],
      [custom, [CUSTOM.senderEmail, ...recipients]],
    ] as const) {
      const bucket = `<${s.id('Storage', 'Bucket')}.Arn>`;
      const table = `<${s.id('PlanTable')}.Arn>`;
      expect(allowedPairs(s, s.id('PlanUploadRole'))).toEqual(
        [
          ...common(s, 'PlanUpload'),
          ...pairs(['s3:GetObject', 's3:GetObjectVersion'], [`${bucket}/uploads/*`]),
          ...pairs(['s3:PutObject', 's3:AbortMultipartUpload', 's3:GetObject'], [`${bucket}/reports/*`]),
          `s3:PutObject ${bucket}/views/*`,
          ...pairs(['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:BatchWriteItem', 'dynamodb:PutItem', 'dynamodb:Query'], [table]),
          ...sendMail([...senders]),
        ].sort(),
      );
    }
  });

  it('schedule-fan-out: Query on the partners index, and sends to the work queue', () => {
    const s = defaults;
    const table = `<${s.id('PlanTable')}.Arn>`;
    expect(allowedPairs(s, s.id('ScheduleFanOutRole'))).toEqual(
      [
        ...common(s, 'ScheduleFanOut'),
        `dynamodb:Query ${table}/index/${TABLE.partnersIndex.name}`,
        `sqs:SendMessage <${s.id('WorkQueue')}.Arn>`,
      ].sort(),
    );
  });

  it('partner-work: takes jobs from the work queue; its table calls, Query on the due index, mail from the sender, the link key, writes views/*', () => {
    const s = defaults;
    const table = `<${s.id('PlanTable')}.Arn>`;
    const bucket = `<${s.id('Storage', 'Bucket')}.Arn>`;
    expect(allowedPairs(s, s.id('PartnerWorkRole'))).toEqual(
      [
        ...common(s, 'PartnerWork'),
        ...pairs(
          ['sqs:ReceiveMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueUrl', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
          [`<${s.id('WorkQueue')}.Arn>`],
        ),
        ...pairs(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query'], [table]),
        `dynamodb:Query ${table}/index/${TABLE.dueIndex.name}`,
        ...sendMail(['reports@example.com']),
        `secretsmanager:GetSecretValue <${s.id('LinkSigningKey')}>`,
        `s3:PutObject ${bucket}/views/*`,
      ].sort(),
    );
  });

  it('email-action: reads and records a status, reads the link key, queues a re-plan, and nothing else', () => {
    const s = defaults;
    const table = `<${s.id('PlanTable')}.Arn>`;
    expect(allowedPairs(s, s.id('EmailActionRole'))).toEqual(
      [
        ...common(s, 'EmailAction'),
        ...pairs(['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], [table]),
        `secretsmanager:GetSecretValue <${s.id('LinkSigningKey')}>`,
        `sqs:SendMessage <${s.id('WorkQueue')}.Arn>`,
      ].sort(),
    );
  });

  it('console-api: its table calls, reads reports/* and views/*, signs uploads/* forms, queues a re-plan, and nothing else', () => {
    const s = defaults;
    const bucket = `<${s.id('Storage', 'Bucket')}.Arn>`;
    const table = `<${s.id('PlanTable')}.Arn>`;
    expect(allowedPairs(s, s.id('ConsoleApiRole'))).toEqual(
      [
        ...common(s, 'ConsoleApi'),
        ...pairs(['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], [table]),
        // Reads, and the presigned GETs it signs (authorised as this role).
        ...pairs(['s3:GetObject'], [`${bucket}/reports/*`, `${bucket}/views/*`]),
        // The presigned POST of an upload: S3 authorises the browser's post as this role's PutObject.
        `s3:PutObject ${bucket}/uploads/*`,
        // A missing object is then a 404, not a 403.
        `s3:ListBucket ${bucket}`,
        `sqs:SendMessage <${s.id('WorkQueue')}.Arn>`,
      ].sort(),
    );
    // The bucket is SSE-S3: no KMS permission is needed to read or presign.
    expect(s.json.Resources[s.id('Storage', 'Bucket')]!.Properties!.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([
      { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
    ]);
  });

  it('partner-work sends mail from the sender and the sandbox recipients only', () => {
    const s = custom;
    const mail = allowedPairs(s, s.id('PartnerWorkRole')).filter((p) => p.startsWith('ses:'));
    expect(mail).toEqual(sendMail([CUSTOM.senderEmail, ...recipients]).sort());
  });

  it.each(['PlanUpload', 'ScheduleFanOut', 'PartnerWork', 'EmailAction', 'ConsoleApi'])(
    '%s: the role has no managed or inline policies and trusts Lambda only',
    (name) => {
      const role = defaults.json.Resources[defaults.id(`${name}Role`)]!;
      expect(role.Properties!.ManagedPolicyArns).toBeUndefined();
      expect(role.Properties!.Policies).toBeUndefined();
      expect(role.Properties!.AssumeRolePolicyDocument.Statement).toEqual([
        { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
      ]);
    },
  );

  it("no Allow statement anywhere has a '*' action or resource, except the justified ones", () => {
    for (const s of [defaults, custom]) {
      const found: string[] = [];
      for (const [logicalId, resource] of Object.entries(s.json.Resources)) {
        const p = resource.Properties ?? {};
        const documents = [
          p.PolicyDocument,
          p.AssumeRolePolicyDocument,
          p.KeyPolicy,
          ...list(p.Policies).map((x: any) => x.PolicyDocument),
        ].filter(Boolean);
        for (const document of documents) {
          for (const statement of document.Statement) {
            if (statement.Effect !== 'Allow') continue; // the TLS-only denies name s3:* / sqs:* on purpose
            const wild = [
              ...list<string>(statement.Action).filter((a) => a === '*' || a.endsWith(':*')),
              ...list(statement.Resource).filter((r) => r === '*'),
            ];
            if (wild.length > 0)
              found.push(`${resource.Type} ${logicalId}: ${JSON.stringify(statement.Action)} on ${JSON.stringify(statement.Resource)}`);
          }
        }
        for (const managed of list(p.ManagedPolicyArns)) found.push(`${resource.Type} ${logicalId}: managed ${render(managed)}`);
      }
      const justified = [
        // CDK's S3-notifications custom resource (deploy time only): basic execution for its logs.
        /^AWS::IAM::Role BucketNotificationsHandler\w+: managed arn:<AWS::Partition>:iam::aws:policy\/service-role\/AWSLambdaBasicExecutionRole$/,
        // CDK's deploy-time functions of the console: BucketDeployment (the web app) and
        // AwsCustomResource (the upload CORS rule), the same policy for their logs.
        /^AWS::IAM::Role CustomCDKBucketDeployment\w+: managed arn:<AWS::Partition>:iam::aws:policy\/service-role\/AWSLambdaBasicExecutionRole$/,
        /^AWS::IAM::Role AWS679f53fac002430cb0da5b7982bd2287ServiceRole\w+: managed arn:<AWS::Partition>:iam::aws:policy\/service-role\/AWSLambdaBasicExecutionRole$/,
        // The alarm topic's KMS key: in a key policy '*' is the key itself; the default statement
        // delegates the key's administration to the account's IAM policies.
        /^AWS::KMS::Key AlarmsTopicKey\w+: "kms:\*" on "\*"$/,
        /^AWS::KMS::Key AlarmsTopicKey\w+: \["kms:Decrypt","kms:GenerateDataKey\*"\] on "\*"$/,
      ];
      expect(found.filter((f) => !justified.some((j) => j.test(f)))).toEqual([]);
      expect(found.length).toBe(s === custom ? 5 : 3);
    }
  });
});

describe('SES', () => {
  it('creates the sender identity from context, and sandbox recipient identities when given', () => {
    defaults.template.resourcePropertiesCountIs('AWS::SES::EmailIdentity', {}, 1);
    defaults.template.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: 'reports@example.com' });
    custom.template.resourcePropertiesCountIs('AWS::SES::EmailIdentity', {}, 3);
    for (const address of [CUSTOM.senderEmail, 'partner-a@contoso.example', 'partner-b@contoso.example']) {
      custom.template.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: address });
    }
  });
});

describe('alarms', () => {
  it('the dead-letter queue alarms as soon as it holds a message', () => {
    const s = defaults;
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [s.id('DeadLetterQueue'), 'QueueName'] } }],
      Statistic: 'Maximum',
      Period: 300,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
    });
  });

  it.each(['PlanUpload', 'ScheduleFanOut', 'PartnerWork', 'EmailAction', 'ConsoleApi'])(
    '%s: alarms on any error and any throttle',
    (name) => {
      const s = defaults;
      for (const metric of ['Errors', 'Throttles']) {
        s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          Namespace: 'AWS/Lambda',
          MetricName: metric,
          Dimensions: [{ Name: 'FunctionName', Value: ref(s.id(name)) }],
          Statistic: 'Sum',
          Period: 300,
          Threshold: 0,
          ComparisonOperator: 'GreaterThanThreshold',
          TreatMissingData: 'notBreaching',
        });
      }
    },
  );

  it.each(['PlanUpload', 'PartnerWork'])('%s alarms when a run passes 12 of its 15 minutes', (name) => {
    const s = defaults;
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Duration',
      Dimensions: [{ Name: 'FunctionName', Value: ref(s.id(name)) }],
      Statistic: 'Maximum',
      Threshold: 12 * 60_000,
      ComparisonOperator: 'GreaterThanThreshold',
    });
  });

  it('without alarmEmail: no topic and no alarm actions', () => {
    defaults.template.resourceCountIs('AWS::SNS::Topic', 0);
    defaults.template.resourceCountIs('AWS::KMS::Key', 0);
    for (const alarm of Object.values(defaults.template.findResources('AWS::CloudWatch::Alarm'))) {
      expect(alarm.Properties.AlarmActions).toBeUndefined();
    }
  });

  it('with alarmEmail: every alarm notifies an encrypted, TLS-only topic with that e-mail subscribed', () => {
    const s = custom;
    const topic = s.id('Alarms', 'Topic');
    const key = s.id('Alarms', 'TopicKey');
    expect(s.json.Resources[topic]!.Properties).toMatchObject({ KmsMasterKeyId: arn(key) });
    expect(s.json.Resources[key]!.Properties).toMatchObject({ EnableKeyRotation: true });
    s.template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          {
            Sid: 'AllowCloudWatchAlarmsToPublish',
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Resource: '*',
          },
        ]),
      },
    });
    s.template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: CUSTOM.alarmEmail, TopicArn: ref(topic) });
    s.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [ref(topic)],
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
    const alarms = Object.values(s.template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms).toHaveLength(13); // DLQ + 5 × (errors, throttles) + plan-upload and partner-work duration
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toEqual([ref(topic)]);
      expect(alarm.Properties.OKActions).toEqual([ref(topic)]);
    }
  });
});

describe('the e-mail action endpoint', () => {
  // The console's HTTP API is tested in console.test.ts.
  const byType = (type: string) =>
    Object.values(defaults.template.findResources(type)).filter(
      (r) => r.Properties.ApiId === undefined || r.Properties.ApiId.Ref === defaults.id('ActionsApi'),
    );

  it('routes GET, HEAD and POST /action, and nothing else, to the email-action function', () => {
    const routes = byType('AWS::ApiGatewayV2::Route').map((r) => r.Properties.RouteKey as string);
    expect(routes.sort()).toEqual(['GET /action', 'HEAD /action', 'POST /action']);
    const [integration] = byType('AWS::ApiGatewayV2::Integration');
    expect(integration!.Properties).toMatchObject({ IntegrationType: 'AWS_PROXY', IntegrationUri: arn(defaults.id('EmailAction')) });
  });

  it('throttles the public stage and logs each request without its query string (the token)', () => {
    const [stage] = byType('AWS::ApiGatewayV2::Stage');
    expect(stage!.Properties).toMatchObject({
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 },
      AccessLogSettings: { DestinationArn: arn(defaults.id('ActionsApiAccessLogs')) },
    });
    const format = stage!.Properties.AccessLogSettings.Format as string;
    expect(format).toContain('$context.requestId');
    expect(format).not.toMatch(/querystring|\$context\.path\b.*\?/i);
  });

  it('signs links with a generated secret, and tells the daily run where links point', () => {
    const [secret] = byType('AWS::SecretsManager::Secret');
    expect(secret!.Properties.GenerateSecretString).toMatchObject({ PasswordLength: 64, ExcludePunctuation: true });
    expect(render(defaults.json.Outputs.ActionsUrl.Value)).toBe(`<${defaults.id('ActionsApi')}.ApiEndpoint>/action`);
  });
});

describe('outputs', () => {
  it('name the bucket, table, upload and report locations, sender identity and the CLI environment', () => {
    const s = defaults;
    const out = (name: string) => render(s.json.Outputs[name].Value);
    const bucket = `<${s.id('Storage', 'Bucket')}>`;
    const table = `<${s.id('PlanTable')}>`;
    expect(out('BucketName')).toBe(bucket);
    expect(out('TableName')).toBe(table);
    expect(out('UploadLocation')).toBe(`s3://${bucket}/uploads/{partnerId}/`);
    expect(out('ReportLocation')).toBe(`s3://${bucket}/reports/{partnerId}/{uploadId}/`);
    expect(out('SenderIdentity')).toBe(`<${s.id('SenderEmailIdentity')}>`);
    expect(out('CliEnvironment')).toBe(
      `CSPMOVE_TARGET=aws AWS_REGION=<AWS::Region> TABLE_NAME=${table} BUCKET_NAME=${bucket} SENDER_EMAIL=reports@example.com ` +
        `ACTIONS_URL=<${s.id('ActionsApi')}.ApiEndpoint>/action LINK_KEY_SECRET_ARN=<${s.id('LinkSigningKey')}> ` +
        `WORK_QUEUE_URL=<${s.id('WorkQueue')}> USER_POOL_ID=<${s.id('ConsoleAuth', 'UserPool')}> ` +
        `CONSOLE_URL=https://<${s.id('ConsoleHosting', 'Distribution')}.DomainName>/`,
    );
    expect(out('DeadLetterQueueUrl')).toBe(`<${s.id('DeadLetterQueue')}>`);
    expect(s.json.Outputs.AlarmTopicArn).toBeUndefined();
    expect(render(custom.json.Outputs.AlarmTopicArn.Value)).toBe(`<${custom.id('Alarms', 'Topic')}>`);
  });
});

describe('context settings', () => {
  const base = cdkJsonContext();

  it('cdk.json holds a complete, valid set of defaults', () => {
    expect(parseSettings(base)).toEqual({
      senderEmail: 'reports@example.com',
      alarmEmail: undefined,
      recipientIdentities: [],
      scheduleTimezone: 'UTC',
      dailyRemindersAt: { hour: 7, minute: 0 },
      weeklyDigestAt: { hour: 7, minute: 30 },
      weeklyDigestDays: 'MON-SUN',
      retentionDays: 180,
      consoleDomainPrefix: undefined,
      consoleMfa: 'optional',
      consoleWebAclArn: undefined,
    });
  });

  it.each([
    ['senderEmail', 'not-an-address'],
    ['alarmEmail', 'ops@'],
    ['recipientIdentities', 'a@example.com,nope'],
    ['scheduleTimezone', 'Mars/Olympus_Mons'],
    ['dailyRemindersAt', '7am'],
    ['weeklyDigestAt', '24:00'],
    ['weeklyDigestDays', 'MONDAY'],
    ['retentionDays', '0'],
    ['consoleDomainPrefix', 'CSP_Move'],
    ['consoleDomainPrefix', '-cspmove'],
    ['consoleDomainPrefix', 'my-aws-console'],
    ['consoleMfa', 'sms'],
    ['consoleWebAclArn', 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/console/a1b2'],
  ])('refuses %s=%s, naming the key', (key, value) => {
    expect(() => parseSettings({ ...base, [key]: value })).toThrow(new RegExp(`${key}(\\[\\d+\\])?: `));
  });

  it('refuses a missing sender', () => {
    const { senderEmail: _omitted, ...rest } = base;
    expect(() => parseSettings(rest)).toThrow(/senderEmail:/);
  });
});
