/**
 * The local sign-in over HTTP, as the web app's oidc-client-ts and a browser drive it: the
 * authorization code flow with PKCE through the sign-in form, the ID token verified against the
 * JWKS with jose, refresh, sign-out, and what survives a restart with a data folder.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, type JWTPayload, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignIn, LOCAL_CLIENT_ID, SIGN_IN_PATH, type SignIn } from '../../local/console/sign-in.js';
import { LocalUserDirectory, localUsersFile } from '../../local/users/local-user-directory.js';
import { PARTNER_CLAIM } from '../../shared/console/contract.js';

let dataDir: string;
let users: LocalUserDirectory;
let server: Server;
let origin: string;
let signIn: SignIn;
const passwords = new Map<string, string>();

/** The console server, reduced to what sign-in needs: /oidc to the provider, / a stand-in for the web app. */
async function startConsole(port = 0): Promise<void> {
  let current: SignIn | undefined;
  server = createServer((req, res) => {
    if (current?.handles(req.url ?? '/')) return current.listener(req, res);
    res.writeHead(200, { 'content-type': 'text/plain' }).end('the web app');
  });
  await new Promise<void>((resolve) => server.listen(port, resolve));
  origin = `http://localhost:${(server.address() as AddressInfo).port}`;
  current = signIn = await createSignIn({ consoleOrigin: origin, users, dataDir });
}

async function stopConsole(): Promise<void> {
  await signIn.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'cspmove-sign-in-'));
  users = new LocalUserDirectory(localUsersFile(dataDir));
  for (const [partner, email] of [
    ['partner-a', 'ana@contoso.test'],
    ['partner-b', 'bo@fabrikam.test'],
  ] as const) {
    const added = await users.addUser(partner, email);
    if (added.outcome !== 'added' || added.delivery.kind !== 'password') throw new Error('not added');
    passwords.set(email, added.delivery.password);
  }
  await startConsole();
}, 30_000);

afterAll(async () => {
  await stopConsole();
  await rm(dataDir, { recursive: true, force: true });
});

/** A browser's cookies for the console's origin, by path as the provider scopes them. */
class Browser {
  private cookies = new Map<string, { value: string; path: string }>();

  async get(url: string): Promise<Response> {
    return this.send(url, { method: 'GET' });
  }

  async post(url: string, form: Record<string, string>): Promise<Response> {
    return this.send(url, {
      method: 'POST',
      body: new URLSearchParams(form).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  }

  /** Follows redirects on the provider, stops at the first one that leaves it (to the console's redirect URI). */
  async follow(response: Response): Promise<Response> {
    let r = response;
    while (r.status >= 300 && r.status < 400) {
      const next = new URL(r.headers.get('location')!, origin);
      if (!next.pathname.startsWith(SIGN_IN_PATH)) return r;
      r = await this.get(next.href);
    }
    return r;
  }

  private async send(url: string, init: RequestInit): Promise<Response> {
    const target = new URL(url, origin);
    const cookie = [...this.cookies]
      .filter(([, c]) => target.pathname.startsWith(c.path))
      .map(([name, c]) => `${name}=${c.value}`)
      .join('; ');
    const response = await fetch(target, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), ...(cookie ? { cookie } : {}) },
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';').map((s) => s.trim());
      const [name, ...value] = pair!.split('=');
      const path = attributes.find((a) => a.toLowerCase().startsWith('path='))?.slice(5) ?? '/';
      const expired = attributes.some((a) => /^expires=/i.test(a) && new Date(a.slice(8)).getTime() < Date.now());
      if (expired) this.cookies.delete(name!);
      else this.cookies.set(name!, { value: value.join('='), path });
    }
    return response;
  }
}

const base64url = (b: Buffer) => b.toString('base64url');

function authorizeUrl(options: { challenge?: string | undefined; state?: string; nonce?: string } = {}): string {
  const url = new URL(`${signIn.issuer}/oauth2/authorize`);
  url.search = new URLSearchParams({
    client_id: LOCAL_CLIENT_ID,
    redirect_uri: signIn.config.redirectUri,
    response_type: 'code',
    scope: signIn.config.scope,
    state: options.state ?? 'state-1',
    nonce: options.nonce ?? 'nonce-1',
    ...(options.challenge ? { code_challenge: options.challenge, code_challenge_method: 'S256' } : {}),
  }).toString();
  return url.href;
}

function pkce() {
  const verifier = base64url(randomBytes(32));
  return { verifier, challenge: base64url(createHash('sha256').update(verifier).digest()) };
}

/** The form's action on the sign-in page. */
function formAction(html: string): string {
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  if (!action) throw new Error(`no sign-in form in:\n${html}`);
  return action.replaceAll('&amp;', '&');
}

async function token(form: Record<string, string>): Promise<{ status: number; body: Record<string, string> }> {
  const r = await fetch(`${signIn.issuer}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: LOCAL_CLIENT_ID, ...form }).toString(),
  });
  return { status: r.status, body: (await r.json()) as Record<string, string> };
}

async function verify(idToken: string): Promise<JWTPayload> {
  // The JWKS as the API fetches it, from the discovery document's jwks_uri.
  const discovery = (await (await fetch(signIn.discoveryUrl)).json()) as { jwks_uri: string };
  const jwks = createLocalJWKSet(await (await fetch(discovery.jwks_uri)).json());
  const { payload } = await jwtVerify(idToken, jwks, { issuer: signIn.issuer, audience: LOCAL_CLIENT_ID, algorithms: ['RS256'] });
  return payload;
}

/** Signs `email` in from a fresh browser: the code at the redirect URI, exchanged for tokens. */
async function signInAs(email: string, browser = new Browser()) {
  const { verifier, challenge } = pkce();
  const form = await browser.follow(await browser.get(authorizeUrl({ challenge })));
  const done = await browser.follow(await browser.post(formAction(await form.text()), { email, password: passwords.get(email)! }));
  return { browser, tokens: await exchange(done, verifier) };
}

/** The code the provider redirected to the console with, exchanged for tokens. */
async function exchange(redirect: Response, verifier: string): Promise<Record<string, string>> {
  expect(redirect.status).toBe(303);
  const code = new URL(redirect.headers.get('location')!).searchParams.get('code')!;
  const tokens = await token({ grant_type: 'authorization_code', code, redirect_uri: signIn.config.redirectUri, code_verifier: verifier });
  expect(tokens.status).toBe(200);
  return tokens.body;
}

describe('the local sign-in', () => {
  it('publishes a discovery document where Cognito has it, with the JWKS at Cognito’s path and PKCE S256 only', async () => {
    const r = await fetch(signIn.discoveryUrl);
    expect(r.status).toBe(200);
    const d = (await r.json()) as Record<string, unknown>;
    expect(d).toMatchObject({
      issuer: `${origin}/oidc`,
      jwks_uri: `${origin}/oidc/.well-known/jwks.json`,
      authorization_endpoint: `${origin}/oidc/oauth2/authorize`,
      token_endpoint: `${origin}/oidc/oauth2/token`,
      code_challenge_methods_supported: ['S256'],
      response_types_supported: ['code'],
    });
    expect(d.end_session_endpoint).toBe(`${origin}/oidc/session/end`);
    expect(signIn.config).toEqual({
      authority: `${origin}/oidc`,
      clientId: LOCAL_CLIENT_ID,
      redirectUri: `${origin}/`,
      postLogoutRedirectUri: `${origin}/`,
      scope: 'openid email',
    });
  });

  it('signs a user in by code and PKCE: the form refuses a wrong password, the ID token carries the partner', async () => {
    const browser = new Browser();
    const { challenge } = pkce();
    const start = await browser.get(authorizeUrl({ challenge, state: 'st-42', nonce: 'n-42' }));
    expect(start.status).toBe(303);
    const page = await browser.follow(start);
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'none'");
    expect(csp).toContain("form-action 'self'");
    const html = await page.text();
    expect(html).toContain('<label for="email">E-mail address</label>');
    expect(html).toContain('<input id="email" name="email" type="email" autocomplete="username"');
    expect(html).toContain('<label for="password">Password</label>');
    expect(html).toContain('name="viewport" content="width=device-width,initial-scale=1"');
    expect(html).not.toContain('<script');
    const action = formAction(html);

    const wrong = await browser.post(action, { email: 'Ana@Contoso.test', password: 'not-the-password' });
    expect(wrong.status).toBe(200);
    const wrongHtml = await wrong.text();
    expect(wrongHtml).toContain('<p class="error" id="password-error">The e-mail address or the password is not right.</p>');
    expect(wrongHtml).toContain('aria-describedby="password-error"');
    expect(wrongHtml).toContain('role="alert"');
    expect(wrongHtml).toContain('value="Ana@Contoso.test"');

    const empty = await (await browser.post(action, { email: '"><script>alert(1)</script>', password: '' })).text();
    expect(empty).toContain('<p class="error" id="email-error">Enter an e-mail address such as name@example.com.</p>');
    expect(empty).toContain('<p class="error" id="password-error">Enter your password.</p>');
    expect(empty).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(empty).not.toContain('<script');

    const right = await browser.post(action, { email: 'Ana@Contoso.test', password: passwords.get('ana@contoso.test')! });
    expect(right.status).toBe(303);
    const back = await browser.follow(right);
    const redirect = new URL(back.headers.get('location')!);
    expect(`${redirect.origin}${redirect.pathname}`).toBe(`${origin}/`);
    expect(redirect.searchParams.get('state')).toBe('st-42');
    const code = redirect.searchParams.get('code')!;
    expect(code).toBeTruthy();

    const forged = await token({
      grant_type: 'authorization_code',
      code,
      redirect_uri: signIn.config.redirectUri,
      code_verifier: pkce().verifier,
    });
    expect(forged).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });

    // A code tried with a wrong verifier is spent. The browser is signed in now, so a new
    // authorization (as oidc-client-ts's silent renew makes) gets a code without the form.
    const fresh = pkce();
    const tokens = await exchange(await browser.follow(await browser.get(authorizeUrl({ challenge: fresh.challenge }))), fresh.verifier);
    expect(tokens.token_type).toBe('Bearer');
    expect(tokens.refresh_token).toBeTruthy();
    const claims = await verify(tokens.id_token!);
    expect(claims).toMatchObject({
      iss: `${origin}/oidc`,
      aud: LOCAL_CLIENT_ID,
      email: 'ana@contoso.test',
      email_verified: true,
      [PARTNER_CLAIM]: 'partner-a',
      token_use: 'id',
    });
    expect(claims['cognito:username']).toBe(claims.sub);
    expect(claims.exp! - claims.iat!).toBe(3600);
    expect(claims.nonce).toBe('nonce-1');
  });

  it('refuses an authorization request without a code_challenge', async () => {
    const r = await new Browser().get(authorizeUrl({ challenge: undefined, state: 'no-pkce' }));
    expect(r.status).toBe(303);
    const to = new URL(r.headers.get('location')!);
    expect(`${to.origin}${to.pathname}`).toBe(`${origin}/`);
    expect(to.searchParams.get('error')).toBe('invalid_request');
    expect(to.searchParams.get('error_description')).toMatch(/PKCE/);
    expect(to.searchParams.get('code')).toBeNull();
  });

  it('answers a redirect URI that is not the console’s with an error page, not a redirect', async () => {
    const url = new URL(authorizeUrl({ challenge: pkce().challenge }));
    url.searchParams.set('redirect_uri', 'https://elsewhere.example/<b>');
    const r = await new Browser().get(url.href);
    expect(r.status).toBe(400);
    expect(r.headers.get('location')).toBeNull();
    const html = await r.text();
    expect(html).toContain('Sign-in cannot go on');
    expect(html).toContain('redirect_uri');
    expect(html).not.toContain('<b>');
  });

  it('gives a user of partner B partner B in the token, and renews it by refresh token', async () => {
    const { tokens } = await signInAs('bo@fabrikam.test');
    expect(await verify(tokens.id_token!)).toMatchObject({ email: 'bo@fabrikam.test', [PARTNER_CLAIM]: 'partner-b', token_use: 'id' });
    const renewed = await token({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token! });
    expect(renewed.status).toBe(200);
    expect(await verify(renewed.body.id_token!)).toMatchObject({ email: 'bo@fabrikam.test', [PARTNER_CLAIM]: 'partner-b' });
  });

  it('ends the session: sign-out lands on the console, the refresh token is void, the next sign-in asks again', async () => {
    const { browser, tokens } = await signInAs('ana@contoso.test');
    const end = new URL(`${signIn.issuer}/session/end`);
    end.search = new URLSearchParams({
      id_token_hint: tokens.id_token!,
      post_logout_redirect_uri: signIn.config.postLogoutRedirectUri,
      state: 'bye',
    }).toString();
    const confirm = await browser.get(end.href);
    expect(confirm.status).toBe(200);
    expect(confirm.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await confirm.text();
    expect(html).toContain('<script src="/oidc/sign-out.js" defer></script>');
    const script = await fetch(`${origin}/oidc/sign-out.js`);
    expect(await script.text()).toContain("getElementById('sign-out')");
    const action = /<form id="op.logoutForm" method="post" action="([^"]+)"/.exec(html)![1]!;
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)![1]!;
    const out = await browser.post(action, { xsrf, logout: 'yes' });
    expect(out.status).toBe(303);
    const landed = new URL(out.headers.get('location')!);
    expect(`${landed.origin}${landed.pathname}`).toBe(`${origin}/`);
    expect(landed.searchParams.get('state')).toBe('bye');

    expect(await token({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token! })).toMatchObject({
      status: 400,
      body: { error: 'invalid_grant' },
    });
    const again = await browser.get(authorizeUrl({ challenge: pkce().challenge }));
    expect(new URL(again.headers.get('location')!, origin).pathname).toMatch(/^\/oidc\/interaction\//);
  });

  it('signs in nobody once the user is removed, and refuses the removed user’s refresh token', async () => {
    const added = await users.addUser('partner-a', 'leaving@contoso.test');
    if (added.outcome !== 'added' || added.delivery.kind !== 'password') throw new Error('not added');
    passwords.set('leaving@contoso.test', added.delivery.password);
    const { tokens } = await signInAs('leaving@contoso.test');
    expect(await users.removeUser('partner-a', 'leaving@contoso.test')).toEqual({ outcome: 'removed' });
    expect((await token({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token! })).status).toBe(400);
    const browser = new Browser();
    const form = await browser.follow(await browser.get(authorizeUrl({ challenge: pkce().challenge })));
    const refused = await browser.post(formAction(await form.text()), {
      email: 'leaving@contoso.test',
      password: added.delivery.password,
    });
    expect(await refused.text()).toContain('The e-mail address or the password is not right.');
  });

  it('keeps its keys and sessions in the data folder: tokens verify and refresh after a restart', async () => {
    const { tokens } = await signInAs('bo@fabrikam.test');
    for (const file of ['sign-in-keys.json', 'sign-in-sessions.json']) expect((await stat(join(dataDir, file))).mode & 0o777).toBe(0o600);
    const port = Number(new URL(origin).port);
    await stopConsole();
    await startConsole(port);
    expect(await verify(tokens.id_token!)).toMatchObject({ [PARTNER_CLAIM]: 'partner-b' });
    const renewed = await token({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token! });
    expect(renewed.status).toBe(200);
    expect(await verify(renewed.body.id_token!)).toMatchObject({ email: 'bo@fabrikam.test' });
  });
});
