/**
 * Where a browser broke the lines of dates, codes and GUIDs. Every visible match of a pattern in
 * the page's text (outside SVG; a <br> or a block ends a piece of text) is measured one character at a time: a new line starts where a
 * character sits lower than the one before it. A match may run across elements (a GUID with
 * <wbr> in it, a date inside a <strong>).
 */
/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import type { Page } from 'playwright-core';

export interface Token {
  kind: 'date' | 'code' | 'guid';
  /** The text of each rendered line of the token, in order. */
  lines: string[];
}

/** ISO dates, with a time when there is one. */
const DATE = String.raw`(?<![\w-])\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z?)?(?![\w-])`;
/** snake_case codes: problem codes, setting names, column names. */
const CODE = String.raw`(?<![\w-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w-])`;
const GUID = String.raw`(?<![\w-])[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![\w-])`;

/** Every date, code (snake_case words and <code> elements) and GUID the page shows, with its lines. */
export function measureTokens(page: Page): Promise<Token[]> {
  return page.evaluate(
    ({ date, code, guid }) => {
      const skip = (node: Node) => node.parentElement?.closest('svg, head, script, style, noscript') != null;
      const blockOf = (node: Node) => {
        let el = node.parentElement;
        while (el && getComputedStyle(el).display.startsWith('inline')) el = el.parentElement;
        return el;
      };
      // The page's text, one piece per text node; a break between blocks so no match spans two cells.
      const nodes: { node: Text; at: number }[] = [];
      let text = '';
      let block: Element | null = null;
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        if (n.nodeName === 'BR') text += '\n';
        if (n.nodeType !== Node.TEXT_NODE || skip(n)) continue;
        const b = blockOf(n);
        if (b !== block) text += '\n';
        block = b;
        nodes.push({ node: n as Text, at: text.length });
        text += n.nodeValue ?? '';
      }
      const charAt = (index: number) => {
        let lo = 0;
        let hi = nodes.length - 1;
        while (lo < hi) {
          const mid = (lo + hi + 1) >> 1;
          if (nodes[mid]!.at <= index) lo = mid;
          else hi = mid - 1;
        }
        const { node, at } = nodes[lo]!;
        return { node, offset: index - at };
      };
      /** The lines of text[start, end) as rendered; [] when none of it is visible. */
      const linesOf = (start: number, end: number) => {
        const lines: string[] = [];
        let top: number | undefined;
        for (let i = start; i < end; i++) {
          const { node, offset } = charAt(i);
          if (offset >= (node.nodeValue ?? '').length) continue;
          const range = document.createRange();
          range.setStart(node, offset);
          range.setEnd(node, offset + 1);
          const rect = [...range.getClientRects()].find((r) => r.width > 0 || r.height > 0);
          if (!rect) continue;
          if (top === undefined || rect.top > top + 2) lines.push(text[i]!);
          else lines[lines.length - 1] = `${lines.at(-1)}${text[i]}`;
          top = rect.top;
        }
        return lines;
      };
      const tokens: { kind: 'date' | 'code' | 'guid'; lines: string[] }[] = [];
      for (const [kind, source] of [
        ['date', date],
        ['code', code],
        ['guid', guid],
      ] as const) {
        for (const m of text.matchAll(new RegExp(source, 'g'))) {
          const lines = linesOf(m.index, m.index + m[0].length);
          if (lines.length > 0) tokens.push({ kind, lines });
        }
      }
      const where = new Map(nodes.map((n) => [n.node as Node, n.at]));
      for (const el of document.querySelectorAll('code')) {
        const inside = [...el.childNodes].length > 0 ? document.createTreeWalker(el, NodeFilter.SHOW_TEXT) : undefined;
        const first = inside?.nextNode();
        if (!first || !where.has(first)) continue;
        let last = first;
        for (let n = inside!.nextNode(); n; n = inside!.nextNode()) last = n;
        const start = where.get(first)!;
        const end = (where.get(last) ?? start) + (last.nodeValue ?? '').length;
        const lines = linesOf(start, end);
        if (lines.length > 0) tokens.push({ kind: 'code', lines });
      }
      return tokens;
    },
    { date: DATE, code: CODE, guid: GUID },
  );
}

/** Tokens that broke where they must not: a date or code on more than one line, a GUID broken other than after a hyphen. */
export function badBreaks(tokens: Token[]): string[] {
  return tokens
    .filter((t) => (t.kind === 'guid' ? t.lines.slice(0, -1).some((line) => !line.endsWith('-')) : t.lines.length > 1))
    .map((t) => `${t.kind} ${JSON.stringify(t.lines)}`);
}
