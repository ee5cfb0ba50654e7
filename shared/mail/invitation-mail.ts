/**
 * The optional e-mail to a customer's admin (partner setting `notify_customers`): what the
 * reseller relationship request is, who must accept it, by when, and what happens next.
 * Written for a customer, not a reseller: no planner jargon, and true on the day it is read —
 * worded by where the customer's subscriptions stand, with a deadline never in the past.
 */
import type { CustomerAccess } from '../domain/tracked-plan.js';
import { escapeHtml } from '../report/escape.js';
import {
  button,
  COLOR,
  callout,
  day,
  finishSubject,
  h,
  link,
  type MailContent,
  type Part,
  p,
  renderMail,
  safeUrl,
  section,
  small,
  t,
} from './layout.js';

export interface InvitationMailModel {
  partnerName: string;
  /** Where the customer can reach the partner (replies go there too). */
  partnerEmail?: string | undefined;
  customerName: string;
  resellerLink: string;
  /** ISO dates. */
  today: string;
  inviteBy: string;
  firstMove: string;
  /** All subscriptions still running, one expired but users keep access, or one whose access has ended. */
  access: CustomerAccess;
  /** The earliest day users lose access (ISO), when known. */
  accessEnd?: string | undefined;
}

export function renderInvitationMail(m: InvitationMailModel): MailContent {
  const partner = { html: h(m.partnerName), text: t(m.partnerName) };
  const customer = { html: h(m.customerName), text: t(m.customerName) };
  // A deadline already passed asks for now instead.
  const soon = m.access !== 'upcoming' || !m.inviteBy || m.inviteBy < m.today;
  const by = soon
    ? { html: 'as soon as possible', text: 'as soon as possible' }
    : { html: `by ${day(m.inviteBy)}`, text: `by ${t(m.inviteBy)}` };
  const byTitle = soon ? 'now' : `by ${t(m.inviteBy)}`;
  const url = safeUrl(m.resellerLink);
  const host = url ? new URL(url).hostname : undefined;

  const subject = finishSubject(`Action needed ${byTitle}: accept ${partner.text} as your Microsoft cloud reseller`);

  const intro: Part = {
    html:
      p(`Hello ${customer.html} administrator,`) +
      p(
        `${partner.html} is moving your Microsoft 365 subscriptions to the Microsoft Cloud Solution Provider (CSP) program. ` +
          `To do that, ${partner.html} has sent your organization a <strong>reseller relationship request</strong>: ` +
          `it lets ${partner.html} buy and manage Microsoft subscriptions for you.`,
      ),
    text:
      `Hello ${customer.text} administrator,\n\n` +
      `${partner.text} is moving your Microsoft 365 subscriptions to the Microsoft Cloud Solution Provider (CSP) program. ` +
      `To do that, ${partner.text} has sent your organization a reseller relationship request: ` +
      `it lets ${partner.text} buy and manage Microsoft subscriptions for you.`,
  };

  const accept = section('What to do', {
    html:
      callout(
        `<strong>Please accept the request ${by.html}.</strong> ` +
          `A <strong>Global administrator</strong> of your Microsoft 365 tenant must open the link, sign in, ` +
          `and accept the reseller relationship and the <strong>Microsoft Customer Agreement</strong>.`,
        '#ddf4ff',
        COLOR.link,
      ) +
      (url
        ? button(url, 'Review and accept the request') +
          small(`The link opens ${escapeHtml(host ?? '')}. If the button does not work, copy this address into your browser: ${link(url)}`)
        : p(`${partner.html} will send you the link separately.`)),
    text:
      `Please accept the request ${by.text}. ` +
      `A Global administrator of your Microsoft 365 tenant must open the link, sign in, ` +
      `and accept the reseller relationship and the Microsoft Customer Agreement.\n` +
      (url ? `Link (opens ${host ?? ''}): ${t(url)}` : `${partner.text} will send you the link separately.`),
  });

  const [steps, stepsHtml] = nextSteps(m, partner);
  const next = section('What happens next', {
    html: `<ol style="margin:0 0 12px;padding-left:20px">${stepsHtml.map((s) => `<li style="margin:0 0 6px">${s}</li>`).join('')}</ol>`,
    text: steps.map((s, i) => `${i + 1}. ${s}`).join('\n'),
  });

  const contact = m.partnerEmail ? { html: ` at ${h(m.partnerEmail)}`, text: ` at ${t(m.partnerEmail)}` } : { html: '', text: '' };
  const footer: Part = {
    html:
      `Sent on behalf of ${partner.html}. Questions? Contact ${partner.html}${contact.html}, or reply to this e-mail. ` +
      'Microsoft never asks for your password by e-mail; sign in only on microsoft.com pages.',
    text:
      `Sent on behalf of ${partner.text}. Questions? Contact ${partner.text}${contact.text}, or reply to this e-mail.\n` +
      'Microsoft never asks for your password by e-mail; sign in only on microsoft.com pages.',
  };

  return renderMail({
    subject,
    preheader: `Please accept ${partner.text}'s reseller relationship request ${by.text}.`,
    heading: 'Please accept your new Microsoft reseller',
    intro,
    sections: [accept, next],
    footer,
  });
}

/** What happens after the customer accepts, as it stands for its subscriptions today: text and HTML. */
function nextSteps(m: InvitationMailModel, partner: { html: string; text: string }): [string[], string[]] {
  const noRefund = 'Please do not cancel them early: cancelled subscriptions are not refunded.';
  if (m.access === 'upcoming') {
    const steps = [
      `After you accept, ${partner.text} sets up your subscriptions in CSP, from about ${t(m.firstMove)}, before your current ones end.`,
      'When the same offer is set up, there is no interruption: your users keep their licenses, data and settings.',
      `Your current subscriptions then simply expire on their end dates. ${noRefund}`,
    ];
    const html = [
      `After you accept, ${partner.html} sets up your subscriptions in CSP, ` +
        `from about <strong>${day(m.firstMove)}</strong>, before your current ones end.`,
      steps[1]!,
      escapeHtml(steps[2]!),
    ];
    return [steps, html];
  }
  const until = m.accessEnd ? { html: ` on <strong>${day(m.accessEnd)}</strong>`, text: ` on ${t(m.accessEnd)}` } : { html: '', text: '' };
  if (m.access === 'expired_grace') {
    const steps = [
      `Some of your current subscriptions have already expired: your users keep access to them only until their grace period ends${until.text}.`,
      `As soon as you accept, ${partner.text} sets up your subscriptions in CSP. Set up before then, your users keep their licenses, data and settings.`,
      `Your other current subscriptions simply expire on their end dates. ${noRefund}`,
    ];
    const html = [
      `Some of your current subscriptions have already expired: your users keep access to them only until their grace period ends${until.html}.`,
      `As soon as you accept, ${partner.html} sets up your subscriptions in CSP. Set up before then, your users keep their licenses, data and settings.`,
      escapeHtml(steps[2]!),
    ];
    return [steps, html];
  }
  const steps = [
    'Some of your subscriptions have expired and your users have lost access to them. ' +
      'Their data is deleted after a further period, so please act now.',
    `As soon as you accept, ${partner.text} sets up your subscriptions in CSP to restore service; ` +
      'data you backed up may need to be restored.',
    `Your other current subscriptions simply expire on their end dates. ${noRefund}`,
  ];
  const html = [
    escapeHtml(steps[0]!),
    `As soon as you accept, ${partner.html} sets up your subscriptions in CSP to restore service; ` +
      'data you backed up may need to be restored.',
    escapeHtml(steps[2]!),
  ];
  return [steps, html];
}
