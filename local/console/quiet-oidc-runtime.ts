/**
 * oidc-provider, loaded on first use. It warns on load that it wants Node.js 22, the LTS it is
 * tested on; the local sign-in is a development stand-in for Cognito and works on the Node 20 this
 * project supports, so that line would be noise in `npm start` and `serve`. Loaded here, by a
 * dynamic import (the CLI bundle would hoist a static one above everything), with exactly that
 * line dropped while it loads; and commands that never sign anyone in never load it.
 */
export async function loadOidcProvider(): Promise<typeof import('oidc-provider')> {
  const original = console.warn;
  console.warn = (...args: unknown[]) => {
    // The text may come wrapped in colour codes.
    if (typeof args[0] === 'string' && args[0].includes('oidc-provider WARNING: Unsupported runtime')) return;
    original(...args);
  };
  try {
    return await import('oidc-provider');
  } finally {
    console.warn = original;
  }
}
