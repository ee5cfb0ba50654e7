import { describe, expect, it } from 'vitest';
import { graceDays, licensingProgram } from '../../shared/domain/lifecycle.js';

describe('grace by licensing program', () => {
  it.each([
    'Volume Licensing Enterprise',
    'volume licensing enterprise',
    'VOLUME-LICENSING ENTERPRISE',
    'Volume License Enterprise',
    'Volume Licence Enterprise',
    'VL Enterprise',
    'vl-enterprise',
    'VL_Enterprise',
    'Enterprise (VL)',
    'Enterprise VL',
    'Enterprise - Volume Licensing',
    'VLE',
    ' vle ',
  ])('%s is Volume Licensing Enterprise: 90 days', (program) => {
    expect(licensingProgram(program)).toBe('vl_enterprise');
    expect(graceDays(program)).toBe(90);
  });

  it.each(['Enterprise Agreement', 'EA', 'Volume Licensing Enterprise Agreement', 'VL Enterprise Agreement', 'VLE (EA)'])(
    '%s is an Enterprise Agreement: 30 days (90 only when multi-year, which the file cannot tell)',
    (program) => {
      expect(licensingProgram(program)).toBe('enterprise_agreement');
      expect(graceDays(program)).toBe(30);
    },
  );

  it.each(['Open', 'Open Value', 'MOSP', 'Direct', 'Web Direct', 'Volume Licensing', 'Enterprise', 'Level', ''])(
    '"%s" gets 30 days',
    (program) => {
      expect(licensingProgram(program)).toBe('other');
      expect(graceDays(program)).toBe(30);
    },
  );

  it('an absent program gets 30 days', () => expect(graceDays(undefined)).toBe(30));
});
