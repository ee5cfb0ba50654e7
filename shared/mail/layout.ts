/**
 * What every e-mail shares: the escaping rules, a minimal layout that survives mail clients
 * (one 600px table, inline styles, system fonts; no <style> blocks, scripts, SVG, external
 * images or fonts) and small building blocks that produce an HTML part and its plain-text twin
 * side by side, so the two never drift apart.
 *
 * Escaping rule: every string that came from a partner, a customer or a file goes through `h`
 * in HTML (one line, HTML-escaped) and through `t` in text (one line). A name reads exactly as
 * it was uploaded: the spreadsheet formula guard belongs to the CSV files only. Text already
 * built from `t(...)` pieces goes into HTML with `plainHtml`, never raw.
 */

import { type Cents, decimalOf } from '../domain/cost.js';
import { RISKS, type Risk } from '../domain/risk.js';
import { count, plural } from '../domain/words.js';
import { escapeHtml, idHtml, keepWhole, safeText } from '../report/escape.js';
import { RISK_INFO } from '../report/risk-info.js';

export interface MailContent {
  subject: string;
  html: string;
  text: string;
}

/** One piece of an e-mail in both forms. */
export interface Part {
  html: string;
  text: string;
}

// ---------------------------------------------------------------- escaping

/** Line breaks and other control characters (C0, DEL, C1, Unicode line/paragraph separators). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is its purpose
const CONTROL = /\s*[\u0000-\u001f\u007f-\u009f\u2028\u2029]+\s*/g;

/**
 * A single line: control characters and line breaks become one space, the ends are trimmed.
 * A name with "\r\n" can then neither break the text twin's layout nor inject a header into
 * the subject.
 */
export function oneLine(value: string): string {
  // `String(...)`: stored data may hold a number where a string is typed; never throw on it.
  return (value == null ? '' : String(value)).replace(CONTROL, ' ').trim();
}

/** User data into HTML. */
export function h(value: string): string {
  return safeText(oneLine(value));
}

/** Dates and codes never wrap; a GUID wraps at its hyphens only (inline styles: mail clients drop classes). */
const NOWRAP = '<span style="white-space:nowrap">';
const ID = '<span style="overflow-wrap:normal;word-break:normal">';
const CODE_STYLE = 'font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;white-space:nowrap';

/** User data into HTML text (never an attribute), like `h`, with no date or code broken across lines. */
export function prose(value: string): string {
  return keepWhole(oneLine(value), NOWRAP);
}

/** A date (or a date and time) into HTML text: on one line. */
export function day(value: string): string {
  return `${NOWRAP}${h(value)}</span>`;
}

/** A code (a problem code, a setting or column name) into HTML text: monospace, on one line. */
export function code(value: string): string {
  return `<code style="${CODE_STYLE}">${h(value)}</code>`;
}

/** An id into HTML text: a GUID wraps at its hyphens only. */
export function id(value: string): string {
  return idHtml(oneLine(value), ID);
}

/** An e-mail address into HTML text: a narrow column wraps it after the "@" first. */
export function address(value: string): string {
  const at = value.lastIndexOf('@');
  return at > 0 ? `${h(value.slice(0, at + 1))}<wbr>${h(value.slice(at + 1))}` : h(value);
}

/** User data into plain text (and subjects). */
export function t(value: string): string {
  return oneLine(value);
}

/** Plain text already built from `t(...)` pieces, into HTML text or a double-quoted attribute. */
export function plainHtml(text: string): string {
  return escapeHtml(text);
}

/** Longest subject we send; longer ones (a very long file name) end with "…". */
export const MAX_SUBJECT = 200;

/**
 * The final subject: one line (no CR/LF: header injection), at most
 * MAX_SUBJECT characters (cut on a code point, never inside a surrogate pair).
 */
export function finishSubject(subject: string): string {
  const line = t(subject);
  const chars = [...line];
  return chars.length > MAX_SUBJECT
    ? `${chars
        .slice(0, MAX_SUBJECT - 1)
        .join('')
        .trimEnd()}…`
    : line;
}

/**
 * A link we are willing to render: an absolute http(s) URL without whitespace or control
 * characters. `https` only unless `allowHttp` (the local S3 emulator signs plain-http links).
 */
export function safeUrl(value: string | undefined, allowHttp = false): string | undefined {
  if (value === undefined) return undefined;
  const url = value.trim();
  // biome-ignore lint/suspicious/noControlCharactersInRegex: a link with a control character is refused
  if (!url || /[\s\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(url)) return undefined;
  const scheme = allowHttp ? /^https?:\/\//i : /^https:\/\//i;
  if (!scheme.test(url)) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.hostname ? url : undefined;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------- numbers and words

export { count, plural } from '../domain/words.js';

/** "ends today", "ends in 1 day", "ended 3 days ago". */
export function daysPhrase(days: number): string {
  if (days === 0) return 'ends today';
  return days > 0 ? `ends in ${plural(days, 'day', 'days')}` : `ended ${plural(-days, 'day', 'days')} ago`;
}

export interface Money {
  html(cents: Cents): string;
  text(cents: Cents): string;
}

/** Amounts in the partner's currency; a malformed code falls back to "1,234.50 XYZ". */
export function moneyFormatter(currency: string): Money {
  try {
    const format = new Intl.NumberFormat('en-US', { style: 'currency', currency });
    return { html: (c) => escapeHtml(format.format(decimalOf(c))), text: (c) => format.format(decimalOf(c)) };
  } catch {
    const plain = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    const code = oneLine(currency);
    return {
      html: (c) => (code ? `${plain.format(decimalOf(c))} ${h(code)}` : plain.format(decimalOf(c))),
      text: (c) => (code ? `${plain.format(decimalOf(c))} ${t(code)}` : plain.format(decimalOf(c))),
    };
  }
}

// ---------------------------------------------------------------- look

export const FONT = "system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif";
export const COLOR = {
  text: '#1f2328',
  muted: '#59636e',
  border: '#d0d7de',
  rule: '#d8dee4',
  page: '#f6f8fa',
  head: '#f6f8fa',
  link: '#0b5cad',
  bar: '#2f6fb0',
  atRisk: '#e0891b',
  danger: '#c62828',
  dangerBg: '#ffebe9',
  warnBg: '#fff8c5',
  warnText: '#7d4e00',
} as const;

/** A layout table's attributes: no cell padding, no cell spacing, no border, in every mail client. */
export const NO_SPACING = 'cellpadding="0" cellspacing="0" border="0"';

/** Risk classes in report order, with the labels and colours the report uses. */
export const RISK_ORDER: readonly Risk[] = RISKS;
export { RISK_INFO };

// ---------------------------------------------------------------- HTML blocks

const CELL =
  `padding:6px 8px;border-bottom:1px solid ${COLOR.rule};text-align:left;vertical-align:top;` +
  `font-size:13px;line-height:1.4;overflow-wrap:anywhere;word-break:break-word`;

export function p(html: string, style = ''): string {
  return `<p style="margin:0 0 12px;${style}">${html}</p>`;
}

export function small(html: string): string {
  return p(html, `font-size:12px;color:${COLOR.muted}`);
}

export interface Col {
  label: string;
  numeric?: boolean;
}

/** A data table; header labels are ours, cells are already safe HTML. */
export function table(cols: Col[], rows: string[][]): string {
  const align = (c: Col | undefined) => (c?.numeric ? 'text-align:right;white-space:nowrap' : '');
  const head = cols
    .map(
      (c) =>
        `<th scope="col" style="${CELL};${align(c)};background:${COLOR.head};font-weight:600;white-space:nowrap">` +
        `${escapeHtml(c.label)}</th>`,
    )
    .join('');
  const body = rows
    .map((cells) => `<tr>${cells.map((cell, i) => `<td style="${CELL};${align(cols[i])}">${cell}</td>`).join('')}</tr>`)
    .join('\n');
  return (
    `<table role="table" width="100%" ${NO_SPACING} style="width:100%;border-collapse:collapse;margin:0 0 12px">\n` +
    `<tr>${head}</tr>\n${body}\n</table>`
  );
}

/** A coloured call-out box (one-cell table: background colours on <div> are unreliable in Outlook). */
export function callout(html: string, background: string, border: string): string {
  return (
    `<table role="presentation" width="100%" ${NO_SPACING} style="width:100%;margin:0 0 12px"><tr>` +
    `<td bgcolor="${background}" style="background:${background};border-left:4px solid ${border};` +
    `padding:10px 12px;font-size:14px;line-height:1.5">${html}</td></tr></table>`
  );
}

/** A small coloured label, e.g. "Overdue since 2027-01-01". */
export function badge(html: string, color: string, background: string): string {
  return (
    `<span style="display:inline-block;padding:1px 6px;border-radius:4px;background:${background};color:${color};` +
    `font-weight:600;font-size:12px;white-space:nowrap">${html}</span>`
  );
}

/** A link; `url` must come from `safeUrl`. The href is escaped like any other attribute. */
export function link(url: string, labelHtml?: string): string {
  return `<a href="${safeText(url)}" style="color:${COLOR.link};word-break:break-all">${labelHtml ?? safeText(url)}</a>`;
}

/** A customer's name, linked to its console page where there is one. */
export function nameLink(name: string, page: string | undefined, strong = false): string {
  const url = safeUrl(page, true);
  const text = strong ? `<strong>${escapeHtml(name)}</strong>` : escapeHtml(name);
  // Not `link`: that one breaks anywhere, for long addresses; a name wraps between its words.
  return url ? `<a href="${safeText(url)}" style="color:${COLOR.link}">${text}</a>` : text;
}

/** The text twin of a console page link under a row; nothing without a page. */
export function pageLine(page: string | undefined): string {
  const url = safeUrl(page, true);
  return url ? `\n  In the console: ${t(url)}` : '';
}

/** An e-mail's opening, with a button to the console where the deployment has one. */
export function withConsoleButton(intro: Part, consoleUrl: string | undefined): Part {
  const url = safeUrl(consoleUrl, true);
  if (!url) return intro;
  return { html: intro.html + button(url, 'Open the console'), text: `${intro.text}\nThe console: ${t(url)}` };
}

/** A "bulletproof" button: a table cell with a background, so it shows in Outlook too. */
export function button(url: string, label: string): string {
  return (
    `<table role="presentation" ${NO_SPACING} style="margin:4px 0 12px"><tr>` +
    `<td bgcolor="${COLOR.link}" style="background:${COLOR.link};border-radius:6px">` +
    `<a href="${safeText(url)}" style="display:inline-block;padding:10px 18px;color:#ffffff;font-weight:600;font-size:14px;` +
    `text-decoration:none;font-family:${FONT}">${escapeHtml(label)}</a>` +
    `</td></tr></table>`
  );
}

// ---------------------------------------------------------------- sections and text

/** A titled section in both forms; `title` is ours (not user data). */
export function section(title: string, body: Part): Part {
  return {
    html:
      `<h2 style="margin:20px 0 8px;padding-bottom:4px;border-bottom:1px solid ${COLOR.border};` +
      `font-size:16px;line-height:1.3;font-family:${FONT}">${escapeHtml(title)}</h2>\n${body.html}`,
    text: `${title}\n${'─'.repeat([...title].length)}\n${body.text}`,
  };
}

/** Plain-text bullet list. "•", not "-": a bullet never reads as a minus sign before a name. */
export function bullets(lines: string[]): string {
  return lines.map((l) => `• ${l}`).join('\n');
}

/** "and 12 more" for a list cut at `shown`, or nothing. */
export function andMore(total: number, shown: number, noun = ''): string | undefined {
  const more = total - shown;
  return more > 0 ? `and ${count(more)} more${noun ? ` ${noun}` : ''}` : undefined;
}

/** "Sent by CSP Move Planner for {partner}": the footer of every mail to a partner. */
export function partnerFooter(partnerName: string | undefined, partnerId: string | undefined, generatedAt?: string): Part {
  const name = partnerName ? oneLine(partnerName) : '';
  const id = partnerId ? oneLine(partnerId) : '';
  const who = name ? h(name) + (id ? ` (partner ID ${h(id)})` : '') : id ? `partner ID ${h(id)}` : '';
  const whoText = name ? t(name) + (id ? ` (partner ID ${t(id)})` : '') : id ? `partner ID ${t(id)}` : '';
  return {
    html: `Sent by CSP Move Planner${who ? ` for ${who}` : ''}${generatedAt ? ` on ${day(generatedAt)}` : ''}. Dates are YYYY-MM-DD.`,
    text: `Sent by CSP Move Planner${whoText ? ` for ${whoText}` : ''}${generatedAt ? ` on ${t(generatedAt)}` : ''}. Dates are YYYY-MM-DD.`,
  };
}

// ---------------------------------------------------------------- the page

export interface Envelope {
  /** The finished subject (from `finishSubject`); also the HTML title. */
  subject: string;
  /** Inbox preview line, plain text built from `t(...)` pieces. */
  preheader: string;
  /** The big heading, plain text built from `t(...)` pieces. */
  heading: string;
  /** The line under the heading, as a part (HTML and text). */
  intro?: Part | undefined;
  sections: Part[];
  footer: Part;
}

export function renderMail(e: Envelope): MailContent {
  return { subject: e.subject, html: renderHtml(e), text: renderText(e) };
}

function renderHtml(e: Envelope): string {
  const intro = e.intro ? `\n${e.intro.html}` : '';
  // The longer styles of the frame, named so that the page below still reads as its structure.
  const hiddenStyle = `display:none;max-height:0;overflow:hidden;mso-hide:all;font-size:1px;line-height:1px;color:${COLOR.page}`;
  const cardStyle = `width:100%;max-width:600px;background:#ffffff;border:1px solid ${COLOR.border};border-radius:8px`;
  const bodyStyle = `font-family:${FONT};color:${COLOR.text};font-size:14px;line-height:1.5`;
  const footerStyle = `font-family:${FONT};color:${COLOR.muted};font-size:12px;line-height:1.5`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="x-apple-disable-message-reformatting">
<meta name="color-scheme" content="light">
<title>${plainHtml(e.subject)}</title>
</head>
<body style="margin:0;padding:0;background:${COLOR.page};color:${COLOR.text};font-family:${FONT}">
<div style="${hiddenStyle}">${plainHtml(e.preheader)}</div>
<table role="presentation" width="100%" ${NO_SPACING} bgcolor="${COLOR.page}" style="width:100%;background:${COLOR.page}">
<tr><td align="center" style="padding:24px 12px">
<table role="presentation" width="600" ${NO_SPACING} bgcolor="#ffffff" style="${cardStyle}">
<tr><td style="padding:24px 24px 4px;${bodyStyle}">
<h1 style="margin:0 0 8px;font-size:20px;line-height:1.3;font-family:${FONT}">${plainHtml(e.heading)}</h1>${intro}
</td></tr>
<tr><td style="padding:0 24px 16px;${bodyStyle}">
${e.sections.map((s) => s.html).join('\n')}
</td></tr>
<tr><td style="padding:14px 24px 18px;border-top:1px solid ${COLOR.border};${footerStyle}">
${e.footer.html}
</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
`;
}

function renderText(e: Envelope): string {
  const head = `${e.heading}\n${'═'.repeat(Math.min([...e.heading].length, 72))}`;
  const blocks = [e.intro ? `${head}\n${e.intro.text}` : head];
  blocks.push(...e.sections.map((s) => s.text));
  blocks.push(`${'─'.repeat(40)}\n${e.footer.text}`);
  return `${blocks.join('\n\n')}\n`;
}
