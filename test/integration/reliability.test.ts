/**
 * Reliability and security of the serverless pipeline (R1, R2, R3, R6, R7: docs/reliability.md), on the local
 * AWS with the real handlers, faults injected through SDK middleware (test/chaos/faults.ts).
 * The same scenarios run at full size with more seeds in `npm run chaos` (test/chaos/run.ts).
 *
 * Every partner below uploads the same generated portfolio at the same time; "clean" does so
 * without faults, and each other partner's plan must end identical to it, item by item, and get
 * the same digests, day by day, over 30 simulated days.
 *
 * R7's other half — no wildcard IAM, cdk-nag clean — is checked on the synthesized template in
 * test/infra/stack.test.ts ("no Allow statement anywhere has a '*' action or resource…") and
 * test/infra/nag.test.ts.
 */
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oneLine } from '../../shared/mail/layout.js';
import { escapeHtml } from '../../shared/report/escape.js';
import { rng } from '../chaos/faults.js';
import {
  type CrashResult,
  crashAndRerun,
  deletedBeforeRead,
  duplicateDeliveries,
  emptyObject,
  FORMULA_NAMES,
  formulaNames,
  invitationsUnderSes5xx,
  logsAtInfo,
  type Recovery,
  reportMailUnderSes5xx,
  simulateDays,
  tenantIsolation,
  uploadUnderThrottling,
  uploadWithBrokenBody,
} from '../chaos/scenarios.js';
import {
  addPartner,
  at,
  cleanUpload,
  compareDigestWindows,
  digestsByDay,
  emailOf,
  isDailyDigest,
  lambda,
  mailbox,
  planDiff,
  planSnapshot,
  portfolioCsv,
  putObject,
  startWorld,
  uploadKey,
  type World,
} from '../chaos/world.js';

const START = '2027-01-04'; // a Monday
const T0 = at(START, 6);
const ROWS = 150;
const csv = portfolioCsv(ROWS, 42, START);

let w: World;
let clean: string[];

beforeAll(async () => {
  w = await startWorld();
  const delivery = await cleanUpload(w, 'clean', csv, T0);
  expect(delivery.outcomes?.[0]?.outcome).toBe('planned');
  clean = (await planSnapshot(w, 'clean')).items;
}, 60_000);

afterAll(async () => {
  await w?.stop();
});

/** Partners whose plan and digests must equal the clean run's. */
const likeClean: string[] = [];

function expectCleanPlan(plan: string[], who: string) {
  expect(planDiff(plan, clean), who).toEqual({ onlyIn: [], missing: [] });
  expect(plan).toHaveLength(clean.length);
}

describe('R1: S3 delivers the same event 3 times', () => {
  it.each([false, true])('concurrently: %s → one upload, the clean plan, one report e-mail', async (concurrent) => {
    const partnerId = concurrent ? 'r1-concurrent' : 'r1-sequential';
    const r = await duplicateDeliveries(w, { partnerId, csv, when: T0, deliveries: 3, concurrent });
    expect(r.outcomes.sort()).toEqual(['duplicate', 'duplicate', 'planned']);
    expect(r.uploadItems).toBe(1);
    expect(r.reportMails).toBe(1);
    expectCleanPlan(r.plan, partnerId);
    likeClean.push(partnerId);
  });
});

describe('R2: the plan function killed at a random batch, then run again', () => {
  const batches = () => Math.ceil(clean.length / 25);
  const cases: [number, Recovery][] = [
    [1, 'lambda-retry'],
    [2, 'failed'],
    [3, 'stale-window'],
  ];
  it.each(cases)('seed %i, %s: the table ends identical to the clean run, one report e-mail', async (seed, recovery) => {
    const partnerId = `r2-seed${seed}`;
    const killAt = { kind: 'batch' as const, n: 1 + Math.floor(rng(seed)() * batches()) };
    const r: CrashResult = await crashAndRerun(w, { partnerId, csv, when: T0, killAt, recovery });
    expect(r.killedCall).toBe('dynamodb BatchWriteItem');
    expect(r.killError).toBe('Killed');
    // A crash leaves the claim `processing`; a failure the handler saw marks it `failed`.
    expect(r.statusAfterKill).toBe(recovery === 'failed' ? 'failed' : 'processing');
    expect(r.itemsAfterKill).toBeLessThan(clean.length);
    if (recovery === 'stale-window') expect(r.earlyRedelivery).toBe('duplicate');
    expect(r.retryOutcome).toBe('planned');
    expect(r.uploadItems).toBe(1);
    expect(r.reportMails).toBe(1);
    expect(r.uploadIds).toBe(1);
    expect(r.shardsOk).toBe(true);
    expectCleanPlan(r.plan, partnerId);
    likeClean.push(partnerId);
  });
});

describe('R3: faults injected through SDK middleware', () => {
  it('DynamoDB throttling and UnprocessedItems are retried with backoff: planned at the first attempt, nothing lost', async () => {
    const r = await uploadUnderThrottling(w, {
      partnerId: 'r3-throttled',
      csv,
      when: T0,
      seed: 11,
      throttleRate: 0.2,
      maxConsecutive: 2,
      throttleBudget: 3,
      unprocessedRate: 0.5,
    });
    expect(r.delivery).toEqual({ outcome: 'planned', attempts: 1, errors: [] });
    expect(r.counts.throttled).toBeGreaterThan(0);
    expect(r.counts.sdkRetries.dynamodb).toBe(r.counts.throttled);
    expect(r.counts.heldBack).toBeGreaterThan(0);
    expect(r.reportMails).toBe(1);
    expectCleanPlan(r.plan, r.partnerId);
    likeClean.push(r.partnerId);
  });

  it('an S3 body that breaks off mid-stream fails the attempt with nothing written; the retry plans it', async () => {
    const r = await uploadWithBrokenBody(w, { partnerId: 'r3-broken-body', csv, when: T0, cutAfter: [Math.floor(csv.length / 2), 100] });
    expect(r.counts.cutBodies).toBe(2);
    expect(r.delivery).toMatchObject({ outcome: 'planned', attempts: 3 });
    expect(r.delivery.errors.slice(0, 1)).toEqual(['ECONNRESET']);
    expect(r.status).toBe('failed'); // after the first attempt: Lambda retries it
    expect(r.itemsAfterFailure).toBe(0); // nothing half-written
    expect(r.reportMails).toBe(1);
    expectCleanPlan(r.plan, r.partnerId);
    likeClean.push(r.partnerId);
  });

  it.each([
    [2, 1],
    [3, 2],
  ])('SES answering 503 %i times: retried (%i Lambda attempts), exactly one report e-mail', async (failures, attempts) => {
    const r = await reportMailUnderSes5xx(w, { partnerId: `r3-ses-${failures}`, csv, when: T0, failures });
    expect(r.counts.sesFaults).toBe(failures);
    expect(r.delivery).toMatchObject({ outcome: 'planned', attempts });
    expect(r.reportMails).toBe(1);
    expect(r.status).toBe('planned');
    expectCleanPlan(r.plan, r.partnerId);
    likeClean.push(r.partnerId);
  });
});

describe('30 simulated days of daily and weekly runs', () => {
  const faulty = 'r3-reminders';

  it('send every partner above exactly the clean run’s digests; under SES and DynamoDB faults no reminder is lost or sent twice', async () => {
    expect((await cleanUpload(w, faulty, csv, T0)).outcomes?.[0]?.outcome).toBe('planned');
    const sim = await simulateDays(w, {
      start: START,
      days: 30,
      faults: {
        partnerId: faulty,
        sesDownOn: ['2027-01-06', '2027-01-20'],
        sesFlakyOn: ['2027-01-08', '2027-01-11'],
        crashAfterSendOn: ['2027-01-13'],
        throttleRate: 0.02,
        throttleBudget: 3,
        seed: 5,
      },
    });
    expect(sim.injected.sesDown).toBeGreaterThan(0);
    expect(sim.injected.sesFlaky).toBe(4);
    expect(sim.injected.crashAfterSend).toBe(1);
    // The days SES was down: all three attempts of the daily run failed (for that partner).
    expect(sim.deadLettered).toBe(2);

    const mail = await mailbox(w);
    const cleanDigests = digestsByDay(mail.get(emailOf('clean')) ?? [], 'clean');
    expect(cleanDigests.size).toBeGreaterThan(25);
    expect(likeClean.length).toBeGreaterThanOrEqual(9);
    for (const partnerId of likeClean) {
      expect(Object.fromEntries(digestsByDay(mail.get(emailOf(partnerId)) ?? [], partnerId)), partnerId).toEqual(
        Object.fromEntries(cleanDigests),
      );
    }

    const cleanDaily = (mail.get(emailOf('clean')) ?? []).filter(isDailyDigest);
    const faultyDaily = (mail.get(emailOf(faulty)) ?? []).filter(isDailyDigest);
    const subjects = faultyDaily.map((m) => /CSP moves for (\S+):/.exec(m.subject)![1]);
    expect(new Set(subjects).size).toBe(subjects.length); // no digest twice
    expect(subjects).not.toContain('2027-01-06');
    expect(subjects).toContain('2027-01-07'); // the next run carries what the refused one held
    const { lost, doubled, compared, neverSent, moreOften } = compareDigestWindows(cleanDaily, faultyDaily);
    expect(compared).toBeGreaterThan(100);
    expect({ lost, doubled, neverSent, moreOften }).toEqual({ lost: [], doubled: [], neverSent: [], moreOften: [] });
  }, 120_000);
});

describe('R3: a customer invitation SES refuses', () => {
  it('is sent by Lambda’s retry of the daily run, once; every other contact gets exactly what a fault-free partner’s do', async () => {
    const r = await invitationsUnderSes5xx(w, { prefix: 'inv', csv: portfolioCsv(150, 8, '2027-03-16'), when: at('2027-03-16', 6) });
    expect(r.refused).toBeDefined();
    expect(r.sesFaults).toBe(3);
    expect(r.lambdaRetries).toBe(1);
    expect(Object.values(r.clean).filter((n) => n > 0).length).toBeGreaterThan(3);
    expect(r.faulty).toEqual(r.clean);
  });
});

describe('R2: killed at every call of an upload in turn (DynamoDB, S3, SES), then retried by Lambda', () => {
  it('each re-run ends with the clean plan and one report e-mail — none when the kill hit the send itself (at most once), never two', async () => {
    const small = portfolioCsv(20, 4, START);
    await addPartner(w, 'clean-small');
    const event = await putObject(w, uploadKey('clean-small'), small, T0);
    w.chaos.reset();
    await lambda(w, event, T0);
    const calls = w.chaos.reset().calls; // every call the function makes, in a clean run
    const total = calls.dynamodb + calls.s3 + calls.ses;
    const reference = (await planSnapshot(w, 'clean-small')).items;
    expect(total).toBeGreaterThan(10);
    const runs: string[] = [];
    for (let n = 1; n <= total; n++) {
      const r = await crashAndRerun(w, {
        partnerId: `r2-call${n}`,
        csv: small,
        when: T0,
        killAt: { kind: 'call', n },
        recovery: 'lambda-retry',
      });
      const label = `#${n} ${r.killedCall}`;
      runs.push(label);
      expect(r.retryOutcome, label).toBe('planned');
      expect(planDiff(r.plan, reference), label).toEqual({ onlyIn: [], missing: [] });
      expect(r.uploadItems, label).toBe(1);
      expect(r.reportMails, label).toBe(r.killedCall === 'ses SendEmail' ? 0 : 1);
    }
    expect(
      runs.some((l) => l.endsWith('BatchWriteItem')) &&
        runs.some((l) => l.endsWith('PutObject')) &&
        runs.some((l) => l.endsWith('SendEmail')),
    ).toBe(true);
  });
});

describe('R6: a key under uploads/A/ never reaches partner B; odd keys', () => {
  it('whatever the file says and whatever the key looks like, A touches only A', async () => {
    const r = await tenantIsolation(w, {
      attacker: 'iso-a',
      victim: 'iso-b',
      victimCsv: portfolioCsv(12, 3, '2027-02-15'),
      when: at('2027-02-15', 6),
    });
    const outcomes = Object.fromEntries(r.cases.map((c) => [c.label, c.outcome]));
    expect(outcomes).toEqual({
      plain: 'planned',
      'spaces, plus, unicode': 'planned',
      'literal %2F and .. in the name': 'planned',
      'formula file name': 'planned',
      'nested under another partner': 'ignored',
      'literal %2F in the partner': 'ignored',
      'dot-dot into the other partner': 'ignored',
      'encoded slashes in the event key': 'ignored',
      'dot segment': 'ignored',
      'broken URL encoding': 'ignored',
    });
    for (const c of r.cases) {
      if (c.outcome === 'ignored') {
        // refused before any read or write, with a log line
        expect(c.touched, c.label).toEqual({ partitions: [], indexes: [], s3Keys: [], recipients: [] });
        expect(
          c.logLines.filter((l) => /Ignored/.test(l)),
          c.label,
        ).toHaveLength(1);
        continue;
      }
      expect(c.touched.partitions, c.label).toEqual(['P#iso-a']);
      expect(c.touched.indexes, c.label).toEqual([]);
      expect(c.touched.recipients, c.label).toEqual([emailOf('iso-a')]);
      expect(
        c.touched.s3Keys.filter((k) => !k.startsWith('uploads/iso-a/') && !k.startsWith('reports/iso-a/')),
        c.label,
      ).toEqual([]);
      expect(c.touched.s3Keys, c.label).toContain(c.put);
    }
    expect(r.victimItemsAfter).toEqual(r.victimItemsBefore);
    expect(r.victimReportsAfter).toEqual(r.victimReportsBefore);
    expect(r.victimMails).toBe(0);
    expect(r.attackerPartitions).toEqual(['P#iso-a']);
    expect(r.attackerReportKeys.length).toBe(4 * 3);
    expect(
      r.attackerReportKeys.every((k) =>
        /^reports\/iso-a\/[0-9a-f]{24}\/(plan|errors)\.csv$|^reports\/iso-a\/[0-9a-f]{24}\/report\.html$/.test(k),
      ),
    ).toBe(true);
  });

  it('names starting =, +, -, @ (or a tab) are guarded in plan.csv and errors.csv only: report.html and the e-mails show them as they are, escaped', async () => {
    const r = await formulaNames(w, { partnerId: 'r6-formulas', when: at('2027-02-16', 6) });
    const names = FORMULA_NAMES.map((n) => oneLine(n));

    // CSV: no text cell starts like a formula (a negative number is no formula); every name is the guard quote and the name.
    for (const [label, csv] of [
      ['plan.csv', r.planCsv],
      ['errors.csv', r.errorsCsv],
    ] as const) {
      const cells = Papa.parse<string[]>(csv.trim()).data.flat();
      expect(
        cells.filter((c) => /^[=+\-@\t\r]/.test(c) && !/^-\d+(?:\.\d+)?$/.test(c)),
        label,
      ).toEqual([]);
    }
    const plan = Papa.parse<Record<string, string>>(r.planCsv.trim(), { header: true }).data;
    expect(plan).toHaveLength(2 * names.length);
    expect(new Set(plan.map((row) => row.customer_name))).toEqual(new Set(names.map((n) => `'${n}`)));
    expect(plan.every((row) => row.subscription_id!.startsWith("'"))).toBe(true);

    // Stored as uploaded: the guard is never in DynamoDB, and plan.csv uploaded again unedited changes no name.
    expect(r.storedNames).toEqual([...names].sort());
    expect(r.storedNamesAfterReupload).toEqual(r.storedNames);

    // HTML and text: every name as it is (escaped in HTML), never behind a guard quote.
    expect(r.reportMail).toBeDefined();
    expect(r.digest).toBeDefined();
    for (const [label, text, html] of [
      ['report.html', undefined, r.reportHtml],
      ['report e-mail', r.reportMail!.text!, r.reportMail!.html!],
      ['daily digest', r.digest!.text!, r.digest!.html!],
    ] as const) {
      const inHtml = names.filter((n) => html.includes(escapeHtml(n)));
      expect(inHtml.length, `${label}: names in the HTML`).toBeGreaterThanOrEqual(3);
      for (const name of inHtml) expect(shownAsIs(html, escapeHtml(name)), `${label} html: ${name}`).toBe(true);
      expect(html, label).not.toContain('<b>bold</b>');
      if (text === undefined) continue;
      const inText = names.filter((n) => text.includes(n));
      expect(inText, `${label}: the same names in the text`).toEqual(inHtml);
      for (const name of inText) expect(shownAsIs(text, name), `${label} text: ${name}`).toBe(true);
    }
    expect(r.reportMail!.subject).toContain('— =evil.csv');
  });
});

/** `value` occurs in `text`, and never right after a formula guard quote (`'`, or `&#39;` in HTML). */
function shownAsIs(text: string, value: string): boolean {
  let from = 0;
  let seen = 0;
  for (let i = text.indexOf(value, from); i !== -1; i = text.indexOf(value, from)) {
    if (text[i - 1] === "'" || text.slice(i - 5, i) === '&#39;') return false;
    seen++;
    from = i + value.length;
  }
  return seen > 0;
}

describe('R7: no e-mail address in the logs at INFO', () => {
  it('through uploads (planned, rejected, unknown partner, SES refusals) and three days of scheduled runs', async () => {
    const r = await logsAtInfo(w, { prefix: 'r7', when: at('2027-03-01', 6), rows: 40 });
    const messages = new Set(r.entries.map((e) => e.message));
    for (const m of [
      'Upload planned',
      'Upload rejected',
      'Upload from an unknown partner: nothing planned',
      'Upload failed; the event will be retried',
      'Daily digest sent',
      'Partner job failed; the queue tries it again',
    ]) {
      expect(messages, m).toContain(m);
    }
    expect(r.entries.every((e) => e.level !== 'DEBUG')).toBe(true);
    expect(r.knownAddresses.length).toBeGreaterThan(10);
    expect(r.redacted).toBeGreaterThan(0); // addresses reached the logger, and were taken out
    expect(r.addresses).toEqual([]);
    for (const address of r.knownAddresses)
      expect(
        r.lines.some((l) => l.includes(address)),
        address,
      ).toBe(false);
  });
});

describe('an object gone before the read, an empty object', () => {
  it('deleted between its event and the read: rejected as unreadable at once (no retries), error report, failure e-mail', async () => {
    const r = await deletedBeforeRead(w, { partnerId: 'gone', csv, when: at('2027-03-10', 6) });
    expect(r.delivery).toEqual({ outcome: 'rejected', attempts: 1, code: 'unreadable' });
    expect(r.upload).toMatchObject({ status: 'rejected', code: 'unreadable' });
    expect(r.errorsCsv).toContain('unreadable');
    expect(r.failureMails).toBe(1);
  });

  it('empty: rejected as empty_file with an error report', async () => {
    const r = await emptyObject(w, { partnerId: 'gone', when: at('2027-03-10', 6) });
    expect(r.delivery).toEqual({ outcome: 'rejected', attempts: 1, code: 'empty_file' });
    expect(r.upload).toMatchObject({ status: 'rejected', code: 'empty_file' });
    expect(r.errorsCsv).toContain('empty_file');
    expect(r.failureMails).toBe(1);
  });
});
