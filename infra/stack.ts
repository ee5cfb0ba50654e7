/**
 * CSP Move Planner on AWS:
 *
 *   S3 uploads/{partnerId}/*.csv ──ObjectCreated──▶ plan-upload ──▶ DynamoDB, S3 reports/, SES
 *   EventBridge Scheduler daily, weekly ──▶ schedule-fan-out ──▶ SQS work queue (a job per partner)
 *   SQS work queue ──▶ partner-work ──▶ one partner's re-plan and daily digest, or weekly digest: DynamoDB, SES
 *   HTTP API GET|POST /action ──▶ email-action ──▶ DynamoDB (the digests' one-click links), a re-plan job
 *   CloudFront /* ──▶ the console's web app (S3);  /api/* ──▶ HTTP API (Cognito ID token) ──▶ console-api
 *     ──▶ DynamoDB, S3 reports/ and views/, presigned uploads, a re-plan job
 *
 * Failed asynchronous events (after two retries) and partner jobs (after their attempts) land in
 * one encrypted dead-letter queue; alarms watch it and every function. Each function's role allows
 * exactly the calls its handler makes.
 */
import { fileURLToPath } from 'node:url';
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, TimeZone } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import { ACTION_PATH, PARTNER_WORK_TIMEOUT_MINUTES, PLAN_UPLOAD_TIMEOUT_MINUTES, WORK_ATTEMPTS } from '../shared/config/service.js';
import type { ConsoleConfig } from '../shared/console/contract.js';
import { REPORTS_PREFIX, UPLOAD_SUFFIXES, UPLOADS_PREFIX, VIEWS_PREFIX } from '../shared/storage/bucket-layout.js';
import { TABLE } from '../shared/storage/dynamodb/table-design.js';
import { ConsoleApi } from './constructs/console-api.js';
import { CONSOLE_SCOPES, ConsoleAuth } from './constructs/console-auth.js';
import { ConsoleHosting } from './constructs/console-hosting.js';
import { ConsoleUploadCors } from './constructs/console-upload-cors.js';
import { InvokeFunction } from './constructs/invoke-function.js';
import { OperationsAlarms } from './constructs/operations-alarms.js';
import { PlanTable } from './constructs/plan-table.js';
import { PlannerBucket } from './constructs/planner-bucket.js';
import { type PlannerEnvironment, PlannerFunction } from './constructs/planner-function.js';
import { LOG_RETENTION, secureQueueProps } from './constructs/secure-defaults.js';
import type { PlannerSettings } from './settings.js';

/** The console's web app as `npm run build` leaves it: index.html and hashed assets. */
export const WEB_BUILD_DIR = fileURLToPath(new URL('../dist/web/', import.meta.url));

export interface CspMovePlannerStackProps extends StackProps {
  readonly settings: PlannerSettings;
}

const PLAN_UPLOAD_TIMEOUT = Duration.minutes(PLAN_UPLOAD_TIMEOUT_MINUTES);
/** A plan-upload run this long is close to its time limit: the alarm says so before it fails. */
const PLAN_UPLOAD_SLOW = Duration.minutes(PLAN_UPLOAD_TIMEOUT_MINUTES * 0.8);

/** Retries of an event EventBridge Scheduler could not deliver to a function. */
const SCHEDULE_DELIVERY_RETRIES = 2;

const PARTNER_WORK_TIMEOUT = Duration.minutes(PARTNER_WORK_TIMEOUT_MINUTES);
const PARTNER_WORK_SLOW = Duration.minutes(PARTNER_WORK_TIMEOUT_MINUTES * 0.8);
/**
 * Partners worked on at once: bounds the load on the table and the SES send rate, and leaves the
 * account's concurrency to uploads and links.
 */
const PARTNER_WORK_CONCURRENCY = 5;

export class CspMovePlannerStack extends Stack {
  constructor(scope: Construct, id: string, props: CspMovePlannerStackProps) {
    super(scope, id, {
      description: 'CSP Move Planner: S3 upload → plan → DynamoDB, S3 reports, SES e-mail; scheduled reminders',
      ...props,
    });
    const { settings } = props;

    // --- storage -----------------------------------------------------------------------------
    const { bucket, accessLogs } = new PlannerBucket(this, 'Storage', { retention: Duration.days(settings.retentionDays) });
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
        reason:
          'This queue is the dead-letter queue (Lambda on-failure destination, Scheduler DLQ, work queue redrive); it has no DLQ of its own.',
      },
    ]);

    // The partners' jobs. A job not done within six times the function's timeout (AWS's advice
    // for an SQS event source) is handed out again; after WORK_ATTEMPTS it is dead-lettered.
    const workQueue = new sqs.Queue(this, 'WorkQueue', {
      ...secureQueueProps,
      visibilityTimeout: Duration.minutes(6 * PARTNER_WORK_TIMEOUT_MINUTES),
      deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: WORK_ATTEMPTS },
    });

    const environment: PlannerEnvironment = {
      TABLE_NAME: table.tableName,
      BUCKET_NAME: bucket.bucketName,
      SENDER_EMAIL: settings.senderEmail,
    };

    // --- the digests' one-click links ---------------------------------------------------------
    // The key that signs them, generated by Secrets Manager and never seen by anyone.
    const linkKey = new secretsmanager.Secret(this, 'LinkSigningKey', {
      description: 'CSP Move Planner: signs the one-click action links in the e-mails',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    NagSuppressions.addResourceSuppressions(linkKey, [
      {
        id: 'AwsSolutions-SMG4',
        reason:
          'Rotating the link signing key invalidates every action link in e-mails already sent (they expire after 30 days anyway); ' +
          'an operator rotates it by hand when it may have leaked.',
      },
    ]);
    const linkEnvironment = { LINK_KEY_SECRET_ARN: linkKey.secretArn };

    // A link's page: one GetItem and Query to show it, a PutItem and UpdateItem to record it.
    const emailAction = new PlannerFunction(this, 'EmailAction', {
      handlerFolder: 'email-action',
      description: 'The one-click links of the e-mails: a confirmation page, and the status change its button posts',
      memorySize: 512,
      timeout: Duration.seconds(10),
      environment: { ...environment, ...linkEnvironment, WORK_QUEUE_URL: workQueue.queueUrl },
      deadLetterQueue,
    });
    // HTTP API rather than a function URL: a stage throttle and access logs for a public endpoint.
    const actionsLogs = new logs.LogGroup(this, 'ActionsApiAccessLogs', { retention: LOG_RETENTION, removalPolicy: RemovalPolicy.DESTROY });
    const actionsApi = new apigwv2.HttpApi(this, 'ActionsApi', {
      description: 'CSP Move Planner: the one-click action links of the e-mails',
      createDefaultStage: false,
    });
    actionsApi.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: 20, burstLimit: 40 },
      // No query string in the log: it holds the link's token.
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(actionsLogs),
        format: apigw.AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            time: '$context.requestTime',
            method: '$context.httpMethod',
            path: '$context.path',
            status: '$context.status',
            latencyMs: '$context.responseLatency',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });
    actionsApi.addRoutes({
      path: ACTION_PATH,
      methods: [apigwv2.HttpMethod.GET, apigwv2.HttpMethod.HEAD, apigwv2.HttpMethod.POST],
      integration: new HttpLambdaIntegration('EmailActionIntegration', emailAction),
    });
    for (const route of actionsApi.node.children.filter((c) => c instanceof apigwv2.HttpRoute)) {
      NagSuppressions.addResourceSuppressions(route, [
        {
          id: 'AwsSolutions-APIG4',
          reason:
            "A link's signed, expiring token is its authorization: the function checks it (partner, item, action, expiry) before it shows or changes anything.",
        },
      ]);
    }
    // The $default stage serves at the API's root.
    const actionsUrl = `${actionsApi.apiEndpoint}${ACTION_PATH}`;

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
    // A scheduled run only lists the partners and queues a job for each.
    const scheduleFanOut = new PlannerFunction(this, 'ScheduleFanOut', {
      handlerFolder: 'schedule-fan-out',
      description: 'Daily and weekly: queues one job per partner on the work queue',
      memorySize: 256,
      timeout: Duration.minutes(5),
      environment: { ...environment, WORK_QUEUE_URL: workQueue.queueUrl },
      deadLetterQueue,
    });
    // One partner's job: a re-plan holds the partner's whole plan in memory, as an upload does,
    // then the daily digest reads only what is due (the sparse due index): sized as plan-upload.
    const partnerWork = new PlannerFunction(this, 'PartnerWork', {
      handlerFolder: 'partner-work',
      description:
        "One partner's job from the work queue: its re-plan and daily digest, its weekly digest, or a re-plan after status changes",
      memorySize: 3008,
      timeout: PARTNER_WORK_TIMEOUT,
      environment: { ...environment, ...linkEnvironment, ACTIONS_URL: actionsUrl },
      deadLetterQueue,
    });
    // One message per invocation: each partner's job succeeds or fails on its own.
    partnerWork.addEventSource(
      new SqsEventSource(workQueue, { batchSize: 1, reportBatchItemFailures: true, maxConcurrency: PARTNER_WORK_CONCURRENCY }),
    );

    // --- the partner console (docs/console.md) -------------------------------------------------
    // Built in dependency order: the API's endpoint, the distribution in front of it, the sign-in
    // that returns to the distribution, then the function and route that trust that sign-in.
    const consoleHttpApi = new ConsoleApi(this, 'ConsoleHttpApi');
    const domainPrefix = settings.consoleDomainPrefix ?? `cspmove-${this.account}`;
    const consoleHosting = new ConsoleHosting(this, 'ConsoleHosting', {
      apiDomain: consoleHttpApi.domain,
      // The browser fetches sign-in (discovery, keys, tokens) and posts uploads to the bucket.
      connectSources: [...ConsoleAuth.browserOrigins(this, domainPrefix), `https://${bucket.bucketRegionalDomainName}`],
      serverAccessLogs: accessLogs,
      webAclArn: settings.consoleWebAclArn,
    });
    const consoleUrl = `${consoleHosting.origin}/`;
    // The report e-mail links to its upload's page, the digests to each customer's.
    planUpload.addEnvironment('CONSOLE_URL', consoleUrl);
    partnerWork.addEnvironment('CONSOLE_URL', consoleUrl);
    const consoleAuth = new ConsoleAuth(this, 'ConsoleAuth', { consoleUrl, domainPrefix, mfa: settings.consoleMfa });
    // A request reads one page of the plan view (loaded once per container) and a few items, or
    // signs a link: 1769 MB and more is a full vCPU for the first load of a large plan.
    const consoleApi = new PlannerFunction(this, 'ConsoleApi', {
      handlerFolder: 'console-api',
      description: 'The partner console API: the plan, customers, uploads and settings of the signed-in partner',
      memorySize: 2048,
      // Below API Gateway's 30-second integration limit, so the function's own error is what the user sees.
      timeout: Duration.seconds(25),
      environment: {
        ...environment,
        WORK_QUEUE_URL: workQueue.queueUrl,
        OIDC_ISSUER: consoleAuth.issuer,
        OIDC_CLIENT_ID: consoleAuth.clientId,
      },
      deadLetterQueue,
    });
    consoleHttpApi.route(consoleApi, consoleAuth);
    const consoleConfig: ConsoleConfig = {
      authority: consoleAuth.issuer,
      clientId: consoleAuth.clientId,
      redirectUri: consoleUrl,
      postLogoutRedirectUri: consoleUrl,
      signOutUrl: consoleAuth.signOutUrl,
      scope: CONSOLE_SCOPES.map((s) => s.scopeName).join(' '),
    };
    consoleHosting.deployWebApp(WEB_BUILD_DIR, consoleConfig);
    new ConsoleUploadCors(this, 'ConsoleUploadCors', { bucket, allowedOrigin: consoleHosting.origin });

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

    // linkSigningKey (shared/email-actions/link-key.ts): the one call, on this secret only.
    const readLinkKey = new iam.PolicyStatement({
      sid: 'ReadLinkSigningKey',
      actions: ['secretsmanager:GetSecretValue'],
      resources: [linkKey.secretArn],
    });

    // The console's snapshot of a partner's plan, replaced by each planning (storage/plan-view/s3-plan-views.ts save).
    const writePlanView = new iam.PolicyStatement({
      sid: 'WritePlanView',
      actions: ['s3:PutObject'],
      resources: [bucket.arnForObjects(`${VIEWS_PREFIX}*`)],
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
        // BatchWriteItem savePlan · PutItem recordStatusEvent · Query flagSubscriptionsNotIn,
        // partnerStatusEvents (by partition, no index).
        actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:BatchWriteItem', 'dynamodb:PutItem', 'dynamodb:Query'],
        resources: [tableArn],
      }),
    );
    planUpload.addToRolePolicy(sendMail);
    planUpload.addToRolePolicy(writePlanView);

    // SendMessageBatch is authorised as sqs:SendMessage.
    const queueJobs = new iam.PolicyStatement({ sid: 'QueuePartnerJobs', actions: ['sqs:SendMessage'], resources: [workQueue.queueArn] });

    // schedule-fan-out: shared/use-cases/partner-work.ts queueScheduledRun
    scheduleFanOut.addToRolePolicy(
      // partnerIds
      new iam.PolicyStatement({ sid: 'QueryPartnersIndex', actions: ['dynamodb:Query'], resources: [indexArn(TABLE.partnersIndex.name)] }),
    );
    scheduleFanOut.addToRolePolicy(queueJobs);

    // partner-work: shared/use-cases/partner-work.ts → daily-reminders.ts, weekly-digest.ts, replan.ts.
    // The event source adds the queue's receive and delete calls, on this queue only.
    partnerWork.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'PlanTable',
        // GetItem partnerSettings, replanState, mailStatus, claimMail's re-read · PutItem claimMail ·
        // UpdateItem recordMail, rescheduleReminder, saveReplan, recordPlanned, takeReplanRequest ·
        // Query lastDailyDigest, storedPlan, partnerStatusEvents, trackedPlan.
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query'],
        resources: [tableArn],
      }),
    );
    partnerWork.addToRolePolicy(
      // remindersDue
      new iam.PolicyStatement({ sid: 'QueryDueIndex', actions: ['dynamodb:Query'], resources: [indexArn(TABLE.dueIndex.name)] }),
    );
    partnerWork.addToRolePolicy(sendMail);
    partnerWork.addToRolePolicy(readLinkKey);
    partnerWork.addToRolePolicy(writePlanView);

    // email-action: shared/use-cases/email-action.ts → set-status.ts, replan-request.ts
    emailAction.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'PlanTable',
        // GetItem partnerSettings, trackedRecord · Query statusEvents · PutItem recordStatusEvent ·
        // UpdateItem saveTrackedRecord, recordStatusChanged.
        actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
        resources: [tableArn],
      }),
    );
    emailAction.addToRolePolicy(readLinkKey);
    emailAction.addToRolePolicy(queueJobs);

    // console-api: shared/use-cases/console/ → set-status.ts, replan-request.ts, storage/object-store.ts, storage/plan-view/
    consoleApi.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'PlanTable',
        // GetItem partnerSettings, findUpload, replanState, trackedRecord · BatchGetItem
        // trackedRecords (a page's live states) · Query uploads, statusEvents (by partition, no
        // index) · PutItem savePartnerSettings, recordStatusEvent · UpdateItem saveTrackedRecord,
        // recordStatusChanged.
        actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
        resources: [tableArn],
      }),
    );
    consoleApi.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ReadReportsAndPlanViews',
        // openReport, the plan view's load, and the presigned GETs of downloadLink (a presigned
        // request is authorised as the role that signed it).
        actions: ['s3:GetObject'],
        resources: [bucket.arnForObjects(`${REPORTS_PREFIX}*`), bucket.arnForObjects(`${VIEWS_PREFIX}*`)],
      }),
    );
    consoleApi.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'SignUploadForms',
        // uploadForm's presigned POST: S3 authorises the browser's post as this role's PutObject.
        actions: ['s3:PutObject'],
        resources: [bucket.arnForObjects(`${UPLOADS_PREFIX}*`)],
      }),
    );
    consoleApi.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'MissingObjectIsNotFound',
        // Without it S3 answers a GetObject of a missing key (no plan view yet, no errors.csv)
        // with 403 AccessDenied instead of 404 NoSuchKey.
        actions: ['s3:ListBucket'],
        resources: [bucket.bucketArn],
      }),
    );
    consoleApi.addToRolePolicy(queueJobs);

    // S3 object keys are the only wildcards, each confined to one prefix of one bucket.
    const bucketArnToken = `<${this.getLogicalId(bucket.node.defaultChild as s3.CfnBucket)}.Arn>`;
    NagSuppressions.addResourceSuppressions(
      planUpload.role!.node.findChild('DefaultPolicy'),
      [
        {
          id: 'AwsSolutions-IAM5',
          reason:
            'Uploads, reports and plan views are objects under one prefix each (uploads/{partnerId}/…, reports/{partnerId}/{uploadId}/…, ' +
            'views/{partnerId}/plan), named at run time; the wildcard covers object keys under that prefix of this bucket only.',
          appliesTo: [
            `Resource::${bucketArnToken}/${UPLOADS_PREFIX}*`,
            `Resource::${bucketArnToken}/${REPORTS_PREFIX}*`,
            `Resource::${bucketArnToken}/${VIEWS_PREFIX}*`,
          ],
        },
      ],
      true,
    );
    NagSuppressions.addResourceSuppressions(
      partnerWork.role!.node.findChild('DefaultPolicy'),
      [
        {
          id: 'AwsSolutions-IAM5',
          reason:
            "A re-plan replaces the partner's plan view, views/{partnerId}/plan, named at run time; the wildcard covers object keys " +
            'under that prefix of this bucket only.',
          appliesTo: [`Resource::${bucketArnToken}/${VIEWS_PREFIX}*`],
        },
      ],
      true,
    );
    NagSuppressions.addResourceSuppressions(
      consoleApi.role!.node.findChild('DefaultPolicy'),
      [
        {
          id: 'AwsSolutions-IAM5',
          reason:
            "The console's uploads, reports and plan views are objects under one prefix each (uploads/{partnerId}/…, reports/{partnerId}/{uploadId}/…, " +
            'views/{partnerId}/…), named at run time; the wildcard covers object keys under that prefix of this bucket only. ' +
            "The function confines each request to the token's partner.",
          appliesTo: [
            `Resource::${bucketArnToken}/${REPORTS_PREFIX}*`,
            `Resource::${bucketArnToken}/${VIEWS_PREFIX}*`,
            `Resource::${bucketArnToken}/${UPLOADS_PREFIX}*`,
          ],
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
    const scheduleTarget = (job: 'daily-digest' | 'weekly-digest') =>
      new InvokeFunction(scheduleFanOut, {
        input: scheduler.ScheduleTargetInput.fromObject({ time: scheduler.ContextAttribute.scheduledTime, job }),
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
      target: scheduleTarget('daily-digest'),
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
      target: scheduleTarget('weekly-digest'),
      timeWindow: scheduler.TimeWindow.off(),
    });

    // --- alarms ------------------------------------------------------------------------------
    const alarms = new OperationsAlarms(this, 'Alarms', {
      deadLetterQueue,
      functions: {
        PlanUpload: planUpload,
        ScheduleFanOut: scheduleFanOut,
        PartnerWork: partnerWork,
        EmailAction: emailAction,
        ConsoleApi: consoleApi,
      },
      durationLimits: [
        { name: 'PlanUpload', fn: planUpload, limit: PLAN_UPLOAD_SLOW },
        { name: 'PartnerWork', fn: partnerWork, limit: PARTNER_WORK_SLOW },
      ],
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
        `BUCKET_NAME=${bucket.bucketName} SENDER_EMAIL=${settings.senderEmail} ` +
        `ACTIONS_URL=${actionsUrl} LINK_KEY_SECRET_ARN=${linkKey.secretArn} WORK_QUEUE_URL=${workQueue.queueUrl} ` +
        `USER_POOL_ID=${consoleAuth.userPool.userPoolId} CONSOLE_URL=${consoleUrl}`,
      description: 'Prefix for npx cspmove partner|upload|remind|user against this stack',
    });
    new CfnOutput(this, 'ActionsUrl', { value: actionsUrl, description: "The e-mails' one-click links point here" });
    new CfnOutput(this, 'ConsoleUrl', {
      value: consoleUrl,
      description: 'The partner console (sign in with a user from cspmove user add)',
    });
    new CfnOutput(this, 'ConsoleUserPoolId', { value: consoleAuth.userPool.userPoolId, description: "The console's Cognito user pool" });
    new CfnOutput(this, 'ConsoleClientId', { value: consoleAuth.clientId, description: "The console web app's Cognito app client" });
    new CfnOutput(this, 'ConsoleSignInDomain', {
      value: consoleAuth.domain.baseUrl(),
      description: 'Cognito managed login for the console',
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
