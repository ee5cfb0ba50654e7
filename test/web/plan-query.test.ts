/** The plan page's URL query: what a link from Home or an e-mail says is what the page asks the API. */
import { describe, expect, it } from 'vitest';
import { activeFilterCount, filtersQuery, NO_FILTERS, planLink, readFilters } from '../../web/src/plan-query.js';

const query = (q: string) => Object.fromEntries(new URLSearchParams(q));

describe('plan filters in the URL', () => {
  it('round-trips every filter, sort and page', () => {
    const link = planLink({
      risk: ['at_risk', 'lapsed'],
      invitation: ['not_sent'],
      state: ['planned'],
      invite_from: '2026-12-01',
      invite_to: '2026-12-06',
      move_from: '2027-01-01',
      move_to: '2027-02-01',
      country: 'IT',
      q: 'contoso & co',
      sort: 'seats',
      order: 'desc',
      page: 3,
      size: 100,
    });
    expect(link.startsWith('/plan?')).toBe(true);
    const back = readFilters(query(link.slice('/plan?'.length)));
    expect(back).toEqual({
      risk: ['at_risk', 'lapsed'],
      invitation: ['not_sent'],
      state: ['planned'],
      invite_from: '2026-12-01',
      invite_to: '2026-12-06',
      move_from: '2027-01-01',
      move_to: '2027-02-01',
      country: 'IT',
      q: 'contoso & co',
      sort: 'seats',
      order: 'desc',
      page: 3,
      size: 100,
    });
    expect(activeFilterCount(back)).toBe(10); // two risks, one invitation, one state, six fields
  });

  it('leaves the defaults out: the plain plan is /plan', () => {
    expect(planLink({})).toBe('/plan');
    expect(filtersQuery({ ...NO_FILTERS, risk: ['ok'] })).toBe('risk=ok');
  });

  it('uses the API names, lists comma-separated', () => {
    expect(filtersQuery({ invitation: ['not_sent', 'sent'], invite_to: '2026-12-06' })).toBe(
      'invitation=not_sent%2Csent&invite_to=2026-12-06',
    );
  });

  it('falls back to the defaults for what it cannot read', () => {
    const f = readFilters(query('risk=at_risk,bogus&sort=nonsense&order=up&page=-2&size=5000&invite_from=yesterday&country=italy'));
    expect(f.risk).toEqual(['at_risk']);
    expect(f.sort).toBe('move_on');
    expect(f.order).toBe('asc');
    expect(f.page).toBe(1);
    expect(f.size).toBe(200);
    expect(f.invite_from).toBe('');
    expect(f.country).toBe('IT');
  });
});
