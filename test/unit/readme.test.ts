import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COLUMNS } from '../../shared/csv/header-aliases.js';
import { FILE_CODES, ROW_CODES } from '../../shared/domain/codes.js';
import { PartnerSettingsSchema } from '../../shared/domain/partner-settings.js';

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

  it('lists every partner setting', () => {
    for (const key of Object.keys(PartnerSettingsSchema.shape)) expect(readme).toContain(`| \`${key}\` |`);
  });
});
