/**
 * The bucket partners upload to (uploads/{partnerId}/*.csv) and the reports are written to
 * (reports/{partnerId}/{uploadId}/), with its server access logs in a second bucket.
 */
import { Duration } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { REPORTS_PREFIX, UPLOADS_PREFIX } from '../../shared/storage/bucket-layout.js';
import { ACCESS_LOG_RETENTION, NONCURRENT_VERSION_RETENTION, secureBucketProps } from './secure-defaults.js';

export interface PlannerBucketProps {
  /** Uploads and reports are deleted this long after they are written. */
  readonly retention: Duration;
}

export class PlannerBucket extends Construct {
  readonly bucket: s3.Bucket;
  readonly accessLogs: s3.Bucket;

  constructor(scope: Construct, id: string, props: PlannerBucketProps) {
    super(scope, id);

    this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
      ...secureBucketProps,
      lifecycleRules: [{ id: 'ExpireAccessLogs', expiration: ACCESS_LOG_RETENTION, abortIncompleteMultipartUploadAfter: Duration.days(1) }],
    });
    NagSuppressions.addResourceSuppressions(this.accessLogs, [
      {
        id: 'AwsSolutions-S1',
        reason: 'This bucket is the server access log target of the planner bucket; logging its own access would log the log writes.',
      },
    ]);

    this.bucket = new s3.Bucket(this, 'Bucket', {
      ...secureBucketProps,
      // Versioned: an upload overwritten by mistake can be recovered, and each version is its own
      // upload id (shared/plan-upload.ts uploadIdOf), so a re-upload is planned again.
      versioned: true,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'planner-bucket/',
      lifecycleRules: [
        { id: 'ExpireReports', prefix: REPORTS_PREFIX, expiration: props.retention },
        { id: 'ExpireUploads', prefix: UPLOADS_PREFIX, expiration: props.retention },
        {
          id: 'ExpireOldVersions',
          noncurrentVersionExpiration: NONCURRENT_VERSION_RETENTION,
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
        { id: 'RemoveExpiredDeleteMarkers', expiredObjectDeleteMarker: true },
      ],
    });
  }
}
