/** The console's entry: read /config.json, finish or start the sign-in, then render the app. */
import { render } from 'preact';
import { useTokens } from './api.js';
import { App, Session } from './app.js';
import { Auth, loadConfig } from './auth.js';
import { NoSession } from './pages/no-session.js';
import '../styles.css';

async function main(root: HTMLElement): Promise<void> {
  let auth: Auth;
  try {
    auth = new Auth(await loadConfig());
  } catch (error) {
    render(<NoSession kind="failed" message={`The console's settings could not be read: ${String(error)}`} />, root);
    return;
  }
  const start = await auth.start().catch((error: unknown) => ({ kind: 'failed' as const, message: String(error) }));
  if (start.kind === 'redirecting') {
    render(<NoSession kind="redirecting" />, root);
    return;
  }
  if (start.kind !== 'signed-in') {
    render(
      <NoSession kind={start.kind} message={start.kind === 'failed' ? start.message : undefined} onSignIn={() => auth.signIn()} />,
      root,
    );
    return;
  }
  const session = new Session(auth, start.email);
  useTokens(session);
  render(<App session={session} />, root);
}

const root = document.getElementById('app');
if (root) void main(root);
