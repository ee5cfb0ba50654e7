/**
 * Local sign-in that speaks Cognito's protocol: an OpenID Connect provider (oidc-provider) the
 * console server mounts at /oidc, so the web app signs in locally with the same code it uses
 * against the Cognito user pool — authorization code with PKCE (S256), a public client, an ID
 * token with `email`, `email_verified`, `custom:partner_id`, `cognito:username` and
 * `token_use: "id"`, the JWKS at Cognito's path, refresh tokens for silent renewal, and sign-out
 * at the discovery document's end_session_endpoint. Users and passwords come from the local
 * user directory (`cspmove user add`), read at each sign-in.
 *
 * With a data folder, the signing and cookie keys and the sessions are kept there, so a browser
 * stays signed in across a restart of the stack.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { calculateJwkThumbprint, type JWK } from 'jose';
import type { Configuration, KoaContextWithOIDC } from 'oidc-provider';
import { type ConsoleConfig, PARTNER_CLAIM } from '../../shared/console/contract.js';
import type { LocalUser } from '../users/local-user-directory.js';
import { normalizeEmail } from '../users/user-directory.js';
import { loadOidcProvider } from './quiet-oidc-runtime.js';
import { errorPage, type Page, SIGN_OUT_SCRIPT, signedOutPage, signInPage, signOutPage } from './sign-in-pages.js';
import { signInStore } from './sign-in-store.js';

/** Where the console server mounts the provider: the issuer is the console's origin plus this. */
export const SIGN_IN_PATH = '/oidc';

/** The console's one client: public (no secret), as a browser app is. */
export const LOCAL_CLIENT_ID = 'cspmove-console';

/** What the web app asks for. Cognito puts every attribute the client may read in the ID token with `openid`. */
export const SIGN_IN_SCOPE = 'openid email';

/** Cognito's lifetimes by default: an hour for ID and access tokens, 30 days for the refresh token. */
const TOKEN_SECONDS = 3600;
const REFRESH_SECONDS = 30 * 86_400;

/** What the provider needs of the users: the local user directory has it. */
export interface SignInUsers {
  authenticate(email: string, password: string): Promise<LocalUser | undefined>;
  findById(id: string): Promise<LocalUser | undefined>;
}

export interface SignInOptions {
  /** The console server's origin, e.g. `http://localhost:8780`: where sign-in returns to and sign-out lands. */
  consoleOrigin: string;
  users: SignInUsers;
  /** The stack's data folder: keys and sessions are kept there. Without it they live as long as the process. */
  dataDir?: string | undefined;
}

export interface SignIn {
  /** `{consoleOrigin}/oidc`. */
  issuer: string;
  /** `{issuer}/.well-known/openid-configuration`. */
  discoveryUrl: string;
  /** `{issuer}/.well-known/jwks.json`, where Cognito has it: what the API verifies ID tokens with. */
  jwksUrl: string;
  /** What the console serves as /config.json. */
  config: ConsoleConfig;
  /** Whether a request path (`req.url`) is the provider's: `/oidc` and everything under it. */
  handles(url: string): boolean;
  /** Answers a request whose `req.url` `handles`, as the console server received it (the /oidc prefix kept). */
  listener: RequestListener;
  /** Waits until the sessions are written to the data folder. */
  close(): Promise<void>;
}

export async function createSignIn(options: SignInOptions): Promise<SignIn> {
  const consoleOrigin = new URL(options.consoleOrigin).origin;
  const issuer = `${consoleOrigin}${SIGN_IN_PATH}`;
  const home = `${consoleOrigin}/`;
  const keys = await signInKeys(options.dataDir);
  const store = await signInStore(options.dataDir ? join(options.dataDir, 'sign-in-sessions.json') : undefined);
  const { users } = options;
  const send = (ctx: KoaContextWithOIDC, page: Page) => {
    ctx.status = page.status;
    ctx.set(page.headers);
    ctx.body = page.body;
  };

  const configuration: Configuration = {
    adapter: store.adapter,
    clients: [
      {
        client_id: LOCAL_CLIENT_ID,
        client_name: 'CSP Move Planner',
        token_endpoint_auth_method: 'none',
        application_type: 'web',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: [home],
        post_logout_redirect_uris: [home],
      },
    ],
    responseTypes: ['code'],
    pkce: { required: () => true },
    jwks: { keys: [keys.signing] },
    cookies: { keys: keys.cookies },
    scopes: ['openid', 'email', 'profile', 'offline_access'],
    claims: {
      openid: ['sub', 'email', 'email_verified', PARTNER_CLAIM, 'cognito:username', 'token_use'],
      email: ['email', 'email_verified'],
    },
    // Cognito puts the user's attributes in the ID token of the code flow too, not only in userinfo.
    conformIdTokenClaims: false,
    // The web app is served from the issuer's own origin: no other origin calls the provider.
    clientBasedCORS: (_ctx, origin) => origin === consoleOrigin,
    async findAccount(_ctx, sub) {
      // A user removed since signing in is unknown now: no token, no refresh.
      const user = await users.findById(sub);
      if (!user) return undefined;
      return {
        accountId: user.id,
        claims: (use) => ({
          sub: user.id,
          email: user.email,
          email_verified: true,
          [PARTNER_CLAIM]: user.partnerId,
          // The pool signs in by e-mail, so Cognito's user name is the user's id.
          'cognito:username': user.id,
          ...(use === 'id_token' ? { token_use: 'id' } : {}),
        }),
      };
    },
    // The console is a first-party client: signing in is consenting, as with Cognito's managed login.
    async loadExistingGrant(ctx) {
      const { Grant } = ctx.oidc.provider;
      const session = ctx.oidc.session!;
      const client = ctx.oidc.client!;
      const grantId = ctx.oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId);
      const existing = grantId ? await Grant.find(grantId) : undefined;
      if (existing) return existing;
      if (!session.accountId) return undefined;
      const grant = new Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope(ctx.oidc.requestParamScopes ? [...ctx.oidc.requestParamScopes].join(' ') : SIGN_IN_SCOPE);
      await grant.save();
      return grant;
    },
    // Cognito gives a refresh token with every code exchange; no offline_access scope needed.
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    ttl: {
      AccessToken: TOKEN_SECONDS,
      IdToken: TOKEN_SECONDS,
      AuthorizationCode: 300,
      Interaction: 3600,
      RefreshToken: REFRESH_SECONDS,
      Grant: REFRESH_SECONDS,
      Session: REFRESH_SECONDS,
    },
    interactions: { url: (_ctx, interaction) => `${SIGN_IN_PATH}/interaction/${interaction.uid}` },
    routes: {
      // Cognito's paths, where the two have the same endpoint.
      jwks: '/.well-known/jwks.json',
      authorization: '/oauth2/authorize',
      token: '/oauth2/token',
      userinfo: '/oauth2/userInfo',
      revocation: '/oauth2/revoke',
    },
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => send(ctx, signOutPage(form, { consoleOrigin, script: `${SIGN_IN_PATH}/sign-out.js` })),
        postLogoutSuccessSource: (ctx) => send(ctx, signedOutPage({ consoleOrigin })),
      },
    },
    renderError: (ctx, out) =>
      send(ctx, errorPage(Math.max(ctx.status, 400), 'Sign-in cannot go on', out.error_description ?? out.error, { consoleOrigin })),
  };
  const { default: Provider, errors } = await loadOidcProvider();
  const provider = new Provider(issuer, configuration);
  const callback = provider.callback();

  async function interaction(req: IncomingMessage, res: ServerResponse, uid: string, action: string | undefined): Promise<void> {
    const reply = (page: Page) => res.writeHead(page.status, page.headers).end(page.body);
    let details: Awaited<ReturnType<typeof provider.interactionDetails>>;
    try {
      details = await provider.interactionDetails(req, res);
    } catch (error) {
      if (!(error instanceof errors.SessionNotFound)) throw error;
      reply(errorPage(400, 'This sign-in has expired', 'Open the console again to sign in.', { consoleOrigin }));
      return;
    }
    if (details.uid !== uid) {
      reply(errorPage(400, 'This sign-in has expired', 'Open the console again to sign in.', { consoleOrigin }));
      return;
    }
    const formAction = `${SIGN_IN_PATH}/interaction/${uid}/login`;
    if (details.prompt.name === 'consent' && details.session?.accountId) {
      // loadExistingGrant grants it before this prompt shows; should it show, signing in is consenting.
      const grant = new provider.Grant({ clientId: LOCAL_CLIENT_ID, accountId: details.session.accountId });
      grant.addOIDCScope(String(details.params.scope ?? SIGN_IN_SCOPE));
      await provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
      return;
    }
    if (details.prompt.name !== 'login') {
      reply(errorPage(400, 'This sign-in cannot go on', 'Open the console again to sign in.', { consoleOrigin }));
      return;
    }
    if (req.method === 'GET' && action === undefined) {
      const hint = typeof details.params.login_hint === 'string' ? details.params.login_hint : undefined;
      reply(signInPage({ action: formAction, email: hint, consoleOrigin }));
      return;
    }
    if (req.method !== 'POST' || action !== 'login') {
      res.writeHead(405, { allow: 'GET, POST' }).end();
      return;
    }
    const form = new URLSearchParams(await readBody(req));
    const email = form.get('email')?.trim() ?? '';
    const password = form.get('password') ?? '';
    const problems = {
      email:
        email === ''
          ? 'Enter your e-mail address.'
          : normalizeEmail(email)
            ? undefined
            : 'Enter an e-mail address such as name@example.com.',
      password: password === '' ? 'Enter your password.' : undefined,
    };
    if (problems.email || problems.password) {
      reply(signInPage({ action: formAction, email, errors: problems, consoleOrigin }));
      return;
    }
    const user = await users.authenticate(email, password);
    if (!user) {
      reply(
        signInPage({ action: formAction, email, errors: { password: 'The e-mail address or the password is not right.' }, consoleOrigin }),
      );
      return;
    }
    await provider.interactionFinished(req, res, { login: { accountId: user.id, amr: ['pwd'] } }, { mergeWithLastSubmission: false });
  }

  const listener: RequestListener = (req, res) => {
    const url = req.url ?? '/';
    const path = url.slice(SIGN_IN_PATH.length) || '/';
    const pathname = path.split('?')[0]!;
    const match = /^\/interaction\/([\w-]+)(?:\/(login))?$/.exec(pathname);
    if (match) {
      interaction(req, res, match[1]!, match[2]).catch((error: unknown) => {
        if (!res.headersSent) {
          const page =
            error instanceof FormTooLarge
              ? errorPage(413, 'The form is too large', 'Go back and sign in with your e-mail address and password.', { consoleOrigin })
              : errorPage(500, 'Sign-in failed', (error as Error).message, { consoleOrigin });
          res.writeHead(page.status, page.headers).end(page.body);
        } else res.end();
      });
      return;
    }
    if (pathname === '/sign-out.js' && (req.method === 'GET' || req.method === 'HEAD')) {
      res
        .writeHead(200, {
          'content-type': 'text/javascript; charset=utf-8',
          'cache-control': 'no-cache',
          'x-content-type-options': 'nosniff',
        })
        .end(req.method === 'HEAD' ? undefined : SIGN_OUT_SCRIPT);
      return;
    }
    // Mounted as Express mounts it: the provider sees its own path, and the full one in originalUrl.
    (req as IncomingMessage & { originalUrl?: string }).originalUrl = url;
    req.url = path;
    void callback(req, res);
  };

  return {
    issuer,
    discoveryUrl: `${issuer}/.well-known/openid-configuration`,
    jwksUrl: `${issuer}/.well-known/jwks.json`,
    config: {
      authority: issuer,
      clientId: LOCAL_CLIENT_ID,
      redirectUri: home,
      postLogoutRedirectUri: home,
      scope: SIGN_IN_SCOPE,
    },
    handles: (url) => url === SIGN_IN_PATH || url.startsWith(`${SIGN_IN_PATH}/`) || url.startsWith(`${SIGN_IN_PATH}?`),
    listener,
    close: () => store.flush(),
  };
}

/** The largest form read: an e-mail address and a password. */
const MAX_BODY = 16 * 1024;

class FormTooLarge extends Error {}

async function readBody(req: IncomingMessage): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new FormTooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

interface Keys {
  signing: JWK;
  cookies: string[];
}

/**
 * The ID-token signing key (RS256, as Cognito's) and the cookie keys: made on first use and, with
 * a data folder, kept there (mode 0600), so tokens and cookies already given out stay valid.
 */
async function signInKeys(dataDir: string | undefined): Promise<Keys> {
  const file = dataDir ? join(dataDir, 'sign-in-keys.json') : undefined;
  if (file) {
    try {
      return JSON.parse(await readFile(file, 'utf8')) as Keys;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' }) as JWK;
  const keys: Keys = {
    signing: { ...jwk, kid: await calculateJwkThumbprint(jwk), alg: 'RS256', use: 'sig' },
    cookies: [randomBytes(32).toString('base64url')],
  };
  if (file) {
    await mkdir(dataDir!, { recursive: true });
    await writeFile(file, JSON.stringify(keys), { mode: 0o600 });
  }
  return keys;
}
