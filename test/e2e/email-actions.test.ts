/**
 * The one-click links of the daily digest, as a partner uses them: a real e-mail from the SES
 * emulator, opened in a real Chromium against the local action endpoint (the handler API Gateway
 * invokes on AWS). Opening a link changes nothing; its button records the change once; the next
 * digests follow it; a forged, expired, other-partner or stale link is refused and changes nothing.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listSentEmails, type SentEmail } from '../../local/aws/local-aws.js';
import { LOCAL_NAMES, type LocalStack, startLocalStack } from '../../local/stack.js';
import { isoToDay } from '../../shared/domain/dates.js';
import { parseSettings } from '../../shared/domain/partner-settings.js';
import type { StatusSubject } from '../../shared/domain/status-events.js';
import { type EmailAction, signActionToken } from '../../shared/email-actions/action-token.js';
import { CHROMIUM, hasChromium, launchChromium, MISSING_CHROMIUM } from '../support/chromium.js';

const SAMPLE = join(import.meta.dirname, '../../examples/customers.csv');
const PARTNER = { partner_id: 'p-links', name: 'Links Partner', email: 'ops@links.example' } as const;
/** With no invitation lead time, a customer yet to accept has moves planned from today: blocked on their day. */
const OTHER = { partner_id: 'p-other', name: 'Other Partner', email: 'ops@other.example', invite_lead_days: 0 } as const;
const at = (iso: string, hour = 7) => new Date(isoToDay(iso) * 86_400_000 + hour * 3_600_000);
const FIRST_DAY = '2026-12-01';

interface DigestLink {
  label: string;
  url: string;
  partnerId: string;
  subject: StatusSubject;
  action: string;
}

/** The action links of a digest, with what each token says (read, not verified). */
function linksOf(mail: SentEmail): DigestLink[] {
  return [...(mail.html ?? '').matchAll(/<a href="([^"]+)"[^>]*>(I sent it|Accepted|Provisioned)<\/a>/g)].map(([, url, label]) => {
    const token = new URL(url!).searchParams.get('t')!;
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, string>;
    return {
      label: label!,
      url: url!,
      partnerId: claims.p!,
      subject: { kind: claims.k, id: claims.i } as StatusSubject,
      action: claims.a!,
    };
  });
}

const dailyDigests = (mails: SentEmail[]) => mails.filter((m) => m.to.includes(PARTNER.email) && m.subject.startsWith('CSP moves for'));

describe.skipIf(!hasChromium && !process.env.CI)(
  `one-click links in a real browser${hasChromium ? '' : process.env.CI ? ` (${MISSING_CHROMIUM})` : ` (skipped: ${MISSING_CHROMIUM})`}`,
  () => {
    let dataDir: string;
    let stack: LocalStack;
    let browser: Browser;
    let page: Page;
    let store: typeof import('../../shared/storage/dynamodb/dynamodb-plan-store.js')['planStore'];
    let key: Uint8Array;
    let firstDigest: SentEmail;
    let accepted: DigestLink;
    let control: DigestLink;
    let laterDigests: SentEmail[] = [];
    let otherDigests: SentEmail[] = [];

    const eventsOf = (subject: StatusSubject, partnerId: string = PARTNER.partner_id) => store.statusEvents(partnerId, subject);
    const sign = (partnerId: string, subject: StatusSubject, action: EmailAction, expiresAt = at('2027-01-01')) =>
      signActionToken({ partnerId, subject, action }, key, expiresAt);
    const open = async (url: string) => {
      const response = await page.goto(url);
      return { status: response?.status(), heading: await page.locator('h1').innerText(), text: await page.locator('main').innerText() };
    };

    beforeAll(async () => {
      if (!hasChromium) throw new Error(`${MISSING_CHROMIUM} (no ${CHROMIUM}; .ci/run installs it)`);
      const launching = launchChromium();
      launching.catch(() => undefined);
      dataDir = await mkdtemp(join(tmpdir(), 'cspmove-links-'));
      stack = await startLocalStack({ dataDir });
      store = (await import('../../shared/storage/dynamodb/dynamodb-plan-store.js')).planStore;
      key = new TextEncoder().encode((await readFile(stack.linkKeyFile!, 'utf8')).trim());
      for (const p of [PARTNER, OTHER]) await store.savePartnerSettings({ ...parseSettings(p), partner_id: p.partner_id });

      stack.clock.now = at(FIRST_DAY, 6);
      const s3 = new S3Client(stack.aws.clientConfig('s3'));
      const body = await readFile(SAMPLE);
      for (const p of [PARTNER, OTHER])
        await s3.send(new PutObjectCommand({ Bucket: LOCAL_NAMES.bucket, Key: `uploads/${p.partner_id}/customers.csv`, Body: body }));
      s3.destroy();
      await stack.settled();
      stack.clock.now = at(FIRST_DAY);
      await stack.runSchedules(stack.clock.now);
      firstDigest = dailyDigests(await listSentEmails(stack.aws))[0]!;
      const acceptLinks = linksOf(firstDigest!).filter((l) => l.action === 'accepted');
      [accepted, control] = acceptLinks as [DigestLink, DigestLink];
      browser = await launching;
      page = await browser.newPage({ viewport: { width: 390, height: 800 } });
    }, 120_000);

    afterAll(async () => {
      await browser?.close();
      await stack?.stop();
      await rm(dataDir, { recursive: true, force: true });
    });

    it("gives each invitation row of the digest signed links for this partner's customer", () => {
      expect(accepted, 'the first digest has invitation rows with an "Accepted" link').toBeDefined();
      expect(control).toBeDefined();
      const links = linksOf(firstDigest);
      expect(links.every((l) => l.partnerId === PARTNER.partner_id && l.url.startsWith(stack.actionsUrl))).toBe(true);
      expect(links.filter((l) => l.label === 'I sent it').every((l) => l.action === 'sent' && l.subject.kind === 'customer')).toBe(true);
      expect(firstDigest.text).toContain(`Accepted: ${accepted.url}`);
    });

    it('opening a link only asks: nothing is recorded until the button is pressed', async () => {
      const shown = await open(accepted.url);
      expect(shown.status).toBe(200);
      expect(shown.heading).toMatch(/^Has .+ accepted the invitation\?$/);
      expect(shown.text).toContain('Nothing changes until you press the button');
      const head = await fetch(accepted.url, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(await eventsOf(accepted.subject)).toEqual([]);
    });

    it('the button records the change once, from the e-mail link; pressing it again records nothing more', async () => {
      // The same link open twice (a second tab, a second device): both show the button.
      const second = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await second.goto(accepted.url);
      await open(accepted.url);
      await page.getByRole('button', { name: 'Yes, it is accepted' }).click();
      await expect.poll(() => page.locator('h1').innerText()).toBe('Recorded');
      const events = await eventsOf(accepted.subject);
      expect(events).toMatchObject([{ state: 'accepted', source: 'email_link', effective: FIRST_DAY, by: PARTNER.email }]);

      await second.getByRole('button', { name: 'Yes, it is accepted' }).click();
      await expect.poll(() => second.locator('h1').innerText()).toBe('Already recorded');
      await second.close();
      expect(await eventsOf(accepted.subject)).toHaveLength(1);
      // Opened again days later, it says when the change took effect, and offers nothing to press.
      stack.clock.now = at('2026-12-03', 9);
      const again = await open(accepted.url);
      expect(again.heading).toBe('Already recorded');
      expect(again.text).toContain(`accepted your reseller relationship on ${FIRST_DAY}`);
      expect(await page.getByRole('button').count()).toBe(0);
      stack.clock.now = at(FIRST_DAY, 9);
      const record = await store.trackedRecord(PARTNER.partner_id, accepted.subject);
      expect(record).toMatchObject({ kind: 'customer', customer: { invitationStatus: 'accepted' } });
    });

    it('the next digests stop asking for that invitation, and keep asking for the others', async () => {
      const before = (await listSentEmails(stack.aws)).length;
      for (let day = isoToDay(FIRST_DAY) + 1; day <= isoToDay(FIRST_DAY) + 21; day++) {
        stack.clock.now = new Date(day * 86_400_000 + 7 * 3_600_000);
        await stack.runSchedules(stack.clock.now);
      }
      const mails = (await listSentEmails(stack.aws)).slice(before);
      laterDigests = dailyDigests(mails);
      otherDigests = mails.filter((m) => m.to.includes(OTHER.email) && m.subject.startsWith('CSP moves for'));
      const later = laterDigests.flatMap(linksOf);
      const asked = (id: string) => later.some((l) => l.subject.kind === 'customer' && l.subject.id === id);
      expect(asked(control.subject.id), 'a customer that did not accept is reminded again').toBe(true);
      expect(asked(accepted.subject.id), 'the accepted customer is not').toBe(false);
      stack.clock.now = at(FIRST_DAY, 9);
    });

    it('an accepted customer\'s move day offers "Provisioned"; a blocked move offers its customer\'s "Accepted"', async () => {
      const moveDay = laterDigests.find((m) => linksOf(m).some((l) => l.action === 'provisioned'));
      expect(moveDay, 'a later digest has moves today').toBeDefined();
      const provisioned = linksOf(moveDay!).find((l) => l.action === 'provisioned')!;
      const record = await store.trackedRecord(PARTNER.partner_id, provisioned.subject);
      expect(record).toMatchObject({ kind: 'subscription', subscription: { customerId: accepted.subject.id } });
      // The other partner, whose customers never accepted: on their move day, blocked, with the link that unblocks them.
      const blockedDay = otherDigests.find((m) => m.html!.includes('Moves blocked'));
      expect(blockedDay, 'a digest of the other partner has moves blocked').toBeDefined();
      const blocked = linksOf({ ...blockedDay!, html: blockedDay!.html!.split('Moves blocked')[1]! });
      expect(blocked.length).toBeGreaterThan(0);
      expect(blocked.every((l) => l.action === 'accepted' && l.partnerId === OTHER.partner_id)).toBe(true);

      const day = /CSP moves for (\d{4}-\d{2}-\d{2})/.exec(moveDay!.subject)![1]!;
      stack.clock.now = at(day, 10);
      const shown = await open(provisioned.url);
      expect(shown.heading).toMatch(/subscription provisioned in CSP\?$/);
      expect(shown.text).toContain(provisioned.subject.id);
      await page.getByRole('button', { name: 'Yes, it is provisioned' }).click();
      await expect.poll(() => page.locator('h1').innerText()).toBe('Recorded');
      expect(await eventsOf(provisioned.subject)).toMatchObject([{ state: 'provisioned', source: 'email_link', effective: day }]);
      // The day reads whole at a phone's width: it never breaks mid-date.
      // (A string: the test is type-checked without the DOM's types.)
      expect(await page.evaluate("getComputedStyle(document.querySelector('strong.day')).whiteSpace")).toBe('nowrap');
      stack.clock.now = at(FIRST_DAY, 9);
    });

    it('refuses a changed token, and changes nothing', async () => {
      const token = new URL(control.url).searchParams.get('t')!;
      const [header, payload, signature] = token.split('.') as [string, string, string];
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
      const forged = (changes: Record<string, unknown>) =>
        `${header}.${Buffer.from(JSON.stringify({ ...claims, ...changes })).toString('base64url')}.${signature}`;
      const url = (t: string) => `${stack.actionsUrl}?t=${encodeURIComponent(t)}`;

      for (const t of [
        forged({ p: OTHER.partner_id }),
        forged({ i: accepted.subject.id }),
        forged({ exp: 4102444800 }),
        `${token.slice(0, -3)}abc`,
        'not-a-token',
      ]) {
        const shown = await open(url(t));
        expect(shown.status).toBe(400);
        expect(shown.heading).toBe('This link is not valid');
        expect(shown.text).toContain('Nothing was changed');
        const posted = await fetch(stack.actionsUrl, { method: 'POST', body: new URLSearchParams({ token: t }) });
        expect(posted.status).toBe(400);
      }
      expect(await eventsOf(control.subject)).toEqual([]);
      expect(await eventsOf(control.subject, OTHER.partner_id)).toEqual([]);
    });

    it('refuses an expired link, and changes nothing', async () => {
      const expired = await sign(PARTNER.partner_id, control.subject, 'accepted', at(FIRST_DAY, 8));
      const shown = await open(`${stack.actionsUrl}?t=${expired}`);
      expect(shown).toMatchObject({ status: 410, heading: 'This link has expired' });
      const posted = await fetch(stack.actionsUrl, { method: 'POST', body: new URLSearchParams({ token: expired }) });
      expect(posted.status).toBe(410);
      expect(await eventsOf(control.subject)).toEqual([]);
    });

    it("a link of another partner acts on that partner's plan only, and one for an item not in a plan is refused", async () => {
      const otherLink = await sign(OTHER.partner_id, control.subject, 'accepted');
      await open(`${stack.actionsUrl}?t=${otherLink}`);
      await page.getByRole('button', { name: 'Yes, it is accepted' }).click();
      await expect.poll(() => page.locator('h1').innerText()).toBe('Recorded');
      expect(await eventsOf(control.subject, OTHER.partner_id)).toHaveLength(1);
      expect(await eventsOf(control.subject)).toEqual([]);

      const gone = await sign(PARTNER.partner_id, { kind: 'subscription', id: 'no-such-subscription' }, 'provisioned');
      const shown = await open(`${stack.actionsUrl}?t=${gone}`);
      expect(shown).toMatchObject({ status: 404, heading: 'This is no longer in the plan' });
      const posted = await fetch(stack.actionsUrl, { method: 'POST', body: new URLSearchParams({ token: gone }) });
      expect(posted.status).toBe(404);
    });

    it('a link that would step back shows the state and changes nothing', async () => {
      const back = await sign(PARTNER.partner_id, accepted.subject, 'sent');
      const shown = await open(`${stack.actionsUrl}?t=${back}`);
      expect(shown.status).toBe(409);
      expect(shown.text).toContain('accepted already');
      expect(await eventsOf(accepted.subject)).toHaveLength(1);
    });

    it('answers other methods with 405, and serves every page under a strict CSP', async () => {
      const put = await fetch(accepted.url, { method: 'PUT' });
      expect(put.status).toBe(405);
      const got = await fetch(accepted.url);
      const csp = got.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(got.headers.get('referrer-policy')).toBe('no-referrer');
      expect(got.headers.get('cache-control')).toBe('no-store');
    });
  },
);
