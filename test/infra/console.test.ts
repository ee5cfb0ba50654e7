/**
 * The partner console's AWS resources (docs/console.md), property by property: the Cognito user
 * pool and its app client, the HTTP API and its JWT authorizer, the CloudFront distribution with
 * its origins, behaviours, security headers and page rewrite, the web app's deployment and
 * config.json, the planner bucket's upload CORS rule, and the outputs. The console-api role is
 * tested statement by statement with the other functions' roles in stack.test.ts.
 *
 * `Default` has cdk.json's settings; `Custom` sets every console setting.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, type CfnResource, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConsoleHosting, PAGE_REWRITE_CODE } from '../../infra/constructs/console-hosting.js';
import type { ConsoleConfig } from '../../shared/console/contract.js';
import { arn, plannerStack, ref, render, testApp } from './synth.js';

const WEB_ACL = 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/console/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111';
const CUSTOM = { consoleDomainPrefix: 'contoso-moves', consoleMfa: 'required', consoleWebAclArn: WEB_ACL };

type Resources = Record<string, { Type: string; Properties: Record<string, any>; DeletionPolicy?: string; DependsOn?: string[] }>;

interface Synthesized {
  stack: Stack;
  outdir: string;
  json: { Resources: Resources; Outputs: Record<string, any> };
  id: (...path: string[]) => string;
  /** The one resource of a type (among those whose logical id starts with `prefix`). */
  one: (type: string, prefix?: string) => { id: string; Properties: Record<string, any>; DeletionPolicy?: string; DependsOn?: string[] };
}

let defaults: Synthesized;
let custom: Synthesized;

function synthesized(app: App, stack: Stack): Synthesized {
  const json = Template.fromStack(stack).toJSON() as Synthesized['json'];
  const id = (...path: string[]) => {
    let node: IConstruct = stack;
    for (const part of path) node = node.node.findChild(part);
    return stack.getLogicalId((node.node.defaultChild ?? node) as CfnResource);
  };
  const one = (type: string, prefix = '') => {
    const found = Object.entries(json.Resources).filter(([logicalId, r]) => r.Type === type && logicalId.startsWith(prefix));
    expect(found.map(([logicalId]) => logicalId)).toHaveLength(1);
    const [logicalId, resource] = found[0]!;
    return { id: logicalId, ...resource };
  };
  return { stack, outdir: app.outdir, json, id, one };
}

beforeAll(() => {
  const app = testApp();
  const d = plannerStack(app, 'Default').stack;
  const c = plannerStack(app, 'Custom', CUSTOM).stack;
  defaults = synthesized(app, d);
  custom = synthesized(app, c);
}, 60_000);

const consoleUrl = (s: Synthesized) => `https://<${s.id('ConsoleHosting', 'Distribution')}.DomainName>/`;

describe('sign-in: the Cognito user pool', () => {
  it('has no self sign-up: an operator creates every user, and the invitation names the console', () => {
    const pool = defaults.one('AWS::Cognito::UserPool');
    expect(pool.Properties.AdminCreateUserConfig.AllowAdminCreateUserOnly).toBe(true);
    const invitation = render(pool.Properties.AdminCreateUserConfig.InviteMessageTemplate.EmailMessage);
    expect(invitation).toContain(consoleUrl(defaults));
    expect(invitation).toContain('{username}');
    expect(invitation).toContain('{####}');
  });

  it('signs in by e-mail (case-insensitive) and holds the partner in the custom attribute partner_id', () => {
    const pool = defaults.one('AWS::Cognito::UserPool');
    expect(pool.Properties).toMatchObject({ UsernameAttributes: ['email'], UsernameConfiguration: { CaseSensitive: false } });
    expect(pool.Properties.Schema).toEqual([
      { Name: 'email', Required: true, Mutable: true },
      {
        Name: 'partner_id',
        AttributeDataType: 'String',
        Mutable: true,
        StringAttributeConstraints: { MinLength: '1', MaxLength: '100' },
      },
    ]);
  });

  it('requires strong passwords, recovers accounts by e-mail only, and runs threat protection (Plus plan)', () => {
    const pool = defaults.one('AWS::Cognito::UserPool');
    expect(pool.Properties.Policies.PasswordPolicy).toEqual({
      MinimumLength: 12,
      RequireLowercase: true,
      RequireUppercase: true,
      RequireNumbers: true,
      RequireSymbols: true,
      TemporaryPasswordValidityDays: 3,
      PasswordHistorySize: 5,
    });
    expect(pool.Properties.AccountRecoverySetting).toEqual({ RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] });
    expect(pool.Properties).toMatchObject({ UserPoolTier: 'PLUS', UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' } });
  });

  it('offers MFA by authenticator app only (no SMS): optional by default, required with consoleMfa=required', () => {
    const optional = defaults.one('AWS::Cognito::UserPool').Properties;
    const required = custom.one('AWS::Cognito::UserPool').Properties;
    expect(optional).toMatchObject({ MfaConfiguration: 'OPTIONAL', EnabledMfas: ['SOFTWARE_TOKEN_MFA'] });
    expect(required).toMatchObject({ MfaConfiguration: 'ON', EnabledMfas: ['SOFTWARE_TOKEN_MFA'] });
    for (const pool of [optional, required]) expect(pool.SmsConfiguration).toBeUndefined();
  });

  it('is deletion-protected and retained with the stack', () => {
    const pool = defaults.one('AWS::Cognito::UserPool');
    expect(pool.Properties.DeletionProtection).toBe('ACTIVE');
    expect(pool.DeletionPolicy).toBe('Retain');
  });

  it('serves managed login on a Cognito domain: cspmove-{account} by default, consoleDomainPrefix when set', () => {
    const domain = (s: Synthesized) => s.one('AWS::Cognito::UserPoolDomain').Properties;
    expect(render(domain(defaults).Domain)).toBe('cspmove-<AWS::AccountId>');
    expect(domain(custom).Domain).toBe('contoso-moves');
    expect(domain(defaults)).toMatchObject({ ManagedLoginVersion: 2, UserPoolId: ref(defaults.id('ConsoleAuth', 'UserPool')) });
    expect(defaults.one('AWS::Cognito::ManagedLoginBranding').Properties).toEqual({
      UserPoolId: ref(defaults.id('ConsoleAuth', 'UserPool')),
      ClientId: ref(defaults.id('ConsoleAuth', 'UserPool', 'WebClient')),
      UseCognitoProvidedValues: true,
    });
  });
});

describe('sign-in: the web app client', () => {
  const client = () => defaults.one('AWS::Cognito::UserPoolClient').Properties;

  it('is public (no secret) and has the authorization code grant only; Cognito enforces PKCE once the client sends a challenge', () => {
    expect(client()).toMatchObject({
      GenerateSecret: false,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      SupportedIdentityProviders: ['COGNITO'],
    });
    // No password or SRP sign-in by API with the client id config.json publishes: managed login only.
    expect(client().ExplicitAuthFlows).toEqual(['ALLOW_REFRESH_TOKEN_AUTH']);
  });

  it("returns to the console's own origin after sign-in and sign-out", () => {
    expect(client().CallbackURLs.map(render)).toEqual([consoleUrl(defaults)]);
    expect(client().LogoutURLs.map(render)).toEqual([consoleUrl(defaults)]);
  });

  it('reads custom:partner_id into the ID token, and cannot write it (only an operator does)', () => {
    expect(client().ReadAttributes).toEqual(['custom:partner_id', 'email', 'email_verified', 'name']);
    expect(client().WriteAttributes).toEqual(['name']);
  });

  it('hides whether a user exists, and issues hour-long tokens and a working day of refresh', () => {
    expect(client()).toMatchObject({
      PreventUserExistenceErrors: 'ENABLED',
      EnableTokenRevocation: true,
      IdTokenValidity: 60,
      AccessTokenValidity: 60,
      RefreshTokenValidity: 12 * 60,
      TokenValidityUnits: { IdToken: 'minutes', AccessToken: 'minutes', RefreshToken: 'minutes' },
      AuthSessionValidity: 3,
    });
  });
});

describe('the console API', () => {
  const apiId = () => defaults.id('ConsoleHttpApi', 'Api');
  const ofApi = (type: string) =>
    Object.entries(defaults.json.Resources)
      .filter(([, r]) => r.Type === type && r.Properties.ApiId?.Ref === apiId())
      .map(([logicalId, r]) => ({ id: logicalId, ...r }));

  it('routes ANY /api/{proxy+}, and nothing else, to console-api behind the JWT authorizer', () => {
    const routes = ofApi('AWS::ApiGatewayV2::Route');
    expect(routes.map((r) => r.Properties.RouteKey)).toEqual(['ANY /api/{proxy+}']);
    const [authorizer] = ofApi('AWS::ApiGatewayV2::Authorizer');
    expect(routes[0]!.Properties).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: ref(authorizer!.id) });
    const [integration] = ofApi('AWS::ApiGatewayV2::Integration');
    expect(integration!.Properties).toMatchObject({
      IntegrationType: 'AWS_PROXY',
      IntegrationUri: arn(defaults.id('ConsoleApi')),
      PayloadFormatVersion: '2.0',
    });
    expect(render(routes[0]!.Properties.Target)).toBe(`integrations/<${integration!.id}>`);
  });

  it("accepts the pool's ID tokens for the web app's client only (issuer, audience)", () => {
    const [authorizer] = ofApi('AWS::ApiGatewayV2::Authorizer');
    expect(authorizer!.Properties).toMatchObject({ AuthorizerType: 'JWT', IdentitySource: ['$request.header.Authorization'] });
    expect(render(authorizer!.Properties.JwtConfiguration.Issuer)).toBe(
      `https://cognito-idp.<AWS::Region>.<AWS::URLSuffix>/<${defaults.id('ConsoleAuth', 'UserPool')}>`,
    );
    expect(authorizer!.Properties.JwtConfiguration.Audience).toEqual([ref(defaults.id('ConsoleAuth', 'UserPool', 'WebClient'))]);
  });

  it('may invoke the function through this route only', () => {
    const permission = Object.values(defaults.json.Resources).find(
      (r) =>
        r.Type === 'AWS::Lambda::Permission' &&
        r.Properties.Principal === 'apigateway.amazonaws.com' &&
        r.Properties.FunctionName['Fn::GetAtt']?.[0] === defaults.id('ConsoleApi'),
    );
    expect(render(permission!.Properties.SourceArn)).toBe(
      `arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<${apiId()}>/*/*/api/{proxy+}`,
    );
  });

  it('throttles its stage and logs who asked and what came of it, without the query string', () => {
    const [stage] = ofApi('AWS::ApiGatewayV2::Stage');
    expect(stage!.Properties).toMatchObject({
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      AccessLogSettings: { DestinationArn: arn(defaults.id('ConsoleHttpApi', 'AccessLogs')) },
    });
    const format = JSON.parse(stage!.Properties.AccessLogSettings.Format) as Record<string, string>;
    expect(format).toMatchObject({ user: '$context.authorizer.claims.sub', status: '$context.status', path: '$context.path' });
    expect(Object.values(format).join(' ')).not.toMatch(/querystring/i);
    expect(defaults.json.Resources[defaults.id('ConsoleHttpApi', 'AccessLogs')]!.Properties).toEqual({ RetentionInDays: 30 });
  });
});

describe('hosting: the console bucket and the distribution', () => {
  const distribution = (s: Synthesized) => s.one('AWS::CloudFront::Distribution').Properties.DistributionConfig;

  it('the console bucket is private, encrypted, TLS-only and access-logged', () => {
    const s = defaults;
    const bucket = s.json.Resources[s.id('ConsoleHosting', 'Bucket')]!;
    expect(bucket.Properties).toMatchObject({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      LoggingConfiguration: { DestinationBucketName: ref(s.id('Storage', 'AccessLogs')), LogFilePrefix: 'console-bucket/' },
    });
    const policy = Object.values(s.json.Resources).find(
      (r) => r.Type === 'AWS::S3::BucketPolicy' && r.Properties.Bucket.Ref === s.id('ConsoleHosting', 'Bucket'),
    )!;
    const statements = policy.Properties.PolicyDocument.Statement as any[];
    expect(statements.filter((st) => st.Effect === 'Deny').map((st) => st.Condition)).toEqual([
      { Bool: { 'aws:SecureTransport': 'false' } },
      { NumericLessThan: { 's3:TlsVersion': 1.2 } },
    ]);
    // The only reader: CloudFront, signing for this distribution (OAC).
    expect(statements.filter((st) => st.Effect === 'Allow')).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Action: 's3:GetObject',
        Resource: { 'Fn::Join': ['', [arn(s.id('ConsoleHosting', 'Bucket')), '/*']] },
        Condition: { StringEquals: { 'AWS:SourceArn': expect.anything() } },
      },
    ]);
    const sourceArn = statements.find((st) => st.Effect === 'Allow').Condition.StringEquals['AWS:SourceArn'];
    expect(render(sourceArn)).toBe(
      `arn:<AWS::Partition>:cloudfront::<AWS::AccountId>:distribution/<${s.id('ConsoleHosting', 'Distribution')}>`,
    );
  });

  it('reads the bucket through Origin Access Control (SigV4, always signed), and the API over TLS 1.2 only', () => {
    const s = defaults;
    const origins = distribution(s).Origins as any[];
    const oac = s.one('AWS::CloudFront::OriginAccessControl');
    expect(oac.Properties.OriginAccessControlConfig).toMatchObject({
      OriginAccessControlOriginType: 's3',
      SigningBehavior: 'always',
      SigningProtocol: 'sigv4',
    });
    const bucketOrigin = origins.find((o) => o.S3OriginConfig)!;
    expect(bucketOrigin).toMatchObject({
      DomainName: { 'Fn::GetAtt': [s.id('ConsoleHosting', 'Bucket'), 'RegionalDomainName'] },
      OriginAccessControlId: { 'Fn::GetAtt': [oac.id, 'Id'] },
      S3OriginConfig: { OriginAccessIdentity: '' },
    });
    const apiOrigin = origins.find((o) => o.CustomOriginConfig)!;
    expect(render(apiOrigin.DomainName)).toBe(`<${s.id('ConsoleHttpApi', 'Api')}>.execute-api.<AWS::Region>.<AWS::URLSuffix>`);
    expect(apiOrigin.CustomOriginConfig).toEqual({ OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] });
    expect(origins).toHaveLength(2);
  });

  it('serves the web app over HTTPS (HTTP redirects), cached, with the page rewrite on this behaviour only', () => {
    const s = defaults;
    const config = distribution(s);
    const bucketOriginId = (config.Origins as any[]).find((o) => o.S3OriginConfig).Id;
    expect(config).toMatchObject({ DefaultRootObject: 'index.html', HttpVersion: 'http2and3', Enabled: true });
    expect(config.DefaultCacheBehavior).toEqual({
      TargetOriginId: bucketOriginId,
      ViewerProtocolPolicy: 'redirect-to-https',
      AllowedMethods: ['GET', 'HEAD'],
      CachePolicyId: '658327ea-f89d-4fab-a63d-7e88639e58f6', // Managed-CachingOptimized
      Compress: true,
      ResponseHeadersPolicyId: ref(s.id('ConsoleHosting', 'SecurityHeaders')),
      FunctionAssociations: [
        { EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [s.id('ConsoleHosting', 'PageRewrite'), 'FunctionARN'] } },
      ],
    });
    // No distribution-wide error page: it would turn the API's 403s and 404s into index.html.
    expect(config.CustomErrorResponses).toBeUndefined();
  });

  it('sends /api/* to the HTTP API: HTTPS only, every method, never cached, all viewer headers but Host, no rewrite', () => {
    const s = defaults;
    const config = distribution(s);
    const apiOriginId = (config.Origins as any[]).find((o) => o.CustomOriginConfig).Id;
    expect(config.CacheBehaviors).toEqual([
      {
        PathPattern: '/api/*',
        TargetOriginId: apiOriginId,
        ViewerProtocolPolicy: 'https-only',
        AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
        CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad', // Managed-CachingDisabled
        OriginRequestPolicyId: 'b689b0a8-53d0-40ab-baf2-68738e2966ac', // Managed-AllViewerExceptHostHeader
        ResponseHeadersPolicyId: ref(s.id('ConsoleHosting', 'SecurityHeaders')),
        Compress: true,
      },
    ]);
  });

  it('logs every request to its own bucket (ACLs on for CloudFront log delivery only), itself access-logged', () => {
    const s = defaults;
    expect(distribution(s).Logging).toEqual({
      Bucket: { 'Fn::GetAtt': [s.id('ConsoleHosting', 'CdnLogs'), 'RegionalDomainName'] },
      Prefix: 'console/',
    });
    const logs = s.json.Resources[s.id('ConsoleHosting', 'CdnLogs')]!;
    expect(logs.DeletionPolicy).toBe('Retain');
    expect(logs.Properties).toMatchObject({
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      LoggingConfiguration: { DestinationBucketName: ref(s.id('Storage', 'AccessLogs')), LogFilePrefix: 'console-cdn-logs/' },
      LifecycleConfiguration: { Rules: [expect.objectContaining({ ExpirationInDays: 365 })] },
    });
  });

  it('attaches the WAF web ACL given as consoleWebAclArn, and none by default', () => {
    expect(distribution(defaults).WebACLId).toBeUndefined();
    expect(distribution(custom).WebACLId).toBe(WEB_ACL);
  });
});

describe('hosting: the security headers', () => {
  const headers = (s: Synthesized) =>
    s.one('AWS::CloudFront::ResponseHeadersPolicy').Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;

  it("CSP: 'self' only, plus sign-in and the upload bucket for fetches; no inline code, no forms, no framing", () => {
    for (const [s, prefix] of [
      [defaults, 'cspmove-<AWS::AccountId>'],
      [custom, 'contoso-moves'],
    ] as const) {
      const csp = render(headers(s).ContentSecurityPolicy.ContentSecurityPolicy);
      expect(csp.split('; ')).toEqual([
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        `connect-src 'self' https://cognito-idp.<AWS::Region>.<AWS::URLSuffix> https://${prefix}.auth.<AWS::Region>.amazoncognito.com ` +
          `https://<${s.id('Storage', 'Bucket')}.RegionalDomainName>`,
        "form-action 'none'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
      ]);
      expect(csp).not.toContain('unsafe');
      expect(headers(s).ContentSecurityPolicy.Override).toBe(true);
    }
  });

  it('HSTS for two years, X-Frame-Options DENY, nosniff, no referrer; each overriding the origin', () => {
    expect(headers(defaults)).toMatchObject({
      StrictTransportSecurity: { AccessControlMaxAgeSec: 63_072_000, IncludeSubdomains: true, Override: true },
      FrameOptions: { FrameOption: 'DENY', Override: true },
      ContentTypeOptions: { Override: true },
      ReferrerPolicy: { ReferrerPolicy: 'no-referrer', Override: true },
    });
  });
});

describe('hosting: the page rewrite (CloudFront Function)', () => {
  // The function as CloudFront runs it: `handler(event)` in cloudfront-js-2.0.
  const handler = new Function(`${PAGE_REWRITE_CODE}; return handler;`)() as (event: { request: { uri: string } }) => {
    uri: string;
  };
  const served = (uri: string) => handler({ request: { uri } }).uri;

  it.each([
    '/',
    '/upload',
    '/plan',
    '/customers/7f3e9a2c-1b44-4c1e-9a7d-2f0b6c1d9e55',
    '/uploads',
    '/settings',
    '/uploads/3HL4kqtJ.lcpX_r',
  ])('serves the page %s as /index.html', (uri) => {
    expect(served(uri)).toBe('/index.html');
  });

  it.each(['/index.html', '/config.json', '/assets/index-4f9a1c.js', '/assets/index-4f9a1c.css', '/favicon.ico', '/assets/app.js.map'])(
    'serves the file %s as it is',
    (uri) => {
      expect(served(uri)).toBe(uri);
    },
  );

  it('runs on cloudfront-js-2.0 as deployed', () => {
    const fn = defaults.one('AWS::CloudFront::Function').Properties;
    expect(fn.FunctionCode).toBe(PAGE_REWRITE_CODE);
    expect(fn.FunctionConfig.Runtime).toBe('cloudfront-js-2.0');
    expect(fn.AutoPublish).toBe(true);
  });
});

describe('hosting: the web app deployment and config.json', () => {
  const deployments = (s: Synthesized) =>
    Object.entries(s.json.Resources)
      .filter(([, r]) => r.Type === 'Custom::CDKBucketDeployment')
      .map(([logicalId, r]) => ({ id: logicalId, ...r }));

  it('copies the hashed assets for a year (kept for open tabs), then index.html and config.json revalidated on every load', () => {
    const s = defaults;
    const [assets, entry] = ['DeployAssets', 'DeployEntry'].map(
      (name) => deployments(s).find((d) => d.id.startsWith(`ConsoleHosting${name}`))!,
    );
    expect(deployments(s)).toHaveLength(2);
    for (const d of [assets!, entry!]) expect(d.Properties.DestinationBucketName).toEqual(ref(s.id('ConsoleHosting', 'Bucket')));
    expect(assets!.Properties).toMatchObject({
      Exclude: ['index.html', 'config.json'],
      Prune: false,
      SystemMetadata: { 'cache-control': 'public, max-age=31536000, immutable' },
    });
    expect(entry!.Properties).toMatchObject({
      Exclude: ['*'],
      Include: ['index.html', 'config.json'],
      Prune: false,
      SystemMetadata: { 'cache-control': 'no-cache' },
    });
    expect(entry!.DependsOn).toContain(assets!.id);
  });

  it("config.json tells the web app the pool's issuer, the client, the console's own URL and Cognito's /logout (ConsoleConfig)", () => {
    const s = defaults;
    const entry = deployments(s).find((d) => d.id.startsWith('ConsoleHostingDeployEntry'))!;
    const keys = entry.Properties.SourceObjectKeys as string[];
    const markers = entry.Properties.SourceMarkers as Record<string, unknown>[];
    const index = markers.findIndex((m) => Object.keys(m).length > 0);
    const staged = join(s.outdir, `asset.${keys[index]!.replace(/\.zip$/, '')}`, 'config.json');
    expect(existsSync(staged)).toBe(true);
    // Deploy-time values are markers in the file, filled in by the deployment.
    let text = readFileSync(staged, 'utf8');
    for (const [marker, value] of Object.entries(markers[index]!)) text = text.split(marker).join(render(value));
    const config = JSON.parse(text) as ConsoleConfig;
    const domain = `<${s.id('ConsoleHosting', 'Distribution')}.DomainName>`;
    expect(config).toEqual({
      authority: `https://cognito-idp.<AWS::Region>.<AWS::URLSuffix>/<${s.id('ConsoleAuth', 'UserPool')}>`,
      clientId: `<${s.id('ConsoleAuth', 'UserPool', 'WebClient')}>`,
      redirectUri: `https://${domain}/`,
      postLogoutRedirectUri: `https://${domain}/`,
      signOutUrl: `https://<${s.id('ConsoleAuth', 'UserPool', 'Domain')}>.auth.<AWS::Region>.amazoncognito.com/logout`,
      scope: 'openid email profile',
    });
  });

  it('needs the web build when the stack is bundled, and stands in a placeholder when bundling is skipped', () => {
    const missing = '/nonexistent/dist/web';
    const hosting = (app: App) =>
      new ConsoleHosting(new Stack(app, 'Web'), 'ConsoleHosting', {
        apiDomain: 'api.example.com',
        connectSources: [],
        serverAccessLogs: s3.Bucket.fromBucketName(new Stack(app, 'Logs'), 'Logs', 'logs'),
      });
    expect(() => hosting(new App()).deployWebApp(missing, {})).toThrow(
      /web app is not built: .*index\.html is missing\. Run `npm run build`/,
    );
    expect(() => hosting(new App({ context: { 'aws:cdk:bundling-stacks': [] } })).deployWebApp(missing, {})).not.toThrow();
  });
});

describe("the planner bucket's CORS rule for uploads", () => {
  it("allows POST from the console's origin only, written once the distribution exists (no template cycle)", () => {
    const s = defaults;
    const cors = s.one('Custom::ConsoleUploadCors').Properties;
    const call = (field: string) => JSON.parse(render(cors[field])) as { action: string; parameters: Record<string, any> };
    const bucket = `<${s.id('Storage', 'Bucket')}>`;
    for (const field of ['Create', 'Update']) {
      expect(call(field)).toMatchObject({
        action: 'putBucketCors',
        parameters: {
          Bucket: bucket,
          CORSConfiguration: {
            CORSRules: [
              {
                ID: 'ConsoleUploads',
                AllowedMethods: ['POST'],
                AllowedOrigins: [`https://<${s.id('ConsoleHosting', 'Distribution')}.DomainName>`],
                MaxAgeSeconds: 3600,
              },
            ],
          },
        },
      });
    }
    expect(call('Delete')).toMatchObject({ action: 'deleteBucketCors', parameters: { Bucket: bucket } });
    // The bucket itself states no CORS, so CloudFormation never resets the rule.
    expect(s.json.Resources[s.id('Storage', 'Bucket')]!.Properties.CorsConfiguration).toBeUndefined();
  });

  it('the call may change the CORS rule of the planner bucket and nothing else', () => {
    const s = defaults;
    const policy = s.one('AWS::IAM::Policy', 'ConsoleUploadCorsCustomResourcePolicy').Properties.PolicyDocument;
    expect(policy.Statement).toEqual([{ Effect: 'Allow', Action: 's3:PutBucketCORS', Resource: arn(s.id('Storage', 'Bucket')) }]);
  });
});

describe('outputs', () => {
  it("the console's URL, user pool, client and sign-in domain; the CLI environment names the pool (cspmove user)", () => {
    const s = defaults;
    const out = (name: string) => render(s.json.Outputs[name].Value);
    expect(out('ConsoleUrl')).toBe(consoleUrl(s));
    expect(out('ConsoleUserPoolId')).toBe(`<${s.id('ConsoleAuth', 'UserPool')}>`);
    expect(out('ConsoleClientId')).toBe(`<${s.id('ConsoleAuth', 'UserPool', 'WebClient')}>`);
    expect(out('ConsoleSignInDomain')).toBe(`https://<${s.id('ConsoleAuth', 'UserPool', 'Domain')}>.auth.<AWS::Region>.amazoncognito.com`);
    expect(out('CliEnvironment')).toContain(` USER_POOL_ID=<${s.id('ConsoleAuth', 'UserPool')}>`);
  });
});
