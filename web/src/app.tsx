/** The signed-in console: header, skip link, the pages by path, and the announcements region. */

import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { LocationProvider, Route, Router, useLocation } from 'preact-iso';
import type { Me } from '../../shared/console/contract.js';
import { api, type TokenSource } from './api.js';
import type { Auth } from './auth.js';
import { AnnounceContext, useLoad } from './components/ui.js';
import { CustomerPage } from './pages/customer.js';
import { HomePage } from './pages/home.js';
import { NotFoundPage } from './pages/not-found.js';
import { PlanPage } from './pages/plan.js';
import { SettingsPage } from './pages/settings.js';
import { UploadPage } from './pages/upload.js';
import { UploadDetailPage } from './pages/upload-detail.js';
import { UploadsPage } from './pages/uploads.js';

/** The signed-in user as the API client needs it; tells the app when the sign-in has ended. */
export class Session implements TokenSource {
  private onEnded: (() => void) | undefined;

  constructor(
    readonly auth: Auth,
    readonly email: string | undefined,
  ) {}

  idToken(): Promise<string | undefined> {
    return this.auth.idToken();
  }

  renew(): Promise<boolean> {
    return this.auth.renew();
  }

  ended(): void {
    this.onEnded?.();
  }

  whenEnded(listener: () => void): void {
    this.onEnded = listener;
  }
}

const NAV = [
  { href: '/', label: 'Home' },
  { href: '/upload', label: 'Upload' },
  { href: '/plan', label: 'Plan' },
  { href: '/uploads', label: 'Uploads' },
  { href: '/settings', label: 'Settings' },
] as const;

export function App({ session }: { session: Session }) {
  const [ended, setEnded] = useState(false);
  const [announcement, setAnnouncement] = useState('');
  useEffect(() => session.whenEnded(() => setEnded(true)), [session]);
  const announce = useCallback((message: string) => {
    // Cleared first, so the same words said twice are announced twice.
    setAnnouncement('');
    window.setTimeout(() => setAnnouncement(message), 50);
  }, []);
  return (
    <LocationProvider>
      <AnnounceContext.Provider value={announce}>
        <a class="skip-link" href="#main">
          Skip to content
        </a>
        <Header session={session} />
        {ended && (
          <div class="notice notice-error session-ended" role="alert">
            <p>Your sign-in has ended. Sign in again to continue; you come back to this page.</p>
            <button type="button" class="button primary" onClick={() => session.auth.signIn()}>
              Sign in again
            </button>
          </div>
        )}
        <main id="main" tabIndex={-1}>
          <FocusOnNavigation />
          <Router>
            <Route path="/" component={HomePage} />
            <Route path="/upload" component={UploadPage} />
            <Route path="/plan" component={PlanPage} />
            <Route path="/customers/:id" component={CustomerPage} />
            <Route path="/uploads" component={UploadsPage} />
            <Route path="/uploads/:id" component={UploadDetailPage} />
            <Route path="/settings" component={SettingsPage} />
            <Route default component={NotFoundPage} />
          </Router>
        </main>
        <div class="sr-only" role="status" aria-live="polite" aria-atomic="true">
          {announcement}
        </div>
      </AnnounceContext.Provider>
    </LocationProvider>
  );
}

function Header({ session }: { session: Session }) {
  const { path } = useLocation();
  const me = useLoad<Me>('me', () => api.get<Me>('/me'));
  const current = (href: string) => (href === '/' ? path === '/' : path === href || (href === '/plan' && path.startsWith('/customers/')));
  const [signingOut, setSigningOut] = useState(false);
  return (
    <header class="site-header">
      <div class="header-top">
        <a class="brand" href="/">
          CSP Move Planner
        </a>
        <div class="who">
          {me.data && <span class="partner">{me.data.partnerName || me.data.partnerId}</span>}
          <span class="email">{me.data?.email ?? session.email ?? ''}</span>
          <button
            type="button"
            class="button small"
            disabled={signingOut}
            onClick={() => {
              setSigningOut(true);
              void session.auth.signOut();
            }}
          >
            Sign out
          </button>
        </div>
      </div>
      <nav aria-label="Console">
        <ul>
          {NAV.map((item) => (
            <li key={item.href}>
              <a href={item.href} aria-current={current(item.href) ? 'page' : undefined}>
                {item.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
    </header>
  );
}

/** A new page (a new path, not a new query) moves the focus to its heading, as a page load would reset it. */
function FocusOnNavigation() {
  const { path } = useLocation();
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    // After the new page has rendered its heading.
    const timer = window.setTimeout(() => document.getElementById('page-heading')?.focus(), 0);
    return () => window.clearTimeout(timer);
  }, [path]);
  return null;
}
