/**
 * The planner bucket's CORS rule for the console's uploads: the browser posts a file (a presigned
 * POST) from the console's origin, and only from there.
 *
 * Written by a deploy-time call (PutBucketCors) instead of the bucket's own CorsConfiguration,
 * because that would make the bucket depend on the distribution (the allowed origin is its
 * domain) while the distribution already depends on the bucket (the CSP names the bucket's
 * origin): a cycle CloudFormation refuses. The call runs once both exist; the bucket's template
 * states no CORS, so CloudFormation never resets it.
 */

import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as cr from 'aws-cdk-lib/custom-resources';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { uploadCorsRule } from '../../shared/storage/bucket-layout.js';

export interface ConsoleUploadCorsProps {
  readonly bucket: s3.IBucket;
  /** https://{console domain} */
  readonly allowedOrigin: string;
}

/** How long a browser may reuse a preflight answer. */

export class ConsoleUploadCors extends Construct {
  readonly resource: cr.AwsCustomResource;

  constructor(scope: Construct, id: string, props: ConsoleUploadCorsProps) {
    super(scope, id);
    const corsRules = [{ ID: 'ConsoleUploads', ...uploadCorsRule(props.allowedOrigin) }];
    const put: cr.AwsSdkCall = {
      service: 'S3',
      action: 'putBucketCors',
      parameters: { Bucket: props.bucket.bucketName, CORSConfiguration: { CORSRules: corsRules } },
      physicalResourceId: cr.PhysicalResourceId.of(`${props.bucket.bucketName}-console-cors`),
    };
    this.resource = new cr.AwsCustomResource(this, 'Resource', {
      resourceType: 'Custom::ConsoleUploadCors',
      onCreate: put,
      onUpdate: put,
      onDelete: { service: 'S3', action: 'deleteBucketCors', parameters: { Bucket: props.bucket.bucketName } },
      // PutBucketCors and DeleteBucketCors are both authorised as s3:PutBucketCORS.
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({ actions: ['s3:PutBucketCORS'], resources: [props.bucket.bucketArn] }),
      ]),
      installLatestAwsSdk: false,
    });
    suppressProviderFindings(this);
  }
}

/**
 * AwsCustomResource's provider is one CDK-provided function per stack, run only during
 * deployments; its role carries the AWS managed basic-execution policy for its logs.
 */
function suppressProviderFindings(scope: Construct): void {
  const provider = Stack.of(scope).node.tryFindChild(`AWS${cr.AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`);
  const role = provider?.node.tryFindChild('ServiceRole');
  if (!role) return;
  NagSuppressions.addResourceSuppressions(role, [
    {
      id: 'AwsSolutions-IAM4',
      reason:
        "CDK's AwsCustomResource provider (deploy time only; it writes the planner bucket's CORS rule): " +
        'CDK attaches AWSLambdaBasicExecutionRole for its CloudWatch logs.',
      appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
    },
  ]);
}
