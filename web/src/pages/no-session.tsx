/** What shows while no one is signed in: on the way to sign-in, signed out, or a sign-in that failed. */
import { useEffect, useRef } from 'preact/hooks';

export function NoSession({
  kind,
  message,
  onSignIn,
}: {
  kind: 'redirecting' | 'signed-out' | 'failed';
  message?: string | undefined;
  onSignIn?: () => void;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  const title = kind === 'redirecting' ? 'Signing you in…' : kind === 'signed-out' ? 'You have signed out' : 'Sign-in problem';
  useEffect(() => {
    document.title = `${title} · CSP Move Planner`;
  }, [title]);
  return (
    <main id="main" class="no-session">
      <div class="card narrow">
        <p class="brand">CSP Move Planner</p>
        <h1 ref={heading}>{title}</h1>
        {kind === 'redirecting' && <p role="status">Taking you to the sign-in page.</p>}
        {kind === 'signed-out' && <p>Sign in again to open the console.</p>}
        {kind === 'failed' && (
          <p class="notice notice-error" role="alert">
            {message}
          </p>
        )}
        {onSignIn && (
          <button type="button" class="button primary" onClick={onSignIn}>
            Sign in
          </button>
        )}
      </div>
    </main>
  );
}
