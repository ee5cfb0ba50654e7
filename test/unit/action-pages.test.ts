/** The pages an action link opens show names as they were uploaded: escaped, with no formula guard. */
import { describe, expect, it } from 'vitest';
import { renderActionPage } from '../../shared/email-actions/action-pages.js';
import type { ActionItem } from '../../shared/email-actions/action-view.js';

const FORMULA = '=HYPERLINK("http://x")';
const IMG = '<img src=x onerror=alert(1)>';

function item(customerName: string, partnerName = 'Fabrikam Cloud Ltd'): ActionItem {
  return {
    action: 'provisioned',
    partnerName,
    customerName,
    subscription: { id: '-s-1', offer: '@Office 365 E3', targetOffer: '+Microsoft 365 E3', seats: 10 },
  };
}

describe('action pages', () => {
  it('show a name that starts like a formula as it is, escaped, on every kind of page', () => {
    const pages = [
      renderActionPage(
        {
          kind: 'confirm',
          item: item(FORMULA, '-Minus Co'),
          current: 'planned',
          effective: '2027-01-04',
          expiresAt: new Date('2027-02-01'),
        },
        't',
      ),
      renderActionPage({ kind: 'done', item: item(FORMULA), recorded: true, effective: '2027-01-04' }, 't'),
      renderActionPage({ kind: 'moved_on', item: item(FORMULA), current: 'done', problem: 'x' }, 't'),
    ];
    for (const page of pages) {
      expect(page.body).toContain('=HYPERLINK(&quot;http://x&quot;)');
      expect(page.body).not.toMatch(/'=HYPERLINK|&#39;=HYPERLINK/);
    }
    expect(pages[0]!.body).toContain('<dd>-Minus Co</dd>');
    expect(pages[0]!.body).toContain('<dd>-s-1 (@Office 365 E3)</dd>');
    expect(pages[0]!.body).toContain('<dd>+Microsoft 365 E3 × 10</dd>');
  });

  it('keep dates on one line, and let a GUID wrap at its hyphens only', () => {
    const guid = {
      ...item('Contoso'),
      subscription: { id: '3b9cd8e7-d868-46e2-a992-9633dd28e219', offer: 'E3', targetOffer: 'E3', seats: 1 },
    };
    const page = renderActionPage(
      { kind: 'confirm', item: guid, current: 'planned', effective: '2027-01-04', expiresAt: new Date('2027-02-01') },
      't',
    );
    expect(page.body).toContain('<span class="id">3b9cd8e7-<wbr>d868-<wbr>46e2-<wbr>a992-<wbr>9633dd28e219</span> (E3)');
    expect(page.body).toContain('on <span class="day">2027-01-04</span></dd>');
    expect(page.body).toContain('works until <span class="day">2027-02-01</span>.');
  });

  it('show a name that is markup as text', () => {
    const page = renderActionPage({ kind: 'done', item: item(IMG), recorded: true, effective: '2027-01-04' }, 't');
    expect(page.body).not.toMatch(/<img/i);
    expect(page.body).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});
