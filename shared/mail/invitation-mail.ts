/**
 * The optional e-mail to a customer's admin (partner setting `notify_customers`): what the
 * reseller relationship request is, who must accept it, by when, and what happens next.
 * Written for a customer, not a reseller: no planner jargon.
 */
import { escapeHtml } from '../report/escape.js';
import {
  button,
  COLOR,
  callout,
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
  customerName: string;
  resellerLink: string;
  inviteBy: string;
  firstMove: string;
}

export function renderInvitationMail(m: InvitationMailModel): MailContent {
  const partner = { html: h(m.partnerName), text: t(m.partnerName) };
  const customer = { html: h(m.customerName), text: t(m.customerName) };
  const by = { html: h(m.inviteBy), text: t(m.inviteBy) };
  const url = safeUrl(m.resellerLink);
  const host = url ? new URL(url).hostname : undefined;

  const subject = finishSubject(`Action needed by ${by.text}: accept ${partner.text} as your Microsoft cloud reseller`);

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
        `<strong>Please accept the request by ${by.html}.</strong> ` +
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
      `Please accept the request by ${by.text}. ` +
      `A Global administrator of your Microsoft 365 tenant must open the link, sign in, ` +
      `and accept the reseller relationship and the Microsoft Customer Agreement.\n` +
      (url ? `Link (opens ${host ?? ''}): ${t(url)}` : `${partner.text} will send you the link separately.`),
  });

  const steps = [
    `After you accept, ${partner.text} sets up your subscriptions in CSP, from about ${t(m.firstMove)}, before your current ones end.`,
    'When the same offer is set up, there is no interruption: your users keep their licenses, data and settings.',
    'Your current subscriptions then simply expire on their end dates. ' +
      'Please do not cancel them early: cancelled subscriptions are not refunded.',
  ];
  const stepsHtml = [
    `After you accept, ${partner.html} sets up your subscriptions in CSP, ` +
      `from about <strong>${h(m.firstMove)}</strong>, before your current ones end.`,
    steps[1] ?? '',
    escapeHtml(steps[2] ?? ''),
  ];
  const next = section('What happens next', {
    html: `<ol style="margin:0 0 12px;padding-left:20px">${stepsHtml.map((s) => `<li style="margin:0 0 6px">${s}</li>`).join('')}</ol>`,
    text: steps.map((s, i) => `${i + 1}. ${s}`).join('\n'),
  });

  const footer: Part = {
    html:
      `Sent on behalf of ${partner.html}. Questions? Contact ${partner.html}. ` +
      'Microsoft never asks for your password by e-mail; sign in only on microsoft.com pages.',
    text:
      `Sent on behalf of ${partner.text}. Questions? Contact ${partner.text}.\n` +
      'Microsoft never asks for your password by e-mail; sign in only on microsoft.com pages.',
  };

  return renderMail({
    subject,
    preheader: `Please accept ${partner.text}'s reseller relationship request by ${by.text}.`,
    heading: 'Please accept your new Microsoft reseller',
    intro,
    sections: [accept, next],
    footer,
  });
}
