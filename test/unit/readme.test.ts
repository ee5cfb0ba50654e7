import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { COLUMNS } from '../../shared/csv/header-aliases.js';
import { FILE_CODES, ROW_CODES } from '../../shared/domain/codes.js';
import { PartnerSettingsSchema } from '../../shared/domain/partner-settings.js';
import { PLAN_COLUMNS } from '../../shared/domain/plan-rows.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('the README documents what the code does', () => {
  it('lists every error code with its kind and meaning', () => {
    for (const [code, meaning] of Object.entries(FILE_CODES)) expect(readme).toContain(`| \`${code}\` | file | ${meaning} |`);
    for (const [code, { severity, meaning }] of Object.entries(ROW_CODES))
      expect(readme).toContain(`| \`${code}\` | ${severity} | ${meaning} |`);
  });

  it('lists every input column and alias', () => {
    for (const column of COLUMNS) {
      const line = readme.split('\n').find((l) => l.startsWith(`| \`${column.name}\` |`));
      expect(line, column.name).toBeDefined();
      for (const alias of column.aliases) expect(line).toContain(alias);
    }
  });

  it('lists the plan.csv columns in their order', () => {
    const section = readme.slice(readme.indexOf('### plan.csv'), readme.indexOf('### errors.csv'));
    const list = /`(row, [^`]+)`/.exec(section)?.[1];
    expect(list?.split(/,\s*/)).toEqual([...PLAN_COLUMNS]);
  });

  it('lists every partner setting', () => {
    for (const key of Object.keys(PartnerSettingsSchema.shape)) expect(readme).toContain(`| \`${key}\` |`);
  });
});

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

describe('the documentation links resolve', () => {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const pages = [
    'README.md',
    'bench/README.md',
    ...readdirSync(join(root, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => `docs/${f}`),
  ];

  it.each(pages)('%s: every relative link names a file, and every #anchor a heading of it', (page) => {
    const text = readFileSync(join(root, page), 'utf8').replace(/```[\s\S]*?```/g, '');
    for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target!)) continue; // https:, mailto:
      const [path, anchor] = target!.split('#');
      const file = path ? join(dirname(join(root, page)), path) : join(root, page);
      expect(existsSync(file), `${page} → ${target}`).toBe(true);
      if (anchor) {
        const headings = readFileSync(file, 'utf8')
          .split('\n')
          .filter((l) => /^#{1,6} /.test(l))
          .map((l) => anchorOf(l.replace(/^#+ /, '')));
        expect(headings, `${page} → ${target} (in ${relative(root, file)})`).toContain(anchor);
      }
    }
  });
});
