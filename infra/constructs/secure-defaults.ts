/**
 * Secure defaults, stated once (the pattern of AWS Solutions Constructs' `*-defaults.ts`): every
 * bucket, queue and topic of the stack starts from these, so a reviewer checks them here.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';

/** Private, encrypted at rest, TLS 1.2+ only, ACLs off, kept when the stack is deleted. */
export const secureBucketProps = {
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  // SSE-S3: no key to manage or grant, and the only encryption an access-log target bucket supports.
  encryption: s3.BucketEncryption.S3_MANAGED,
  enforceSSL: true,
  minimumTLSVersion: 1.2,
  objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
  removalPolicy: RemovalPolicy.RETAIN,
} as const satisfies s3.BucketProps;

/** Encrypted with SQS-managed keys (no KMS grants for Lambda or Scheduler), TLS only, 14 days. */
export const secureQueueProps = {
  encryption: sqs.QueueEncryption.SQS_MANAGED,
  enforceSSL: true,
  retentionPeriod: Duration.days(14),
} as const satisfies sqs.QueueProps;

/** How long function logs are kept. */
export const LOG_RETENTION = logs.RetentionDays.ONE_MONTH;

/** How long S3 server access logs are kept. */
export const ACCESS_LOG_RETENTION = Duration.days(365);

/** How long a replaced or deleted object version is kept (the undo window of a versioned bucket). */
export const NONCURRENT_VERSION_RETENTION = Duration.days(30);
