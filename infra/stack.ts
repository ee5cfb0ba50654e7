/**
 * CSP Move Planner on AWS:
 *
 *   S3 uploads/{partnerId}/*.csv ──ObjectCreated──▶ plan-upload ──▶ DynamoDB, S3 reports/, SES
 *   EventBridge Scheduler daily ──▶ daily-reminders ──▶ DynamoDB due index, SES
 *   EventBridge Scheduler daily ──▶ weekly-digest ──▶ DynamoDB partners index, SES (partners' Mondays)
 *
 * Failed asynchronous events (after two retries) land in one encrypted dead-letter queue; alarms
 * watch it and every function. Each function's role allows exactly the calls its handler makes.
 */
import { CfnOutput, Duration, Stack, type StackProps, TimeZone } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import { PLAN_UPLOAD_TIMEOUT_MINUTES } from '../shared/config/service.js';
import { REPORTS_PREFIX, UPLOAD_SUFFIXES, UPLOADS_PREFIX } from '../shared/storage/bucket-layout.js';
import { TABLE } from '../shared/storage/dynamodb/table-design.js';
import { InvokeFunction } from './constructs/invoke-function.js';
import { OperationsAlarms } from './constructs/operations-alarms.js';
import { PlanTable } from './constructs/plan-table.js';
import { PlannerBucket } from './constructs/planner-bucket.js';
import { type PlannerEnvironment, PlannerFunction } from './constructs/planner-function.js';
import { secureQueueProps } from './constructs/secure-defaults.js';
import type { PlannerSettings } from './settings.js';

export interface CspMovePlannerStackProps extends StackProps {
  readonly settings: PlannerSettings;
}

const PLAN_UPLOAD_TIMEOUT = Duration.minutes(PLAN_UPLOAD_TIMEOUT_MINUTES);
/** A plan-upload run this long is close to its time limit: the alarm says so before it fails. */
const PLAN_UPLOAD_SLOW = Duration.minutes(PLAN_UPLOAD_TIMEOUT_MINUTES * 0.8);

/** Retries of an event EventBridge Scheduler could not deliver to a function. */
const SCHEDULE_DELIVERY_RETRIES = 2;

export class CspMovePlannerStack extends Stack {
  constructor(scope: Construct, id: string, props: CspMovePlannerStackProps) {
    super(scope, id, {
      description: 'CSP Move Planner: S3 upload → plan → DynamoDB, S3 reports, SES e-mail; scheduled reminders',
      ...props,
    });
    const { settings } = props;

    // --- storage -----------------------------------------------------------------------------
    const { bucket } = new PlannerBucket(this, 'Storage', { retention: Duration.days(settings.retentionDays) });
    const table = new PlanTable(this, 'PlanTable');

    // --- e-mail ------------------------------------------------------------------------------
    const sender = new ses.EmailIdentity(this, 'SenderEmailIdentity', { identity: ses.Identity.email(settings.senderEmail) });
    // In the SES sandbox, recipients must be verified identities too, and SES authorises the send
    // against them as well: these (optional) identities are created and allowed for that phase.
    for (const [i, address] of (settings.recipientIdentities ?? []).entries()) {
      new ses.EmailIdentity(this, `SandboxRecipient${i + 1}`, { identity: ses.Identity.email(address) });
    }
    const identityArn = (address: string) => this.formatArn({ service: 'ses', resource: 'identity', resourceName: address });

    // --- functions ---------------------------------------------------------------------------
    const deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', secureQueueProps);
    NagSuppressions.addResourceSuppressions(deadLetterQueue, [
      {
        id: 'AwsSolutions-SQS3',
        reason: 'This queue is the dead-letter queue (Lambda on-failure destination and Scheduler DLQ); it has no DLQ of its own.',
      },
    ]);

    const environment: PlannerEnvironment = {
      TABLE_NAME: table.tableName,
      BUCKET_NAME: bucket.bucketName,
      SENDER_EMAIL: settings.senderEmail,
    };

    // Sized for the largest file the planner accepts (shared/config/service.ts): 3008 MB leaves
    // room for the report writers' multipart buffers, is the largest size every account gets
    // without a quota increase, and buys about 1.7 vCPU, so the JavaScript thread never shares its
    // core with garbage collection or the SDK's TLS. The timeout, Lambda's maximum, covers the run
    // plus the writes to a new on-demand table, which DynamoDB throttles at first (the writes back
    // off and retry); the stale-claim window is derived from it.
    const planUpload = new PlannerFunction(this, 'PlanUpload', {
      handlerFolder: 'plan-upload',
      description: 'Plans an uploaded CSV: DynamoDB plan, S3 reports, report e-mail',
      memorySize: 3008,
      timeout: PLAN_UPLOAD_TIMEOUT,
      environment,
      deadLetterQueue,
    });
    // The daily run reads only what is due (the sparse due index), one digest per partner.
    const dailyReminders = new PlannerFunction(this, 'DailyReminders', {
      handlerFolder: 'daily-reminders',
      description: 'Daily: one digest e-mail per partner with the invitations and moves due',
      memorySize: 1024,
      timeout: Duration.minutes(10),
      environment,
      deadLetterQueue,
    });
    // The weekly digest holds one partner's whole plan in memory while it builds the digest.
    const weeklyDigest = new PlannerFunction(this, 'WeeklyDigest', {
      handlerFolder: 'weekly-digest',
      description: "Weekly digest of each partner's plan, on the partner's Monday",
      memorySize: 2048,
      timeout: Duration.minutes(10),
      environment,
      deadLetterQueue,
    });

    // --- what each function may do (exactly the calls in shared/, nothing more) --------------
    const tableArn = table.tableArn;
    const indexArn = (name: string) => `${tableArn}/index/${name}`;
    const sendMail = new iam.PolicyStatement({
      sid: 'SendMailFromSenderIdentity',
      // SES v2 SendEmail authorises raw content (the MIME messages of shared/mail/ses-sender.ts)
      // as ses:SendRawEmail and simple content as ses:SendEmail; both, on these identities only.
      actions: ['ses:SendEmail', 'ses:SendRawEmail'],
      resources: [settings.senderEmail, ...(settings.recipientIdentities ?? [])].map(identityArn),
    });

    // plan-upload: shared/use-cases/plan-upload.ts → storage/object-store.ts, storage/dynamodb/, mail/ses-sender.ts
    planUpload.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ReadUploads',
        // openUpload reads the version named in the S3 event (GetObject with VersionId).
        actions: ['s3:GetObject', 's3:GetObjectVersion'],
        resources: [bucket.arnForObjects(`${UPLOADS_PREFIX}*`)],
      }),
    );
    planUpload.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'WriteReports',
        // putReport and lib-storage's multipart Upload (Create/UploadPart/Complete are s3:PutObject).
        actions: ['s3:PutObject', 's3:AbortMultipartUpload'],
        resources: [bucket.arnForObjects(`${REPORTS_PREFIX}*`)],
      }),
    );
    planUpload.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ReadReports',
        // The presigned links in the report e-mail (signed with this role, so it must be able to read them).
        actions: ['s3:GetObject'],
        resources: [bucket.arnForObjects(`${REPORTS_PREFIX}*`)],
      }),
    );
    planUpload.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'PlanTable',
        // The plan store (shared/storage/dynamodb/dynamodb-plan-store.ts): GetItem partnerSettings ·
        // UpdateItem claimUpload, record*, claim/releaseUploadMail, flagSubscriptionsNotIn ·
        // BatchWriteItem savePlan · Query flagSubscriptionsNotIn (by partition, no index).
        actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:BatchWriteItem', 'dynamodb:Query'],
        resources: [tableArn],
      }),
    );
    planUpload.addToRolePolicy(sendMail);

    // daily-reminders: shared/use-cases/daily-reminders.ts
    dailyReminders.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'PlanTable',
        // GetItem partnerSettings, claimMail's re-read · PutItem claimMail · UpdateItem recordMail,
        // rescheduleReminder · Query lastDailyDigest.
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query'],
        resources: [tableArn],
      }),
    );
    dailyReminders.addToRolePolicy(
      // remindersDue
      new iam.PolicyStatement({ sid: 'QueryDueIndex', actions: ['dynamodb:Query'], resources: [indexArn(TABLE.dueIndex.name)] }),
    );
    dailyReminders.addToRolePolicy(sendMail);

    // weekly-digest: shared/use-cases/weekly-digest.ts
    weeklyDigest.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'PlanTable',
        // GetItem partnerSettings, mailStatus, claimMail's re-read · PutItem claimMail · UpdateItem
        // recordMail · Query trackedPlan.
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query'],
        resources: [tableArn],
      }),
    );
    weeklyDigest.addToRolePolicy(
      // partnerIds
      new iam.PolicyStatement({ sid: 'QueryPartnersIndex', actions: ['dynamodb:Query'], resources: [indexArn(TABLE.partnersIndex.name)] }),
    );
    weeklyDigest.addToRolePolicy(sendMail);

    // S3 object keys are the only wildcards, each confined to one prefix of one bucket.
    const bucketArnToken = `<${this.getLogicalId(bucket.node.defaultChild as s3.CfnBucket)}.Arn>`;
    NagSuppressions.addResourceSuppressions(
      planUpload.role!.node.findChild('DefaultPolicy'),
      [
        {
          id: 'AwsSolutions-IAM5',
          reason:
            'Uploads and reports are objects under one prefix each (uploads/{partnerId}/…, reports/{partnerId}/{uploadId}/…), ' +
            'named at run time; the wildcard covers object keys under that prefix of this bucket only.',
          appliesTo: [`Resource::${bucketArnToken}/${UPLOADS_PREFIX}*`, `Resource::${bucketArnToken}/${REPORTS_PREFIX}*`],
        },
      ],
      true,
    );

    // --- triggers ----------------------------------------------------------------------------
    for (const suffix of UPLOAD_SUFFIXES) {
      bucket.addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.LambdaDestination(planUpload), { prefix: UPLOADS_PREFIX, suffix });
    }
    suppressNotificationsHandlerFindings(this);

    // EventBridge Scheduler rather than EventBridge rules: schedules in a named time zone (with
    // daylight saving time), and its own retry policy and dead-letter queue for delivery. The
    // handlers take "now" from the event's `time`, which Scheduler fills with the scheduled time.
    const timeZone = TimeZone.of(settings.scheduleTimezone);
    const scheduledInput = scheduler.ScheduleTargetInput.fromObject({ time: scheduler.ContextAttribute.scheduledTime });
    const scheduleTarget = (fn: PlannerFunction) =>
      new InvokeFunction(fn, {
        input: scheduledInput,
        deadLetterQueue,
        retryAttempts: SCHEDULE_DELIVERY_RETRIES,
        maxEventAge: Duration.hours(1),
      });
    new scheduler.Schedule(this, 'DailyRemindersSchedule', {
      description: 'CSP Move Planner: daily reminders',
      schedule: scheduler.ScheduleExpression.cron({
        minute: String(settings.dailyRemindersAt.minute),
        hour: String(settings.dailyRemindersAt.hour),
        timeZone,
      }),
      target: scheduleTarget(dailyReminders),
      timeWindow: scheduler.TimeWindow.off(),
    });
    new scheduler.Schedule(this, 'WeeklyDigestSchedule', {
      description: "CSP Move Planner: weekly digest (sent on each partner's Monday)",
      schedule: scheduler.ScheduleExpression.cron({
        minute: String(settings.weeklyDigestAt.minute),
        hour: String(settings.weeklyDigestAt.hour),
        weekDay: settings.weeklyDigestDays,
        timeZone,
      }),
      target: scheduleTarget(weeklyDigest),
      timeWindow: scheduler.TimeWindow.off(),
    });

    // --- alarms ------------------------------------------------------------------------------
    const alarms = new OperationsAlarms(this, 'Alarms', {
      deadLetterQueue,
      functions: { PlanUpload: planUpload, DailyReminders: dailyReminders, WeeklyDigest: weeklyDigest },
      durationLimits: [{ name: 'PlanUpload', fn: planUpload, limit: PLAN_UPLOAD_SLOW }],
      alarmEmail: settings.alarmEmail,
    });

    // --- outputs -----------------------------------------------------------------------------
    new CfnOutput(this, 'BucketName', { value: bucket.bucketName, description: 'The bucket for uploads and reports' });
    new CfnOutput(this, 'TableName', { value: table.tableName, description: 'The DynamoDB table with the plans' });
    new CfnOutput(this, 'UploadLocation', {
      value: `s3://${bucket.bucketName}/${UPLOADS_PREFIX}{partnerId}/`,
      description: 'Upload a partner CSV here (aws s3 cp FILE.csv s3://…/uploads/PARTNER/FILE.csv)',
    });
    new CfnOutput(this, 'ReportLocation', {
      value: `s3://${bucket.bucketName}/${REPORTS_PREFIX}{partnerId}/{uploadId}/`,
      description: 'Where plan.csv, errors.csv and report.html are written',
    });
    new CfnOutput(this, 'SenderIdentity', {
      value: sender.emailIdentityName,
      description: 'The SES identity e-mails are sent from (verify it: SES sends a link)',
    });
    new CfnOutput(this, 'CliEnvironment', {
      value:
        `CSPMOVE_TARGET=aws AWS_REGION=${this.region} TABLE_NAME=${table.tableName} ` +
        `BUCKET_NAME=${bucket.bucketName} SENDER_EMAIL=${settings.senderEmail}`,
      description: 'Prefix for npx cspmove partner|upload|remind against this stack',
    });
    new CfnOutput(this, 'DeadLetterQueueUrl', { value: deadLetterQueue.queueUrl, description: 'Events that failed after their retries' });
    if (alarms.topic)
      new CfnOutput(this, 'AlarmTopicArn', {
        value: alarms.topic.topicArn,
        description: 'Alarm notifications (confirm the e-mail subscription)',
      });
  }
}

/**
 * S3 notifications are configured by a CDK-provided custom resource (one Lambda per stack, run
 * only during deployments). Its s3:PutBucketNotification grant is scoped to this bucket; its
 * role also carries the AWS managed basic-execution policy for its logs, which CDK attaches.
 */
function suppressNotificationsHandlerFindings(stack: Stack): void {
  const handler = stack.node.children.find((c) => c.node.id.startsWith('BucketNotificationsHandler'));
  const role = handler?.node.tryFindChild('Role');
  if (!role) return;
  NagSuppressions.addResourceSuppressions(role, [
    {
      id: 'AwsSolutions-IAM4',
      reason:
        'CDK-managed BucketNotificationsHandler (deploy-time custom resource that applies the S3 notification configuration): ' +
        'CDK attaches AWSLambdaBasicExecutionRole for its CloudWatch logs.',
      appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
    },
  ]);
}
