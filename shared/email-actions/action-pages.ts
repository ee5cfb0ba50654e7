/**
 * The pages an action link opens: a confirmation with one button (the only thing that changes
 * anything is its POST), what was recorded, or why the link cannot be used. Every value is
 * escaped; the one style sheet is allowed by its hash, so the page runs under a CSP with no
 * inline script or style exception.
 */
import { createHash } from 'node:crypto';
import { escapeHtml as h, idHtml, keepWhole } from '../report/escape.js';
import type { ActionItem, ActionView, RefusalReason } from './action-view.js';

/** How long a link in a digest works. */
export const LINK_LIFETIME_DAYS = 30;

export interface Page {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const STYLE = `
body{margin:0;background:#f6f8fa;color:#1f2328;font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif}
main{max-width:560px;margin:40px auto;padding:24px;background:#fff;border:1px solid #d0d7de;border-radius:8px}
h1{font-size:22px;line-height:1.3;margin:0 0 12px}
p{margin:0 0 12px}
dl{display:grid;grid-template-columns:max-content 1fr;gap:6px 16px;margin:16px 0;padding:12px 16px;background:#f6f8fa;border-radius:6px}
dt{color:#59636e}dd{margin:0;overflow-wrap:anywhere}
button{font:inherit;font-weight:600;color:#fff;background:#0b5cad;border:0;border-radius:6px;padding:10px 20px;cursor:pointer}
button:focus-visible{outline:3px solid #1f2328;outline-offset:2px}
.note{color:#59636e;font-size:14px}
.day{white-space:nowrap}
.id{overflow-wrap:normal;word-break:normal}
.ok{border-left:4px solid #1a7f37;padding-left:12px}
.refused{border-left:4px solid #c62828;padding-left:12px}
@media (max-width:600px){body{background:#fff}main{margin:0;border:0;border-radius:0;padding:20px 16px}dl{grid-template-columns:1fr}dt{margin-top:6px}}
`;
const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');

/** No script at all; the form may only post back here; never framed; the token never leaves in a Referer. */
const HEADERS: Record<string, string> = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
};

const STATE_WORDS: Record<string, string> = {
  not_sent: 'not sent',
  sent: 'sent',
  accepted: 'accepted',
  planned: 'planned, not provisioned',
  provisioned: 'provisioned in CSP',
  done: 'done (the legacy subscription ended)',
  excluded: 'excluded from the move',
};

const REFUSALS: Record<RefusalReason, { status: number; title: string; text: string }> = {
  invalid: {
    status: 400,
    title: 'This link is not valid',
    text: 'It may have been cut short or changed when it was copied. Open it again from the e-mail.',
  },
  expired: {
    status: 410,
    title: 'This link has expired',
    text: `Action links work for ${LINK_LIFETIME_DAYS} days. The latest daily digest has fresh ones.`,
  },
  not_found: {
    status: 404,
    title: 'This is no longer in the plan',
    text: 'A newer upload no longer lists this customer or subscription, so the link has nothing to change.',
  },
  unavailable: {
    status: 503,
    title: 'Action links are not set up here',
    text: 'This deployment has no key to check links with.',
  },
};

const CLI_HINT = 'You can also record a change with <code>cspmove status set</code>.';

export function renderActionPage(view: ActionView, token: string): Page {
  switch (view.kind) {
    case 'refused': {
      const r = REFUSALS[view.reason];
      return page(
        r.status,
        r.title,
        `<div class="refused"><p>${h(r.text)}</p><p><strong>Nothing was changed.</strong></p></div><p class="note">${CLI_HINT}</p>`,
      );
    }
    case 'confirm':
      return page(
        200,
        question(view.item),
        `${details(view.item, view.current, view.effective)}` +
          `<form method="post"><input type="hidden" name="token" value="${h(token)}"><button type="submit">${h(buttonLabel(view.item))}</button></form>` +
          `<p class="note">Nothing changes until you press the button. This link works until ${day(view.expiresAt.toISOString().slice(0, 10))}.</p>`,
      );
    case 'done':
      return page(
        200,
        view.recorded ? 'Recorded' : 'Already recorded',
        `<div class="ok"><p>${done(view.item, view.effective)}</p></div><p>${h(next(view.item))}</p>`,
      );
    case 'moved_on':
      return page(
        409,
        'Nothing to change',
        `<div class="refused"><p>${h(subjectName(view.item))} is ${h(STATE_WORDS[view.current] ?? view.current)} already: ` +
          `this link would take it a step back, so it changes nothing.</p></div>` +
          `<p class="note">To correct a status on purpose, use <code>cspmove status set --force</code>.</p>`,
      );
  }
}

export function methodNotAllowed(): Page {
  const p = page(
    405,
    'Open this link from the e-mail',
    '<p>This address answers links opened in a browser, and their confirmation button.</p>',
  );
  return { ...p, headers: { ...p.headers, allow: 'GET, HEAD, POST' } };
}

function page(status: number, title: string, body: string): Page {
  const html =
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<meta name="robots" content="noindex"><title>${h(title)} · CSP Move Planner</title><style>${STYLE}</style></head>` +
    `<body><main><h1>${h(title)}</h1>${body}</main></body></html>`;
  return { status, headers: HEADERS, body: html };
}

/** Dates and codes never wrap; a GUID wraps at its hyphens only. */
function day(value: string): string {
  return keepWhole(value, '<span class="day">');
}

function subjectName(item: ActionItem): string {
  return item.subscription ? `Subscription ${item.subscription.id} of ${item.customerName}` : `${possessive(item.customerName)} invitation`;
}

/** "Contoso's", "Northwind Traders'". */
function possessive(name: string): string {
  return /s$/i.test(name) ? `${name}'` : `${name}'s`;
}

function question(item: ActionItem): string {
  switch (item.action) {
    case 'sent':
      return `Did you send ${item.customerName} the invitation?`;
    case 'accepted':
      return `Has ${item.customerName} accepted the invitation?`;
    case 'provisioned':
      return `Is ${possessive(item.customerName)} subscription provisioned in CSP?`;
  }
}

function buttonLabel(item: ActionItem): string {
  switch (item.action) {
    case 'sent':
      return 'Yes, I sent it';
    case 'accepted':
      return 'Yes, it is accepted';
    case 'provisioned':
      return 'Yes, it is provisioned';
  }
}

function details(item: ActionItem, current: string, effective: string): string {
  const rows: [string, string][] = [
    ['Partner', h(item.partnerName)],
    ['Customer', h(item.customerName)],
  ];
  if (item.subscription) {
    const s = item.subscription;
    rows.push(
      ['Legacy subscription', `${idHtml(s.id, '<span class="id">')} (${h(s.offer)})`],
      ['In CSP', h(`${s.targetOffer} × ${s.seats}`)],
    );
  }
  rows.push(
    ['Now', h(STATE_WORDS[current] ?? current)],
    ['Becomes', `${h(STATE_WORDS[item.action] ?? item.action)}, on ${day(effective)}`],
  );
  return `<dl>${rows.map(([k, v]) => `<dt>${h(k)}</dt><dd>${v}</dd>`).join('')}</dl>`;
}

function done(item: ActionItem, effective: string | undefined): string {
  const on = effective ? ` on <strong class="day">${h(effective)}</strong>` : '';
  switch (item.action) {
    case 'sent':
      return `You sent <strong>${h(item.customerName)}</strong> the reseller relationship invitation${on}.`;
    case 'accepted':
      return `<strong>${h(item.customerName)}</strong> accepted your reseller relationship${on}.`;
    case 'provisioned': {
      const s = item.subscription!;
      return `<strong>${h(`${s.targetOffer} × ${s.seats}`)}</strong> for ${h(item.customerName)} is provisioned in CSP${on}.`;
    }
  }
}

function next(item: ActionItem): string {
  switch (item.action) {
    case 'sent':
      return 'The digests keep reminding you of it until the customer accepts.';
    case 'accepted':
      return 'Its invitation reminders stop, and its moves are no longer blocked: each shows under "Moves today" on its day.';
    case 'provisioned':
      return `Let the legacy subscription ${item.subscription!.id} expire on its end date. Do not cancel it: cancelled subscriptions are not refunded.`;
  }
}
