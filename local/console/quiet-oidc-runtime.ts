/**
 * oidc-provider warns on load that it wants Node.js 22, the LTS it is tested on. The local sign-in
 * is a development stand-in for Cognito and works on the Node 20 this project supports, so that
 * one line would be noise in `npm start` and `serve`. Import this module just before oidc-provider:
 * from then on console.warn drops exactly that line (its text may come wrapped in colour codes).
 */
const original = console.warn;
console.warn = (...args: unknown[]) => {
  if (typeof args[0] === 'string' && args[0].includes('oidc-provider WARNING: Unsupported runtime')) return;
  original(...args);
};
