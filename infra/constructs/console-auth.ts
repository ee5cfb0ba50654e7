/**
 * Sign-in to the partner console: a Cognito user pool whose users an operator creates
 * (`cspmove user add`), with the user's partner in the custom attribute `partner_id` that only an
 * operator writes; a public app client for the web app (authorization code with PKCE, no secret);
 * and a Cognito domain serving managed login.
 */
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { PARTNER_CLAIM } from '../../shared/console/contract.js';

/** The custom attribute behind the ID token's partner claim (`custom:partner_id`). */
export const PARTNER_ATTRIBUTE = PARTNER_CLAIM.replace(/^custom:/, '');

/** What the web app asks for: the ID token with the user's e-mail, name and partner. */
export const CONSOLE_SCOPES = [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE];

export type ConsoleMfa = 'optional' | 'required';

export interface ConsoleAuthProps {
  /** The console's origin with a trailing '/': where sign-in returns and sign-out lands. */
  readonly consoleUrl: string;
  /** The prefix of the Cognito domain, https://{prefix}.auth.{region}.amazoncognito.com. */
  readonly domainPrefix: string;
  /** 'required': every user sets up an authenticator app at first sign-in. */
  readonly mfa: ConsoleMfa;
}

export class ConsoleAuth extends Construct {
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;
  readonly domain: cognito.UserPoolDomain;

  /**
   * The origins the browser's OIDC client fetches from (discovery and keys at the issuer, tokens at
   * the Cognito domain), known from the settings alone so the console's CSP needs no reference to
   * the pool.
   */
  static browserOrigins(scope: Construct, domainPrefix: string): string[] {
    const { region, urlSuffix } = Stack.of(scope);
    return [`https://cognito-idp.${region}.${urlSuffix}`, `https://${domainPrefix}.auth.${region}.amazoncognito.com`];
  }

  constructor(scope: Construct, id: string, props: ConsoleAuthProps) {
    super(scope, id);

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      // Users are partners' staff, invited by an operator; nobody signs up.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      standardAttributes: { email: { required: true, mutable: true } },
      customAttributes: { [PARTNER_ATTRIBUTE]: new cognito.StringAttribute({ minLen: 1, maxLen: 100, mutable: true }) },
      // A changed address is used only once its owner has confirmed it.
      autoVerify: { email: true },
      keepOriginal: { email: true },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
        passwordHistorySize: 5,
      },
      // An authenticator app only: SMS codes can be intercepted (SIM swap) and cost per message.
      mfa: props.mfa === 'required' ? cognito.Mfa.REQUIRED : cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      // Plus: threat protection blocks sign-ins with leaked passwords and risky sign-ins.
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      userInvitation: {
        emailSubject: 'Your CSP Move Planner console account',
        emailBody:
          `You can now sign in to the CSP Move Planner console at ${props.consoleUrl} ` +
          'as {username} with the temporary password {####} (valid for 3 days; you choose your own at first sign-in).',
      },
      deletionProtection: true,
      // The users and their partners are what an operator set up: kept if the stack goes.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    if (props.mfa === 'optional') {
      NagSuppressions.addResourceSuppressions(this.userPool, [
        {
          id: 'AwsSolutions-COG2',
          reason:
            'MFA (authenticator app) is optional by the consoleMfa setting, the default: each user may add one; ' +
            'consoleMfa=required makes it required for every user. Threat protection (Plus plan) guards password sign-ins either way.',
        },
      ]);
    }

    const readAttributes = new cognito.ClientAttributes()
      .withStandardAttributes({ email: true, emailVerified: true, fullname: true })
      .withCustomAttributes(PARTNER_ATTRIBUTE);
    // What a signed-in user may change about themselves: never their partner.
    const writeAttributes = new cognito.ClientAttributes().withStandardAttributes({ fullname: true });

    this.client = this.userPool.addClient('WebClient', {
      // A browser app cannot keep a secret; Cognito enforces PKCE for a public client's code
      // grant once the client sends a code_challenge, which oidc-client-ts always does.
      generateSecret: false,
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        scopes: CONSOLE_SCOPES,
        callbackUrls: [props.consoleUrl],
        logoutUrls: [props.consoleUrl],
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      readAttributes,
      writeAttributes,
      preventUserExistenceErrors: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      // A working day: after it the user signs in again.
      refreshTokenValidity: Duration.hours(12),
      authSessionValidity: Duration.minutes(3),
      enableTokenRevocation: true,
    });

    // Sign-in happens on managed login only: no direct password or SRP calls with this client id,
    // which anyone can read from config.json. Refreshing tokens stays allowed.
    (this.client.node.defaultChild as cognito.CfnUserPoolClient).explicitAuthFlows = ['ALLOW_REFRESH_TOKEN_AUTH'];

    this.domain = this.userPool.addDomain('Domain', {
      cognitoDomain: { domainPrefix: props.domainPrefix },
      managedLoginVersion: cognito.ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });
    // Managed login shows a client's pages only once the client has a branding style.
    new cognito.CfnManagedLoginBranding(this, 'ManagedLoginBranding', {
      userPoolId: this.userPool.userPoolId,
      clientId: this.client.userPoolClientId,
      useCognitoProvidedValues: true,
    });
  }

  /** The web app's client: the ID token's `aud`. */
  get clientId(): string {
    return this.client.userPoolClientId;
  }

  /** The OpenID Connect issuer: the ID token's `iss`, and where discovery is. */
  get issuer(): string {
    const { region, urlSuffix } = Stack.of(this);
    return `https://cognito-idp.${region}.${urlSuffix}/${this.userPool.userPoolId}`;
  }

  /** Cognito's discovery document has no end_session_endpoint: sign-out is this URL. */
  get signOutUrl(): string {
    return `${this.domain.baseUrl()}/logout`;
  }
}
