/**
 * The one place that says how a handler in functions/ becomes a Lambda function (the pattern of
 * Powertools' example app): Node.js 22 on ARM (Graviton: cheaper per ms), an ESM bundle built
 * locally by esbuild with source maps, its own log group with a retention, its own role with no
 * managed policy (it may write to its log group, and the stack adds exactly what the handler
 * needs), the environment the shared code reads, and bounded asynchronous retries that end in the
 * dead-letter queue.
 */
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import { SERVICE_NAME } from '../../shared/config/service.js';
import { LOG_RETENTION } from './secure-defaults.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The handlers under functions/, one folder each. */
export type HandlerFolder = 'plan-upload' | 'schedule-fan-out' | 'partner-work' | 'email-action' | 'console-api';

/** What shared/aws/client-config.ts reads (resourceNames() needs all three in every function). */
export interface PlannerEnvironment {
  TABLE_NAME: string;
  BUCKET_NAME: string;
  SENDER_EMAIL: string;
  /** The e-mail action links (shared/email-actions/link-key.ts): the signing key's secret, and the endpoint. */
  LINK_KEY_SECRET_ARN?: string;
  ACTIONS_URL?: string;
  /** The partners' work queue (shared/queue/work-queue.ts). */
  WORK_QUEUE_URL?: string;
  /** The console's sign-in (shared/console/identity.ts): the ID token's issuer and audience. */
  OIDC_ISSUER?: string;
  OIDC_CLIENT_ID?: string;
  /** The console's address: the e-mails link to its pages (shared/email-actions/console-pages.ts). */
  CONSOLE_URL?: string;
}

export interface PlannerFunctionProps {
  /** The folder under functions/ whose handler.ts exports `handler`. */
  readonly handlerFolder: HandlerFolder;
  readonly description: string;
  readonly memorySize: number;
  readonly timeout: Duration;
  readonly environment: PlannerEnvironment;
  /** Where an asynchronous event goes once its retries are spent. */
  readonly deadLetterQueue: sqs.IQueue;
  /** Asynchronous retries after a failed invocation (Lambda allows 0–2). */
  readonly retryAttempts?: number;
}

export const FUNCTION_DEFAULTS = {
  runtime: lambda.Runtime.NODEJS_22_X,
  architecture: lambda.Architecture.ARM_64,
  retryAttempts: 2,
  /** Drop an event Lambda could not start within this time (it then goes to the DLQ). */
  maxEventAge: Duration.hours(6),
} as const;

/** CommonJS dependencies bundled into ESM (papaparse's require('stream')) need a `require`. */
const ESM_REQUIRE_BANNER =
  "import { createRequire as __plannerCreateRequire } from 'node:module'; const require = __plannerCreateRequire(import.meta.url);";

export class PlannerFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: PlannerFunctionProps) {
    // The role and log group are created before the function so they can be passed to it.
    const logGroup = new logs.LogGroup(scope, `${id}Logs`, {
      retention: LOG_RETENTION,
      // Operational logs, not business data: deleted with the stack.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const role = new iam.Role(scope, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${props.description} (function role)`,
    });

    super(scope, id, {
      entry: `${REPO_ROOT}functions/${props.handlerFolder}/handler.ts`,
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: `${REPO_ROOT}package-lock.json`,
      description: props.description,
      runtime: FUNCTION_DEFAULTS.runtime,
      architecture: FUNCTION_DEFAULTS.architecture,
      memorySize: props.memorySize,
      timeout: props.timeout,
      role,
      logGroup,
      // X-Ray stays off: its PutTraceSegments permission only exists on Resource '*'.
      tracing: lambda.Tracing.DISABLED,
      environment: {
        ...props.environment,
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        NODE_OPTIONS: '--enable-source-maps',
      },
      retryAttempts: props.retryAttempts ?? FUNCTION_DEFAULTS.retryAttempts,
      maxEventAge: FUNCTION_DEFAULTS.maxEventAge,
      onFailure: new SqsDestination(props.deadLetterQueue),
      bundling: {
        // Local esbuild (a devDependency): no Docker, works offline and in CI.
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        target: 'node22',
        mainFields: ['module', 'main'],
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        // nodejs22.x ships the AWS SDK v3: using it keeps every bundle under 1 MB.
        externalModules: ['@aws-sdk/*'],
        banner: ESM_REQUIRE_BANNER,
        esbuildArgs: {
          // Non-ASCII text (e-mail templates, country names) stays UTF-8 instead of longer \u
          // escapes. Passed here because this CDK version accepts `charset` in the
          // bundling options but never hands it to esbuild.
          '--charset': 'utf8',
        },
      },
    });

    logGroup.grantWrite(role);
    NagSuppressions.addResourceSuppressions(this, [
      {
        id: 'AwsSolutions-L1',
        reason:
          'nodejs22.x is the runtime this project targets and tests on (package.json engines node >=20.19). ' +
          'Node.js 22 is an LTS release maintained until April 2027; moving to a newer runtime is a deliberate upgrade, not a default.',
      },
    ]);
  }
}
