/**
 * The local sign-in's pages: the sign-in form, the sign-out step and the error page. Server
 * rendered, every value escaped, no inline script; the one style sheet is allowed by its hash.
 * The sign-out page loads one small script from this origin that presses its button, so signing
 * out takes no extra click (as Cognito's /logout), and the button still works without script.
 */
import { createHash } from 'node:crypto';
import { escapeHtml as h } from '../../shared/report/escape.js';

export interface Page {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const PRODUCT = 'CSP Move Planner';

const STYLE = `
*{box-sizing:border-box}
body{margin:0;background:#f6f8fa;color:#1f2328;font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif}
main{max-width:420px;margin:48px auto;padding:24px;background:#fff;border:1px solid #d0d7de;border-radius:8px}
h1{font-size:22px;line-height:1.3;margin:0 0 16px}
p{margin:0 0 12px}
.field{margin:0 0 16px}
label{display:block;font-weight:600;margin:0 0 4px}
input{display:block;width:100%;font:inherit;padding:8px 10px;border:1px solid #8c959f;border-radius:6px;background:#fff;color:inherit}
input:focus-visible,button:focus-visible,a:focus-visible{outline:3px solid #0b5cad;outline-offset:2px}
input[aria-invalid=true]{border:2px solid #c62828}
.error{color:#b71c1c;font-size:14px;margin:4px 0 0}
.summary{border-left:4px solid #c62828;padding:4px 0 4px 12px;margin:0 0 16px}
.summary ul{margin:4px 0 0;padding-left:20px}
.summary a{color:#b71c1c}
button{font:inherit;font-weight:600;color:#fff;background:#0b5cad;border:0;border-radius:6px;padding:10px 20px;cursor:pointer;width:100%}
.note{color:#59636e;font-size:14px;margin:16px 0 0}
a{color:#0b5cad}
@media (max-width:600px){body{background:#fff}main{margin:0;border:0;border-radius:0;padding:20px 16px}}
`;
const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');

/** The script the sign-out page loads: presses "Sign out", the one thing that ends the session. */
export const SIGN_OUT_SCRIPT = "document.getElementById('sign-out')?.click();\n";

function headers(formOrigin: string, script: boolean): Record<string, string> {
  return {
    'content-type': 'text/html; charset=utf-8',
    // The forms post here; their answers redirect to the console, which is this origin too.
    'content-security-policy':
      `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; script-src ${script ? "'self'" : "'none'"}; ` +
      `form-action 'self' ${formOrigin}; frame-ancestors 'none'; base-uri 'none'`,
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
  };
}

function page(status: number, title: string, body: string, options: { formOrigin: string; script?: string }): Page {
  const script = options.script ? `<script src="${h(options.script)}" defer></script>` : '';
  const html =
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<meta name="robots" content="noindex"><title>${h(title)} · ${PRODUCT}</title><style>${STYLE}</style>${script}</head>` +
    `<body><main><h1>${h(title)}</h1>${body}</main></body></html>`;
  return { status, headers: headers(options.formOrigin, Boolean(options.script)), body: html };
}

export interface SignInForm {
  /** Where the form posts. */
  action: string;
  email?: string | undefined;
  errors?: { email?: string | undefined; password?: string | undefined } | undefined;
  /** The console's origin: where the sign-in ends. */
  consoleOrigin: string;
}

export function signInPage(form: SignInForm): Page {
  const errors = form.errors ?? {};
  const listed = (['email', 'password'] as const).filter((name) => errors[name]);
  const summary =
    listed.length > 0
      ? `<div class="summary" role="alert"><p><strong>${listed.length === 1 ? 'There is a problem' : 'There are problems'}</strong></p><ul>` +
        listed.map((name) => `<li><a href="#${name}">${h(errors[name]!)}</a></li>`).join('') +
        '</ul></div>'
      : '';
  const first = listed[0] ?? 'email';
  const field = (name: 'email' | 'password', label: string, attributes: string) => {
    const error = errors[name];
    return (
      `<div class="field"><label for="${name}">${label}</label>` +
      `<input id="${name}" name="${name}" ${attributes}${first === name ? ' autofocus' : ''}` +
      (error ? ` aria-invalid="true" aria-describedby="${name}-error">` : '>') +
      (error ? `<p class="error" id="${name}-error">${h(error)}</p>` : '') +
      '</div>'
    );
  };
  return page(
    200,
    'Sign in',
    `${summary}<p>Sign in to ${PRODUCT} to see and update your partner's move plan.</p>` +
      `<form method="post" action="${h(form.action)}" novalidate>` +
      field('email', 'E-mail address', `type="email" autocomplete="username" spellcheck="false" value="${h(form.email ?? '')}"`) +
      field('password', 'Password', 'type="password" autocomplete="current-password"') +
      '<button type="submit">Sign in</button></form>' +
      '<p class="note">No account yet? Ask your administrator: they add users (<code>cspmove user add</code>) and give you your password.</p>',
    { formOrigin: form.consoleOrigin },
  );
}

/** `form` is the provider's own form (its action and anti-forgery field); the button submits it with logout=yes. */
export function signOutPage(form: string, options: { consoleOrigin: string; script: string }): Page {
  return page(
    200,
    'Sign out',
    `${form}<p>Signing you out of ${PRODUCT}…</p>` +
      '<button type="submit" id="sign-out" form="op.logoutForm" name="logout" value="yes">Sign out</button>',
    { formOrigin: options.consoleOrigin, script: options.script },
  );
}

export function signedOutPage(options: { consoleOrigin: string }): Page {
  return page(200, 'You are signed out', `<p><a href="${h(`${options.consoleOrigin}/`)}">Sign in again</a></p>`, {
    formOrigin: options.consoleOrigin,
  });
}

export function errorPage(status: number, title: string, text: string, options: { consoleOrigin: string }): Page {
  return page(status, title, `<p>${h(text)}</p><p><a href="${h(`${options.consoleOrigin}/`)}">Back to ${PRODUCT}</a></p>`, {
    formOrigin: options.consoleOrigin,
  });
}
