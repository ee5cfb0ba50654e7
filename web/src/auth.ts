/**
 * Sign-in: OpenID Connect authorization code with PKCE (oidc-client-ts), set up from the
 * /config.json served beside the app. The user is kept in sessionStorage (gone with the tab),
 * renewed by its refresh token before it expires. Sign-out goes to the provider's end-session
 * endpoint, or to `signOutUrl` (Cognito's /logout, which its discovery does not announce).
 */
import { UserManager, WebStorageStateStore } from 'oidc-client-ts';
import type { CONFIG_PATH, ConsoleConfig } from '../../shared/console/contract.js';

const CONFIG: typeof CONFIG_PATH = '/config.json';
/** Set on sign-out, so landing back on the app shows "signed out" instead of signing in at once. */
const SIGNED_OUT = 'csp-console.signed-out';

export async function loadConfig(): Promise<ConsoleConfig> {
  const response = await fetch(CONFIG, { cache: 'no-store' });
  if (!response.ok) throw new Error(`${CONFIG} answered HTTP ${response.status}`);
  const config = (await response.json()) as Partial<ConsoleConfig>;
  for (const key of ['authority', 'clientId', 'redirectUri', 'postLogoutRedirectUri', 'scope'] as const) {
    if (typeof config[key] !== 'string' || config[key] === '') throw new Error(`${CONFIG} has no "${key}"`);
  }
  return config as ConsoleConfig;
}

interface SignInState {
  /** The page (path and query) to open once signed in: an e-mail's link survives the sign-in. */
  returnTo: string;
}

export type Start =
  | { kind: 'signed-in'; email: string | undefined }
  /** The sign-in is on its way to the provider: nothing to render but a note. */
  | { kind: 'redirecting' }
  | { kind: 'signed-out' }
  | { kind: 'failed'; message: string };

export class Auth {
  readonly manager: UserManager;

  constructor(private readonly config: ConsoleConfig) {
    this.manager = new UserManager({
      authority: config.authority,
      client_id: config.clientId,
      redirect_uri: config.redirectUri,
      post_logout_redirect_uri: config.postLogoutRedirectUri,
      scope: config.scope,
      response_type: 'code',
      userStore: new WebStorageStateStore({ store: window.sessionStorage }),
      stateStore: new WebStorageStateStore({ store: window.sessionStorage }),
      automaticSilentRenew: true,
      loadUserInfo: false,
    });
  }

  /** Whether this page load is the provider's redirect back (a code, or an error, and our state). */
  private isCallback(): boolean {
    const back = new URL(this.config.redirectUri, window.location.origin);
    const params = new URLSearchParams(window.location.search);
    return window.location.pathname === back.pathname && params.has('state') && (params.has('code') || params.has('error'));
  }

  /** On page load: finish a sign-in, reuse (or renew) a stored one, or start one. */
  async start(): Promise<Start> {
    if (this.isCallback()) {
      try {
        const user = await this.manager.signinRedirectCallback();
        const returnTo = (user.state as SignInState | undefined)?.returnTo;
        window.history.replaceState(null, '', returnTo?.startsWith('/') && !returnTo.startsWith('//') ? returnTo : '/');
        return { kind: 'signed-in', email: emailOf(user.profile) };
      } catch (error) {
        window.history.replaceState(null, '', '/');
        return { kind: 'failed', message: signInProblem(error) };
      }
    }
    let user = await this.manager.getUser();
    if (user?.expired && user.refresh_token) user = await this.manager.signinSilent().catch(() => null);
    if (user && !user.expired) return { kind: 'signed-in', email: emailOf(user.profile) };
    if (window.sessionStorage.getItem(SIGNED_OUT)) return { kind: 'signed-out' };
    await this.signIn();
    return { kind: 'redirecting' };
  }

  /** To the provider's sign-in page; back to the page the user is on. */
  async signIn(): Promise<void> {
    window.sessionStorage.removeItem(SIGNED_OUT);
    const state: SignInState = { returnTo: window.location.pathname + window.location.search };
    await this.manager.signinRedirect({ state });
  }

  async signOut(): Promise<void> {
    window.sessionStorage.setItem(SIGNED_OUT, '1');
    const { signOutUrl } = this.config;
    if (signOutUrl) {
      const url = new URL(signOutUrl);
      // Cognito's /logout takes the app client and where to land; a given URL may carry them already.
      if (!url.searchParams.has('client_id')) url.searchParams.set('client_id', this.config.clientId);
      if (!url.searchParams.has('logout_uri')) url.searchParams.set('logout_uri', this.config.postLogoutRedirectUri);
      await this.manager.removeUser();
      window.location.assign(url.toString());
      return;
    }
    try {
      await this.manager.signoutRedirect();
    } catch {
      // No end-session endpoint: forget the user here, at least.
      await this.manager.removeUser();
      window.location.assign(this.config.postLogoutRedirectUri);
    }
  }

  /** The ID token to send to the API, renewed first when it has expired. */
  async idToken(): Promise<string | undefined> {
    let user = await this.manager.getUser();
    if (user?.expired && user.refresh_token) user = await this.manager.signinSilent().catch(() => null);
    return user && !user.expired ? user.id_token : undefined;
  }

  async renew(): Promise<boolean> {
    const user = await this.manager.getUser();
    if (!user?.refresh_token) return false;
    const renewed = await this.manager.signinSilent().catch(() => null);
    return !!renewed?.id_token;
  }
}

function emailOf(profile: { email?: string | undefined }): string | undefined {
  return typeof profile.email === 'string' ? profile.email : undefined;
}

function signInProblem(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  if (/state/i.test(text)) return 'The sign-in could not be finished: it was started in another tab or took too long.';
  if (/access_denied/i.test(text)) return 'The sign-in was refused.';
  return `The sign-in could not be finished (${text}).`;
}
