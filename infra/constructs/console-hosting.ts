/**
 * Where the partner console is served from: one CloudFront origin for the web app (a private S3
 * bucket, read through Origin Access Control) and its API (`/api/*`, the HTTP API), with the
 * security headers on every answer. The web app's pages are paths (`/plan`, `/customers/{id}`): a
 * CloudFront Function on the S3 behaviour only serves index.html for them, so the API's own 403s
 * and 404s reach the browser as they are.
 */

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { CONSOLE_HEADERS, contentSecurityPolicy } from '../../shared/config/console-headers.js';
import { API_PREFIX } from '../../shared/console/contract.js';
import { ACCESS_LOG_RETENTION, secureBucketProps } from './secure-defaults.js';

/** The behaviour that sends the API's paths to the HTTP API. */
export const API_PATH_PATTERN = `${API_PREFIX}/*`;

/**
 * The files the web build emits, by extension: any other path is one of the app's pages. An id in
 * a page's path (an upload's version id) may hold a dot, so "has a dot" is not enough.
 */
export const STATIC_FILE_EXTENSIONS = [
  'html',
  'js',
  'mjs',
  'css',
  'map',
  'json',
  'txt',
  'xml',
  'webmanifest',
  'ico',
  'png',
  'jpg',
  'jpeg',
  'gif',
  'svg',
  'webp',
  'avif',
  'woff',
  'woff2',
  'ttf',
] as const;

/** The viewer-request function of the S3 behaviour (cloudfront-js-2.0). */
export const PAGE_REWRITE_CODE = `
var STATIC = /\\.(${STATIC_FILE_EXTENSIONS.join('|')})$/i;
function handler(event) {
  var request = event.request;
  if (!STATIC.test(request.uri)) request.uri = '/index.html';
  return request;
}
`;

export interface ConsoleHostingProps {
  /** The HTTP API's domain (`{apiId}.execute-api.{region}.amazonaws.com`), behind `/api/*`. */
  readonly apiDomain: string;
  /** Origins the web app fetches from besides its own: sign-in, and the upload bucket. */
  readonly connectSources: string[];
  /** Where the console bucket's and the CloudFront log bucket's S3 access logs go. */
  readonly serverAccessLogs: s3.IBucket;
  /** A CLOUDFRONT-scope WAF web ACL (created in us-east-1) to attach; none when absent. */
  readonly webAclArn?: string | undefined;
}

export class ConsoleHosting extends Construct {
  readonly bucket: s3.Bucket;
  readonly logs: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  readonly responseHeaders: cloudfront.ResponseHeadersPolicy;
  readonly pageRewrite: cloudfront.Function;

  constructor(scope: Construct, id: string, props: ConsoleHostingProps) {
    super(scope, id);

    // CloudFront's standard logs are delivered with an ACL grant, so this bucket alone keeps ACLs
    // on (its objects still belong to the bucket owner).
    this.logs = new s3.Bucket(this, 'CdnLogs', {
      ...secureBucketProps,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      serverAccessLogsBucket: props.serverAccessLogs,
      serverAccessLogsPrefix: 'console-cdn-logs/',
      lifecycleRules: [{ id: 'ExpireCdnLogs', expiration: ACCESS_LOG_RETENTION, abortIncompleteMultipartUploadAfter: Duration.days(1) }],
    });

    this.bucket = new s3.Bucket(this, 'Bucket', {
      ...secureBucketProps,
      serverAccessLogsBucket: props.serverAccessLogs,
      serverAccessLogsPrefix: 'console-bucket/',
    });

    this.pageRewrite = new cloudfront.Function(this, 'PageRewrite', {
      comment: "The console's pages (paths without a file extension) are its index.html",
      code: cloudfront.FunctionCode.fromInline(PAGE_REWRITE_CODE),
      runtime: cloudfront.FunctionRuntime.JS_2_0,
    });

    const csp = contentSecurityPolicy({ connect: props.connectSources });
    this.responseHeaders = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'CSP Move Planner console: CSP, HSTS, no framing, no sniffing, no referrer',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: csp, override: true },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.seconds(CONSOLE_HEADERS.strictTransportSecurity.maxAgeSeconds),
          includeSubdomains: CONSOLE_HEADERS.strictTransportSecurity.includeSubdomains,
          override: true,
        },
        frameOptions: { frameOption: CONSOLE_HEADERS.frameOptions as cloudfront.HeadersFrameOption, override: true },
        contentTypeOptions: { override: true },
        referrerPolicy: { referrerPolicy: CONSOLE_HEADERS.referrerPolicy as cloudfront.HeadersReferrerPolicy, override: true },
      },
    });

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'CSP Move Planner partner console',
      defaultRootObject: 'index.html',
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.responseHeaders,
        compress: true,
        functionAssociations: [{ function: this.pageRewrite, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
      },
      additionalBehaviors: {
        [API_PATH_PATTERN]: {
          origin: new origins.HttpOrigin(props.apiDomain, {
            protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
            originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
          }),
          // A redirected POST would lose its body: the API answers HTTPS only.
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
          cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
          // Authorization included; API Gateway routes by its own Host name.
          originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: this.responseHeaders,
        },
      },
      enableLogging: true,
      logBucket: this.logs,
      logFilePrefix: 'console/',
      ...(props.webAclArn ? { webAclId: props.webAclArn } : {}),
    });

    NagSuppressions.addResourceSuppressions(this.distribution, [
      {
        id: 'AwsSolutions-CFR1',
        reason:
          "Partners' staff work from any country the planner serves; every page and API call needs a signed-in user, so a country list would only lock out partners.",
      },
      {
        id: 'AwsSolutions-CFR4',
        reason:
          'The console is served on its *.cloudfront.net name with the CloudFront default certificate, whose TLS policy CloudFront fixes (TLSv1); ' +
          'a minimum of TLS 1.2 needs a custom domain with its own ACM certificate.',
      },
      ...(props.webAclArn
        ? []
        : [
            {
              id: 'AwsSolutions-CFR2',
              reason:
                'No consoleWebAclArn was given: a CloudFront web ACL must live in us-east-1, so the stack attaches one given by ARN instead of creating it. ' +
                'Without it, Cognito threat protection guards sign-in and the API is throttled and needs a valid token.',
            },
          ]),
    ]);
  }

  /** https://{distribution domain} */
  get origin(): string {
    return `https://${this.distribution.distributionDomainName}`;
  }

  /**
   * Deploys the built web app and its `config.json`. The hashed assets are kept for a year and
   * never removed (a tab opened before a deploy still loads its chunks); index.html and
   * config.json are revalidated on every load, so a deploy shows at once.
   *
   * When bundling is skipped (`cdk destroy`, the infra tests), a missing build is a placeholder,
   * as the functions' assets are; a synth that bundles needs the build.
   */
  deployWebApp(webBuildDir: string, config: object): void {
    const built = existsSync(join(webBuildDir, 'index.html'));
    if (!built && Stack.of(this).bundlingRequired) {
      throw new Error(
        `The console's web app is not built: ${join(webBuildDir, 'index.html')} is missing. Run \`npm run build\` before \`cdk synth\` or \`cdk deploy\`.`,
      );
    }
    const app = built ? s3deploy.Source.asset(webBuildDir) : s3deploy.Source.data('index.html', '<!doctype html><title>not built</title>');
    const assets = new s3deploy.BucketDeployment(this, 'DeployAssets', {
      destinationBucket: this.bucket,
      sources: [app],
      exclude: ['index.html', 'config.json'],
      prune: false,
      cacheControl: [s3deploy.CacheControl.fromString('public, max-age=31536000, immutable')],
    });
    const entry = new s3deploy.BucketDeployment(this, 'DeployEntry', {
      destinationBucket: this.bucket,
      sources: [app, s3deploy.Source.jsonData('config.json', config)],
      exclude: ['*'],
      include: ['index.html', 'config.json'],
      prune: false,
      cacheControl: [s3deploy.CacheControl.noCache()],
    });
    // The new index.html only once the assets it names are there.
    entry.node.addDependency(assets);
    this.suppressDeploymentHandlerFindings();
  }

  /**
   * BucketDeployment runs one CDK-provided function per stack (a deploy-time custom resource that
   * copies the built files from the CDK asset bucket into the console bucket); CDK fixes its
   * runtime, its managed logging policy and its grants.
   */
  private suppressDeploymentHandlerFindings(): void {
    const stack = Stack.of(this);
    const handler = stack.node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (!handler) return;
    const consoleBucketArn = `<${stack.getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket)}.Arn>`;
    NagSuppressions.addResourceSuppressions(handler, [
      {
        id: 'AwsSolutions-L1',
        reason:
          "CDK's BucketDeployment handler (run only during deployments) comes with the runtime this CDK version pins; it is not project code.",
      },
    ]);
    const role = handler.node.findChild('ServiceRole');
    NagSuppressions.addResourceSuppressions(role, [
      {
        id: 'AwsSolutions-IAM4',
        reason: "CDK's BucketDeployment handler (deploy time only): CDK attaches AWSLambdaBasicExecutionRole for its CloudWatch logs.",
        appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
      },
    ]);
    NagSuppressions.addResourceSuppressions(
      role.node.findChild('DefaultPolicy'),
      [
        {
          id: 'AwsSolutions-IAM5',
          reason:
            "CDK's BucketDeployment grants (deploy time only): read the web app's zip among the CDK asset bucket's objects, and sync " +
            'the files into the console bucket (objects named by the build); no other bucket.',
          appliesTo: [
            'Action::s3:GetBucket*',
            'Action::s3:GetObject*',
            'Action::s3:List*',
            'Action::s3:Abort*',
            'Action::s3:DeleteObject*',
            'Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*',
            `Resource::${consoleBucketArn}/*`,
          ],
        },
      ],
      true,
    );
  }
}
