/**
 * The console's HTTP API: every `/api/...` request goes to the console-api function, once API
 * Gateway's JWT authorizer has checked the ID token (signature, issuer, audience = the app client,
 * expiry). The function checks the token again and takes the partner from it. CloudFront is the
 * browser's way in (one origin), the API's own endpoint answers signed requests only.
 */
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { API_PREFIX } from '../../shared/console/contract.js';
import { LOG_RETENTION } from './secure-defaults.js';

/** All of the API under one route (the function routes within it, shared/console/contract.ts). */
export const CONSOLE_ROUTE_PATH = `${API_PREFIX}/{proxy+}`;

/** Requests per second across all users, and the burst above it. */
export const CONSOLE_API_THROTTLE = { rateLimit: 50, burstLimit: 100 } as const;

export class ConsoleApi extends Construct {
  readonly api: apigwv2.HttpApi;
  readonly accessLogs: logs.LogGroup;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.api = new apigwv2.HttpApi(this, 'Api', {
      apiName: 'ConsoleApi',
      description: 'CSP Move Planner: the partner console API (behind the console distribution)',
      createDefaultStage: false,
    });
    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: LOG_RETENTION, removalPolicy: RemovalPolicy.DESTROY });
    this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: CONSOLE_API_THROTTLE,
      // Who asked (the token's subject) and what came of it; no query string (it holds search text).
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(this.accessLogs),
        format: apigw.AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            time: '$context.requestTime',
            ip: '$context.identity.sourceIp',
            user: '$context.authorizer.claims.sub',
            method: '$context.httpMethod',
            path: '$context.path',
            status: '$context.status',
            latencyMs: '$context.responseLatency',
            authorizerError: '$context.authorizer.error',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });
  }

  /** Routes every method of `/api/{proxy+}` to the function, for holders of the client's ID tokens only. */
  route(handler: lambda.IFunction, auth: { issuer: string; clientId: string }): apigwv2.HttpRoute[] {
    const authorizer = new HttpJwtAuthorizer('CognitoIdToken', auth.issuer, {
      // An ID token's `aud` is the app client: tokens of any other client are refused.
      jwtAudience: [auth.clientId],
      identitySource: ['$request.header.Authorization'],
    });
    return this.api.addRoutes({
      path: CONSOLE_ROUTE_PATH,
      methods: [apigwv2.HttpMethod.ANY],
      integration: new HttpLambdaIntegration('ConsoleApiIntegration', handler),
      authorizer,
    });
  }

  /** `{apiId}.execute-api.{region}.amazonaws.com`: the distribution's origin for `/api/*`. */
  get domain(): string {
    const { region, urlSuffix } = Stack.of(this);
    return `${this.api.apiId}.execute-api.${region}.${urlSuffix}`;
  }
}
