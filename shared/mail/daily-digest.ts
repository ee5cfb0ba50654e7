/**
 * The daily digest: one e-mail per partner per day with everything due that day — invitations
 * to send (overdue first), subscriptions to provision today, and expiry reminders worded by
 * what the partner must do now. Empty sections are left out.
 */
import type { Risk } from '../domain/risk.js';
import {
  address,
  badge,
  bullets,
  button,
  COLOR,
  count,
  day,
  daysPhrase,
  finishSubject,
  h,
  id,
  link,
  type MailContent,
  NO_SPACING,
  nameLink,
  type Part,
  p,
  pageLine,
  partnerFooter,
  plural,
  prose,
  RISK_INFO,
  renderMail,
  safeUrl,
  section,
  small,
  t,
  table,
  withConsoleButton,
} from './layout.js';

export type ExpiryState = 'turn_off_auto_renew' | 'provision' | 'let_expire';

/** A move a digest lists: what to provision in CSP, for whom, in place of which subscription. */
export interface MoveRow {
  customerName: string;
  subscriptionId: string;
  customerId?: string;
  offer: string;
  targetOffer: string;
  seats: number;
  actions?: RowAction[];
  /** The customer's page in the console, where the deployment has one. */
  page?: string;
}

/** A one-click action on a row: a signed link to a confirmation page. */
export interface RowAction {
  label: string;
  url: string;
}

export interface DailyDigestModel {
  partnerId: string;
  partnerName?: string;
  date: string /* ISO, the simulated/real day */;
  invitations: {
    customerId: string;
    customerName: string;
    inviteBy: string;
    overdue: boolean;
    subscriptions: number;
    firstMove: string;
    contactEmail?: string;
    actions?: RowAction[];
    /** The customer's page in the console, where the deployment has one. */
    page?: string;
  }[];
  expiries: {
    customerName: string;
    subscriptionId: string;
    offer: string;
    targetOffer: string;
    seats: number;
    endDate: string;
    moveOn?: string;
    daysBefore: number;
    /** What the partner must do now, which decides the wording. */
    state: ExpiryState;
    risk: Risk;
  }[];
  /** Moves scheduled for this very day, of customers who accepted the reseller relationship. */
  movesToday: MoveRow[];
  /** Moves scheduled for this day that cannot happen: the customer has not accepted the invitation. */
  blockedMoves: (MoveRow & { endDate: string })[];
  resellerLink?: string;
  /** The console's home page, where the deployment has a console. */
  consoleUrl?: string;
}

type Invitation = DailyDigestModel['invitations'][number];
type Expiry = DailyDigestModel['expiries'][number];
type Move = DailyDigestModel['movesToday'][number];
type BlockedMove = DailyDigestModel['blockedMoves'][number];

export function renderDailyDigest(m: DailyDigestModel): MailContent {
  const overdue = m.invitations.filter((i) => i.overdue).length;
  const parts = [
    m.invitations.length
      ? `${plural(m.invitations.length, 'invitation', 'invitations')}${overdue ? ` (${count(overdue)} overdue)` : ''}`
      : '',
    m.expiries.length ? plural(m.expiries.length, 'expiry reminder', 'expiry reminders') : '',
    m.movesToday.length ? `${plural(m.movesToday.length, 'move', 'moves')} today` : '',
    m.blockedMoves.length ? `${plural(m.blockedMoves.length, 'move', 'moves')} blocked` : '',
  ].filter(Boolean);
  const summary = parts.length ? parts.join(', ') : 'nothing due';
  const subject = finishSubject(`CSP moves for ${t(m.date)}: ${summary}`);

  const sections = [
    invitationsSection(m),
    movesTodaySection(m.movesToday),
    blockedSection(m.blockedMoves),
    expiriesSection(m.expiries),
  ].filter((s): s is Part => s !== undefined);
  const due: Part = parts.length
    ? { html: p(`Due today: <strong>${summary}</strong>.`), text: `Due today: ${summary}.` }
    : { html: p('Nothing is due today.'), text: 'Nothing is due today.' };
  const intro = withConsoleButton(due, m.consoleUrl);

  return renderMail({
    subject,
    preheader: `Due today: ${summary}.`,
    heading: `CSP moves for ${t(m.date)}`,
    intro,
    sections,
    footer: partnerFooter(m.partnerName, m.partnerId),
  });
}

// ---------------------------------------------------------------- invitations

function byUrgency(a: Invitation, b: Invitation): number {
  return Number(b.overdue) - Number(a.overdue) || a.inviteBy.localeCompare(b.inviteBy) || a.customerName.localeCompare(b.customerName);
}

function invitationsSection(m: DailyDigestModel): Part | undefined {
  if (m.invitations.length === 0) return undefined;
  const list = [...m.invitations].sort(byUrgency);
  const url = safeUrl(m.resellerLink);
  const accepts = 'a Global administrator of their tenant accepts it and the Microsoft Customer Agreement.';
  const how = url
    ? `Send each customer your reseller relationship link; ${accepts}`
    : `Send each customer your reseller relationship request (Partner Center > Customers > Request a reseller relationship); ${accepts}`;
  const howHtml = url ? p(how) + button(url, 'Your reseller relationship link') + small(`Or copy it: ${link(url)}`) : p(how);
  const howText = url ? `${how}\nLink: ${t(url)}` : how;

  const rows = list.map((i) => [
    nameLink(i.customerName, i.page, true) +
      '<br>' +
      `<span style="color:${COLOR.muted};font-size:12px">${id(i.customerId)}${i.contactEmail ? `<br>${address(i.contactEmail)}` : ''}</span>` +
      actionLinks(i.actions),
    i.overdue ? badge(`Overdue since ${h(i.inviteBy)}`, COLOR.danger, COLOR.dangerBg) : day(`by ${i.inviteBy}`),
    count(i.subscriptions),
    day(i.firstMove),
  ]);
  const html =
    howHtml + table([{ label: 'Customer' }, { label: 'Invite' }, { label: 'Subscriptions', numeric: true }, { label: 'First move' }], rows);
  const text =
    `${howText}\n` +
    bullets(
      list.map((i) => {
        const when = i.overdue ? `OVERDUE since ${t(i.inviteBy)}` : `by ${t(i.inviteBy)}`;
        const contact = i.contactEmail ? `, contact ${t(i.contactEmail)}` : '';
        const subscriptions = plural(i.subscriptions, 'subscription', 'subscriptions');
        return `${when}: ${t(i.customerName)} (${t(i.customerId)}${contact}), ${subscriptions}, first move ${t(i.firstMove)}${pageLine(i.page)}${actionLines(i.actions)}`;
      }),
    );
  return section(`Invitations to send (${count(list.length)})`, { html, text });
}

/** A row's one-click actions, under its first cell: small links, each opening a confirmation page. */
function actionLinks(actions: RowAction[] | undefined): string {
  if (!actions?.length) return '';
  const links = actions.map(
    (a) =>
      `<a href="${h(a.url)}" style="color:${COLOR.link};font-weight:600;white-space:nowrap;text-decoration:underline">${h(a.label)}</a>`,
  );
  return `<br><span style="font-size:12px;line-height:2">Record: ${links.join(' · ')}</span>`;
}

function actionLines(actions: RowAction[] | undefined): string {
  return (actions ?? []).map((a) => `\n  ${a.label}: ${a.url}`).join('');
}

// ---------------------------------------------------------------- moves today

function movesTodaySection(moves: Move[]): Part | undefined {
  if (moves.length === 0) return undefined;
  const list = [...moves].sort((a, b) => a.customerName.localeCompare(b.customerName) || a.subscriptionId.localeCompare(b.subscriptionId));
  const changed = list.some((mv) => mv.targetOffer !== mv.offer);
  const intro =
    'Provision these in CSP today, then let the legacy subscriptions expire on their end dates (do not cancel them: no refunds).';
  const rows = list.map((mv) => [
    nameLink(mv.customerName, mv.page) + actionLinks(mv.actions),
    id(mv.subscriptionId),
    mv.targetOffer === mv.offer
      ? h(mv.targetOffer)
      : `${h(mv.targetOffer)}<br><span style="color:${COLOR.muted};font-size:12px">replaces ${h(mv.offer)}</span>`,
    count(mv.seats),
  ]);
  const note = 'Where the offer changes, reassign licenses (admin center > Replace) and back up data if the new plan has fewer services.';
  const html =
    p(intro) +
    table(
      [{ label: 'Customer' }, { label: 'Legacy subscription' }, { label: 'Provision in CSP' }, { label: 'Seats', numeric: true }],
      rows,
    ) +
    (changed ? small(note) : '');
  const text =
    `${intro}\n` +
    bullets(
      list.map(
        (mv) =>
          `Provision ${t(mv.targetOffer)} × ${count(mv.seats)} for ${t(mv.customerName)} ` +
          `(legacy ${t(mv.subscriptionId)}${mv.targetOffer === mv.offer ? '' : `, replaces ${t(mv.offer)}`})${pageLine(mv.page)}${actionLines(mv.actions)}`,
      ),
    ) +
    (changed ? `\n${note}` : '');
  return section(`Moves today (${count(list.length)})`, { html, text });
}

// ---------------------------------------------------------------- moves blocked

function blockedSection(moves: BlockedMove[]): Part | undefined {
  if (moves.length === 0) return undefined;
  const list = [...moves].sort((a, b) => a.customerName.localeCompare(b.customerName) || a.subscriptionId.localeCompare(b.subscriptionId));
  const intro =
    'These were planned for today, but their customers have not accepted your reseller relationship request, so they ' +
    'cannot be provisioned yet. Get each invitation accepted first; until then the move is at risk. If a customer has ' +
    'accepted, record it: its "Accepted" link below, or invitation_status accepted in plan.csv uploaded again.';
  const rows = list.map((mv) => [
    nameLink(mv.customerName, mv.page) + actionLinks(mv.actions),
    id(mv.subscriptionId),
    h(mv.targetOffer),
    count(mv.seats),
    day(mv.endDate),
  ]);
  const html =
    p(prose(intro)) +
    table(
      [
        { label: 'Customer' },
        { label: 'Legacy subscription' },
        { label: 'To provision' },
        { label: 'Seats', numeric: true },
        { label: 'End date' },
      ],
      rows,
    );
  const text =
    `${intro}\n` +
    bullets(
      list.map(
        (mv) =>
          `Blocked: ${t(mv.targetOffer)} × ${count(mv.seats)} for ${t(mv.customerName)} (legacy ${t(mv.subscriptionId)}, end date ${t(mv.endDate)})${pageLine(mv.page)}${actionLines(mv.actions)}`,
      ),
    );
  return section(`Moves blocked: invitation not accepted (${count(list.length)})`, { html, text });
}

// ---------------------------------------------------------------- expiry reminders

/** The action sentence for a reminder, in text form (pieces through `t`) or HTML (through `prose`). */
function action(e: Expiry, f: (s: string) => string, strong: (s: string) => string): string {
  switch (e.state) {
    case 'turn_off_auto_renew':
      return (
        `Turn off auto-renew on ${strong(`${f(e.offer)} (${f(e.subscriptionId)})`)} before ${strong(f(e.endDate))}, ` +
        `or it renews for another full term.`
      );
    case 'provision':
      return e.moveOn
        ? `Provision ${strong(`${f(e.targetOffer)} × ${count(e.seats)}`)} in CSP on ${strong(f(e.moveOn))}.`
        : `Provision ${strong(`${f(e.targetOffer)} × ${count(e.seats)}`)} in CSP before ${strong(f(e.endDate))}.`;
    case 'let_expire':
      return `Provisioned in CSP: let the legacy subscription expire on ${strong(f(e.endDate))} — do not cancel (no refund).`;
    default:
      // A state this template does not know (newer data): still say what and when.
      return `Check ${strong(`${f(e.offer)} (${f(e.subscriptionId)})`)} before ${strong(f(e.endDate))}.`;
  }
}

function details(e: Expiry, f: (s: string) => string): string {
  const offer = e.state === 'provision' && e.targetOffer !== e.offer ? `replaces ${f(e.offer)}` : f(e.offer);
  const seats = plural(e.seats, 'seat', 'seats');
  return `${f(e.customerName)} · ${f(e.subscriptionId)} · ${offer} · ${seats} · ${daysPhrase(e.daysBefore)} (${f(e.endDate)})`;
}

const RISK_NOTE: Record<Risk, string> = {
  ok: '',
  at_risk: 'At risk: not enough lead time',
  expired_grace: 'Expired, in grace: move now',
  lapsed: 'Lapsed: past grace',
  ineligible: 'Ineligible: cannot be moved',
};

function expiriesSection(expiries: Expiry[]): Part | undefined {
  if (expiries.length === 0) return undefined;
  const list = [...expiries].sort(
    (a, b) =>
      a.endDate.localeCompare(b.endDate) ||
      a.customerName.localeCompare(b.customerName) ||
      a.subscriptionId.localeCompare(b.subscriptionId),
  );
  const items = list.map((e) => {
    const risk = RISK_NOTE[e.risk] ?? '';
    const riskHtml = risk ? ` ${badge(risk, RISK_INFO[e.risk].color, '#f6f8fa')}` : '';
    const reassign =
      e.state === 'provision' && e.targetOffer !== e.offer
        ? `<br><span style="color:${COLOR.muted};font-size:12px">Different offer: reassign licenses (admin center > Replace).</span>`
        : '';
    return (
      `<tr><td data-state="${h(String(e.state))}" ` +
      `style="padding:8px 0;border-bottom:1px solid ${COLOR.rule};font-size:14px;line-height:1.45">` +
      `${action(e, prose, (s) => `<strong>${s}</strong>`)}${riskHtml}<br>` +
      `<span style="color:${COLOR.muted};font-size:12px">${details(e, prose)}</span>${reassign}</td></tr>`
    );
  });
  const html =
    `<table role="presentation" width="100%" ${NO_SPACING} style="width:100%;border-collapse:collapse;margin:0 0 12px">\n` +
    `${items.join('\n')}\n</table>`;
  const text = bullets(
    list.map((e) => {
      const risk = RISK_NOTE[e.risk] ? ` [${RISK_NOTE[e.risk]}]` : '';
      const reassign =
        e.state === 'provision' && e.targetOffer !== e.offer ? '\n  Different offer: reassign licenses (admin center > Replace).' : '';
      return `${action(e, t, (s) => s)}${risk}\n  ${details(e, t)}${reassign}`;
    }),
  );
  return section(`Expiry reminders (${count(list.length)})`, { html, text });
}
