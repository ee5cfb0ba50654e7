/** The small pieces every page uses: data loading, headings, notices, badges, announcements. */
import type { ComponentChildren } from 'preact';
import { createContext } from 'preact';
import { useCallback, useContext, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../problem.js';
import { INVITATION_WORDS, type InvitationStatus, RISK_INFO, type Risk, STATE_WORDS, type SubscriptionState } from '../words.js';

// ---------------------------------------------------------------- announcements

/** Says a short status out loud (the app's polite live region): "3 changes recorded". */
export const AnnounceContext = createContext<(message: string) => void>(() => {});

export function useAnnounce(): (message: string) => void {
  return useContext(AnnounceContext);
}

// ---------------------------------------------------------------- data

export interface Loaded<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  /** Loads again; the shown data stays until the new answer comes. */
  reload: () => void;
}

/** Loads `load()` whenever `key` changes; an answer to an older key is dropped. */
export function useLoad<T>(key: string, load: () => Promise<T>): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: ApiError; loading: boolean }>({ loading: true });
  const [round, setRound] = useState(0);
  const latest = useRef(0);
  useEffect(() => {
    const call = ++latest.current;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => call === latest.current && setState({ data, loading: false }),
      (error: unknown) => call === latest.current && setState((s) => ({ data: s.data, error: asApiError(error), loading: false })),
    );
  }, [key, round]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

export function asApiError(error: unknown): ApiError {
  return error instanceof ApiError ? error : new ApiError(0, undefined);
}

// ---------------------------------------------------------------- page frame

/** The page's title: its h1 (focused on navigation) and the tab's title. */
export function PageHeading({ children, title }: { children: ComponentChildren; title: string }) {
  useEffect(() => {
    document.title = `${title} · CSP Move Planner`;
  }, [title]);
  return (
    <h1 id="page-heading" tabIndex={-1}>
      {children}
    </h1>
  );
}

export function ErrorNote({ error, children }: { error: ApiError | string | undefined; children?: ComponentChildren }) {
  if (!error) return null;
  return (
    <div class="notice notice-error" role="alert">
      <p>{typeof error === 'string' ? error : error.message}</p>
      {children}
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p class="muted" aria-busy="true">
      Loading {what}…
    </p>
  );
}

// ---------------------------------------------------------------- badges

export function RiskBadge({ risk }: { risk: Risk }) {
  const info = RISK_INFO[risk];
  return (
    // The risk's colour is report.html's, set through the CSSOM (the CSP allows no style attribute).
    <span class={`badge risk risk-${risk}`} title={info.meaning} style={{ '--risk': info.color }}>
      {info.label}
    </span>
  );
}

export function InvitationBadge({ invitation }: { invitation: InvitationStatus }) {
  return <span class={`badge inv-${invitation}`}>{INVITATION_WORDS[invitation] ?? invitation}</span>;
}

export function StateBadge({ state }: { state: SubscriptionState }) {
  return <span class={`badge state-${state}`}>{STATE_WORDS[state] ?? state}</span>;
}

/** A date or code that never breaks across lines. */
export function Day({ value }: { value: string | undefined }) {
  return <span class="nw">{value || '—'}</span>;
}

/** A table wider than the screen scrolls inside this box, which a keyboard can focus to scroll it. */
export function TableScroll({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a box that scrolls must be reachable by keyboard to be scrolled
    <section class="table-wrap" aria-label={label} tabIndex={0}>
      {children}
    </section>
  );
}
