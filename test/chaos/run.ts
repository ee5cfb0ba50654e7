/**
 * `npm run chaos`: the reliability scenarios of test/integration/reliability.test.ts at full
 * size, with more seeds and heavier faults, on the local AWS. Prints the figures and exits 1 if
 * any invariant broke.
 *
 *   npm run chaos                  2,000-row portfolio, 20 crash seeds, 30 simulated days
 *   npm run chaos -- --quick       a smoke run (200 rows, 3 seeds)
 *   CHAOS_ROWS=5000 CHAOS_SEEDS=40 npm run chaos
 */
// First: loading it silences the AWS SDK's Node-version warning before any SDK module loads.
import '../../local/aws/local-aws.js';
import Papa from 'papaparse';
import { oneLine } from '../../shared/mail/layout.js';
import { escapeHtml } from '../../shared/report/escape.js';
import { type Counts, rng } from './faults.js';
import {
  type CrashResult,
  crashAndRerun,
  deletedBeforeRead,
  duplicateDeliveries,
  emptyObject,
  type FaultResult,
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
} from './scenarios.js';
import {
  addPartner,
  at,
  cleanUpload,
  compareDigestWindows,
  digestsByDay,
  emailOf,
  isDailyDigest,
  isWeeklyDigest,
  lambda,
  mailbox,
  planDiff,
  planSnapshot,
  portfolioCsv,
  putObject,
  remindersOf,
  startWorld,
  uploadKey,
} from './world.js';

const quick = process.argv.includes('--quick');
const ROWS = Number(process.env.CHAOS_ROWS ?? (quick ? 200 : 2000));
const SEEDS = Number(process.env.CHAOS_SEEDS ?? (quick ? 3 : 20));
const DAYS = 30;
const START = '2027-01-04'; // a Monday
const T0 = at(START, 6);

const out = (line = '') => process.stdout.write(`${line}\n`);
const n = (x: number) => x.toLocaleString('en-US');
const violations: string[] = [];
function check(ok: boolean, what: string): void {
  if (!ok) violations.push(what);
}
const sum = (list: number[]) => list.reduce((a, b) => a + b, 0);
const attemptsOf = (r: FaultResult) => (r.deadLettered ? `3+DLQ replay` : String(r.delivery.attempts));
const sumCounts = (list: Counts[], f: (c: Counts) => number) => sum(list.map(f));

async function main(): Promise<number> {
  const started = Date.now();
  const w = await startWorld(); // in memory: DynamoDB in memory-level, S3 in a temp dir
  const phase = (name: string) => out(`\n${name}  (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  try {
    const csv = portfolioCsv(ROWS, 42, START);
    w.chaos.reset();
    check((await cleanUpload(w, 'clean', csv, T0)).outcomes?.[0]?.outcome === 'planned', 'the clean upload was not planned');
    const cleanCounts = w.chaos.reset();
    const clean = (await planSnapshot(w, 'clean')).items;
    const batches = Math.ceil(clean.length / 25);
    out(`CSP Move Planner — chaos run${quick ? ' (--quick)' : ''}`);
    const sdkAttempts = {
      dynamodb: Number(await w.chaos.clients.dynamodb.config.maxAttempts()),
      s3: Number(await w.chaos.clients.s3.config.maxAttempts()),
      ses: Number(await w.chaos.clients.ses.config.maxAttempts()),
    };
    out(
      `portfolio: ${n(ROWS)} rows → ${n(clean.length)} items (${n(batches)} BatchWriteItem requests of 25); ${n(cleanCounts.calls.dynamodb)} DynamoDB, ${n(cleanCounts.calls.s3)} S3 and ${n(cleanCounts.calls.ses)} SES calls in a clean upload`,
    );
    out(
      `SDK attempts per request (its own retries with backoff): DynamoDB ${sdkAttempts.dynamodb}, S3 ${sdkAttempts.s3}, SES ${sdkAttempts.ses}; Lambda: 3 attempts per event, then the dead-letter queue`,
    );
    const likeClean: string[] = [];
    const samePlan = (plan: string[], who: string) => {
      const d = planDiff(plan, clean);
      const ok = d.onlyIn.length === 0 && d.missing.length === 0 && plan.length === clean.length;
      check(ok, `${who}: the plan differs from the clean run (${JSON.stringify(d).slice(0, 300)})`);
      return ok;
    };

    // --- R1 -----------------------------------------------------------------------------------
    phase('R1  the same S3 event delivered several times');
    const r1 = [];
    for (const [deliveries, concurrent, reps] of [
      [3, false, 5],
      [3, true, 5],
      [5, true, 2],
    ] as const) {
      for (let i = 0; i < reps; i++) {
        const partnerId = `r1-${concurrent ? 'c' : 's'}${deliveries}-${i}`;
        const r = await duplicateDeliveries(w, { partnerId, csv, when: T0, deliveries, concurrent });
        r1.push(r);
        check(r.outcomes.filter((x) => x === 'planned').length === 1, `${partnerId}: planned ${r.outcomes.join(',')}`);
        check(r.uploadItems === 1, `${partnerId}: ${r.uploadItems} upload items`);
        check(r.reportMails === 1, `${partnerId}: ${r.reportMails} report e-mails`);
        if (samePlan(r.plan, partnerId)) likeClean.push(partnerId);
      }
    }
    out(
      `  uploads ${r1.length} (${r1.filter((r) => !r.concurrent).length} with 3 sequential deliveries, ${r1.filter((r) => r.concurrent).length} with 3–5 concurrent), deliveries ${sum(r1.map((r) => r.deliveries))}`,
    );
    out(
      `  planned ${r1.filter((r) => r.outcomes.includes('planned')).length}, duplicate deliveries skipped ${sum(r1.map((r) => r.outcomes.filter((x) => x === 'duplicate').length))}`,
    );
    out(
      `  upload items per upload: max ${Math.max(...r1.map((r) => r.uploadItems))}; plans identical to the clean run: ${r1.filter((r) => likeClean.includes(r.partnerId)).length}/${r1.length}; report e-mails per upload: min ${Math.min(...r1.map((r) => r.reportMails))}, max ${Math.max(...r1.map((r) => r.reportMails))}`,
    );

    // --- R2 -----------------------------------------------------------------------------------
    phase(`R2  killed at a random batch, then run again (${SEEDS} seeds)`);
    const recoveries: Recovery[] = ['lambda-retry', 'failed', 'stale-window'];
    const r2: CrashResult[] = [];
    for (let seed = 1; seed <= SEEDS; seed++) {
      const recovery = recoveries[(seed - 1) % recoveries.length]!;
      const partnerId = `r2-seed${seed}`;
      const killAt = { kind: 'batch' as const, n: 1 + Math.floor(rng(seed)() * batches) };
      const r = await crashAndRerun(w, { partnerId, csv, when: T0, killAt, recovery });
      r2.push(r);
      check(r.retryOutcome === 'planned', `${partnerId}: re-run ${r.retryOutcome}`);
      check(r.reportMails === 1 && r.uploadItems === 1, `${partnerId}: ${r.reportMails} e-mails, ${r.uploadItems} upload items`);
      check(
        recovery !== 'stale-window' || r.earlyRedelivery === 'duplicate',
        `${partnerId}: a redelivery inside the stale window was ${r.earlyRedelivery}`,
      );
      if (samePlan(r.plan, partnerId)) likeClean.push(partnerId);
    }
    for (const recovery of recoveries) {
      const list = r2.filter((r) => r.recovery === recovery);
      if (list.length === 0) continue;
      out(
        `  ${recovery.padEnd(12)} ${list.length} runs, killed at batch ${list.map((r) => r.killedAt.n).join(', ')} of ${batches}; ` +
          `left ${list
            .map((r) => r.statusAfterKill)
            .filter((v, i, a) => a.indexOf(v) === i)
            .join(
              '/',
            )} with ${n(Math.min(...list.map((r) => r.itemsAfterKill)))}–${n(Math.max(...list.map((r) => r.itemsAfterKill)))} of ${n(clean.length)} items written`,
      );
    }
    out(
      `  re-runs planned ${r2.filter((r) => r.retryOutcome === 'planned').length}/${r2.length}; tables identical to the clean run ${r2.filter((r) => likeClean.includes(r.partnerId)).length}/${r2.length}; report e-mails ${sum(r2.map((r) => r.reportMails))} for ${r2.length} uploads`,
    );

    // --- R3 -----------------------------------------------------------------------------------
    phase('R3  faults injected through SDK middleware');
    const throttled: FaultResult[] = [];
    for (const [i, heavy] of [
      [1, false],
      [2, false],
      [3, false],
      [4, true],
      [5, true],
    ] as const) {
      const partnerId = `r3-throttle${i}`;
      const r = await uploadUnderThrottling(w, {
        partnerId,
        csv,
        when: T0,
        seed: 100 + i,
        throttleRate: heavy ? 0.2 : 0.1,
        maxConsecutive: heavy ? Infinity : 2,
        unprocessedRate: heavy ? 0.6 : 0.3,
      });
      throttled.push(r);
      check(r.delivery.outcome === 'planned' && r.status === 'planned', `${partnerId}: ${r.delivery.outcome} (${r.status})`);
      check(r.reportMails === 1, `${partnerId}: ${r.reportMails} report e-mails`);
      if (samePlan(r.plan, partnerId)) likeClean.push(partnerId);
    }
    const tc = throttled.map((r) => r.counts);
    out(
      `  throttling + UnprocessedItems: ${throttled.length} uploads (3 light: 10% of attempts throttled, ≤2 in a row; 2 heavy: 20%, any number in a row, so the SDK sometimes gives up after its ${sdkAttempts.dynamodb} attempts)`,
    );
    out(
      `    DynamoDB attempts ${n(sumCounts(tc, (c) => c.attempts.dynamodb))}, throttled ${n(sumCounts(tc, (c) => c.throttled))}, SDK retries ${n(sumCounts(tc, (c) => c.sdkRetries.dynamodb))}`,
    );
    out(
      `    BatchWriteItem requests ${n(sumCounts(tc, (c) => c.batchWrites))} (${n(throttled.length * batches)} without faults), items answered as UnprocessedItems and re-sent ${n(sumCounts(tc, (c) => c.heldBack))}`,
    );
    out(
      `    Lambda attempts ${throttled.map(attemptsOf).join(', ')}; dead-lettered and replayed ${throttled.filter((r) => r.deadLettered).length}; items written ${n(throttled.length * clean.length)}, tables identical ${throttled.filter((r) => likeClean.includes(r.partnerId)).length}/${throttled.length}; report e-mails ${sum(throttled.map((r) => r.reportMails))}`,
    );

    const cutRng = rng(7);
    const bodies: FaultResult[] = [];
    const cutPoints: number[] = [];
    for (let i = 1; i <= 5; i++) {
      const cuts = i === 5 ? [csv.length - 1, 0] : [Math.floor(cutRng() * csv.length)];
      cutPoints.push(...cuts);
      const partnerId = `r3-body${i}`;
      const r = await uploadWithBrokenBody(w, { partnerId, csv, when: T0, cutAfter: cuts });
      bodies.push(r);
      check(r.status === 'failed', `${partnerId}: after the broken read the upload is ${String(r.status)}`);
      check(r.itemsAfterFailure === 0, `${partnerId}: ${r.itemsAfterFailure} items written by the failed attempt`);
      check(r.delivery.outcome === 'planned' && r.reportMails === 1, `${partnerId}: ${r.delivery.outcome}, ${r.reportMails} e-mails`);
      if (samePlan(r.plan, partnerId)) likeClean.push(partnerId);
    }
    out(
      `  S3 body broken mid-stream: ${bodies.length} uploads, ${sumCounts(
        bodies.map((b) => b.counts),
        (c) => c.cutBodies,
      )} bodies cut (after ${cutPoints.map(n).join(', ')} of ${n(csv.length)} bytes)`,
    );
    out(
      `    failed attempts ${sum(bodies.map((b) => b.delivery.errors.length))}, items written by them ${sum(bodies.map((b) => b.itemsAfterFailure ?? 0))}; planned on retry ${bodies.filter((b) => b.delivery.outcome === 'planned').length}/${bodies.length}, tables identical ${bodies.filter((r) => likeClean.includes(r.partnerId)).length}/${bodies.length}`,
    );

    const ses: FaultResult[] = [];
    for (const failures of [1, 2, 3, 5, 9]) {
      const partnerId = `r3-ses${failures}`;
      const r = await reportMailUnderSes5xx(w, { partnerId, csv, when: T0, failures });
      ses.push(r);
      check(r.reportMails === 1 && r.status === 'planned', `${partnerId}: ${r.reportMails} report e-mails, ${String(r.status)}`);
      if (samePlan(r.plan, partnerId)) likeClean.push(partnerId);
    }
    out(
      `  SES 503 on the report e-mail, 1/2/3/5/9 times in a row: SDK retries ${sumCounts(
        ses.map((r) => r.counts),
        (c) => c.sdkRetries.ses,
      )}, Lambda attempts ${ses.map(attemptsOf).join('/')}, dead-lettered and replayed ${ses.filter((r) => r.deadLettered).length}`,
    );
    out(
      `    report e-mails ${ses.map((r) => r.reportMails).join('/')}; tables identical ${ses.filter((r) => likeClean.includes(r.partnerId)).length}/${ses.length}`,
    );

    // --- 30 days --------------------------------------------------------------------------------
    phase(`${DAYS} simulated days of daily and weekly runs (${likeClean.length + 2} partners)`);
    const faulty = 'r3-reminders';
    check((await cleanUpload(w, faulty, csv, T0)).outcomes?.[0]?.outcome === 'planned', 'the reminders partner was not planned');
    const faults = {
      partnerId: faulty,
      sesDownOn: ['2027-01-06', '2027-01-15', '2027-01-27'],
      sesFlakyOn: ['2027-01-05', '2027-01-11', '2027-01-19', '2027-01-25'],
      crashAfterSendOn: ['2027-01-08', '2027-01-13', '2027-01-21'],
      throttleRate: 0.01,
      throttleBudget: 30,
      seed: 9,
    };
    const sim = await simulateDays(w, { start: START, days: DAYS, faults });
    const mail = await mailbox(w);
    const cleanMails = mail.get(emailOf('clean')) ?? [];
    const cleanDigests = digestsByDay(cleanMails, 'clean');
    const cleanJson = JSON.stringify([...cleanDigests].sort());
    let sameDigests = 0;
    for (const partnerId of likeClean) {
      const ok = JSON.stringify([...digestsByDay(mail.get(emailOf(partnerId)) ?? [], partnerId)].sort()) === cleanJson;
      check(ok, `${partnerId}: its digests differ from the clean run's`);
      if (ok) sameDigests++;
    }
    const cleanDaily = cleanMails.filter(isDailyDigest);
    const faultyMails = mail.get(emailOf(faulty)) ?? [];
    const faultyDaily = faultyMails.filter(isDailyDigest);
    const expected = cleanDaily.flatMap(remindersOf);
    const got = faultyDaily.flatMap(remindersOf);
    const { lost, doubled, replanned, neverSent, moreOften } = compareDigestWindows(cleanDaily, faultyDaily);
    const subjects = faultyMails.map((m) => m.subject);
    const repeatedMails = subjects.length - new Set(subjects).size;
    check(lost.length === 0, `reminders lost under faults: ${lost.slice(0, 3).join(' | ')}`);
    check(doubled.length === 0, `reminders sent twice under faults: ${doubled.slice(0, 3).join(' | ')}`);
    check(neverSent.length === 0, `reminders never sent under faults: ${neverSent.slice(0, 3).join(' | ')}`);
    check(moreOften.length === 0, `reminders sent more often under faults: ${moreOften.slice(0, 3).join(' | ')}`);
    check(repeatedMails === 0, `${repeatedMails} digests sent twice under faults`);
    out(
      `  clean run: ${cleanDaily.length} daily and ${cleanMails.filter(isWeeklyDigest).length} weekly digests carrying ${n(expected.length)} reminders`,
    );
    out(
      `  partners whose digests equal the clean run's, day by day: ${sameDigests}/${likeClean.length} (every R1, R2 and R3 upload above)`,
    );
    out(
      `  under faults (${faulty}): SES down all day on ${faults.sesDownOn.length} days (${sim.injected.sesDown} attempts refused), 503 twice then OK ×${sim.injected.sesFlaky / 2}, crash right after SES accepted ×${sim.injected.crashAfterSend}, DynamoDB throttled ${sim.counts.throttled}`,
    );
    out(
      `    SDK retries ${sim.counts.sdkRetries.ses} SES / ${sim.counts.sdkRetries.dynamodb} DynamoDB; Lambda retries ${sim.lambdaRetries}; runs dead-lettered ${sim.deadLettered} (their digests went out with the next day's)`,
    );
    out(
      `    daily digests ${faultyDaily.length} (clean ${cleanDaily.length}), reminder lines ${n(got.length)} (clean ${n(expected.length)}); ` +
        `compared over the days each digest covers: lost ${lost.length}, sent twice ${doubled.length}, ` +
        `moves of a failed day planned again for a later day, as in the clean run ${replanned.length}; e-mails sent twice ${repeatedMails}`,
    );
    out(
      `    over the month, by reminder: never sent ${neverSent.length}, sent more often than in the clean run ${moreOften.length}` +
        (lost.length + doubled.length > 0 ? ` (${[...lost, ...doubled].slice(0, 4).join(' | ')})` : ''),
    );

    const inv = await invitationsUnderSes5xx(w, {
      prefix: 'inv',
      csv: portfolioCsv(Math.min(ROWS, 500), 8, '2027-01-05'),
      when: at('2027-01-05', 6),
    });
    const invited = Object.values(inv.clean).filter((x) => x > 0).length;
    check(
      invited > 0 && JSON.stringify(inv.faulty) === JSON.stringify(inv.clean),
      `customer invitations under SES faults differ: ${JSON.stringify(inv).slice(0, 300)}`,
    );
    out(
      `  customer invitations (notify_customers), one refused by SES on all ${inv.sesFaults} attempts: Lambda retries ${inv.lambdaRetries}; contacts invited ${invited}, each once, as in the fault-free run: ${JSON.stringify(inv.faulty) === JSON.stringify(inv.clean)}`,
    );

    // --- R2, every call in turn (after the days above, so these partners stay out of them) ----
    phase('R2  killed at every call of an upload in turn, in each recovery mode');
    const small = portfolioCsv(50, 4, START);
    await addPartner(w, 'clean-small');
    const smallEvent = await putObject(w, uploadKey('clean-small'), small, T0);
    w.chaos.reset();
    await lambda(w, smallEvent, T0);
    const smallCalls = w.chaos.reset().calls;
    const totalCalls = smallCalls.dynamodb + smallCalls.s3 + smallCalls.ses;
    const smallPlan = (await planSnapshot(w, 'clean-small')).items;
    let everyRuns = 0;
    let everyOk = 0;
    let lostAtSend = 0;
    for (const recovery of recoveries) {
      for (let k = 1; k <= totalCalls; k++) {
        const partnerId = `r2-every-${recovery}-${k}`;
        const r = await crashAndRerun(w, { partnerId, csv: small, when: T0, killAt: { kind: 'call', n: k }, recovery });
        everyRuns++;
        const d = planDiff(r.plan, smallPlan);
        const atSend = r.killedCall === 'ses SendEmail' && recovery !== 'failed';
        if (atSend && r.reportMails === 0) lostAtSend++;
        const ok =
          r.retryOutcome === 'planned' &&
          d.onlyIn.length === 0 &&
          d.missing.length === 0 &&
          r.uploadItems === 1 &&
          r.reportMails === (atSend ? 0 : 1);
        check(
          ok,
          `${partnerId} (${r.killedCall}): ${r.retryOutcome}, ${r.reportMails} e-mails, plan diff ${JSON.stringify(d).slice(0, 200)}`,
        );
        if (ok) everyOk++;
      }
    }
    out(
      `  killed at every one of the ${totalCalls} calls of a 50-row upload, in each of the 3 modes: ${everyOk}/${everyRuns} re-runs end with the clean plan and one report e-mail`,
    );
    out(`    (${lostAtSend} × none: killed inside SES SendEmail itself after flagging it — the at-most-once window; never two)`);

    // --- R6 -----------------------------------------------------------------------------------
    phase('R6  tenant isolation, odd keys, formula names (guarded in CSV only)');
    const iso = await tenantIsolation(w, {
      attacker: 'iso-a',
      victim: 'iso-b',
      victimCsv: portfolioCsv(50, 3, '2027-02-15'),
      when: at('2027-02-15', 6),
    });
    let outside = 0;
    for (const c of iso.cases) {
      const t = c.touched;
      const foreign = [
        ...t.partitions.filter((p) => p !== 'P#iso-a'),
        ...t.indexes,
        ...t.s3Keys.filter((k) => !k.startsWith('uploads/iso-a/') && !k.startsWith('reports/iso-a/')),
        ...t.recipients.filter((r) => r !== emailOf('iso-a')),
      ];
      outside += foreign.length;
      check(foreign.length === 0, `${c.label}: touched ${foreign.join(', ')}`);
      if (c.outcome === 'ignored')
        check(
          c.logLines.some((l) => /Ignored/.test(l)) && t.partitions.length + t.s3Keys.length === 0,
          `${c.label}: ignored without a log line, or after reading`,
        );
      out(`  ${c.outcome.padEnd(8)} ${c.label.padEnd(34)} ${JSON.stringify(c.eventKey).slice(0, 60)}`);
    }
    check(JSON.stringify(iso.victimItemsAfter) === JSON.stringify(iso.victimItemsBefore), "partner B's items changed");
    check(JSON.stringify(iso.victimReportsAfter) === JSON.stringify(iso.victimReportsBefore), "partner B's reports changed");
    check(iso.victimMails === 0, 'partner B got e-mail');
    out(
      `  requests outside A's partition, prefixes and address: ${outside}; B's ${iso.victimItemsBefore.length} items and ${iso.victimReportsBefore.length} report objects unchanged: ${JSON.stringify(iso.victimItemsAfter) === JSON.stringify(iso.victimItemsBefore) && JSON.stringify(iso.victimReportsAfter) === JSON.stringify(iso.victimReportsBefore)}`,
    );

    const formulas = await formulaNames(w, { partnerId: 'r6-formulas', when: at('2027-02-16', 6) });
    let shown = 0;
    let guarded = 0;
    for (const m of [formulas.reportMail, formulas.digest]) {
      if (!m) {
        check(false, 'a formula e-mail is missing');
        continue;
      }
      for (const raw of FORMULA_NAMES) {
        const name = oneLine(raw);
        for (const [text, value] of [
          [m.text ?? '', name],
          [m.html ?? '', escapeHtml(name)],
        ] as const) {
          let from = 0;
          for (let i = text.indexOf(value); i !== -1; i = text.indexOf(value, from)) {
            shown++;
            if (text[i - 1] === "'" || text.slice(i - 5, i) === '&#39;') guarded++;
            from = i + value.length;
          }
        }
      }
    }
    check(shown > 0 && guarded === 0, `${guarded} of ${shown} formula names shown with a guard quote in e-mails`);
    // A negative number is written as it is: it is not a formula.
    const unguardedCsv = [formulas.planCsv, formulas.errorsCsv].flatMap((csv) =>
      Papa.parse<string[]>(csv.trim())
        .data.flat()
        .filter((cell) => /^[=+\-@\t\r]/.test(cell) && !/^-\d+(?:\.\d+)?$/.test(cell)),
    );
    check(unguardedCsv.length === 0, `CSV cells starting like a formula: ${unguardedCsv.slice(0, 3).join(' ')}`);
    check(
      JSON.stringify(formulas.storedNamesAfterReupload) === JSON.stringify(formulas.storedNames) &&
        formulas.storedNames.every((n) => !n.startsWith("'")),
      `stored names carry the guard: ${formulas.storedNamesAfterReupload.join(' | ')}`,
    );
    out(
      `  formula names (=, +, -, @, tab) in the report e-mail and daily digest: ${shown} times, with a guard quote ${guarded}; ` +
        `CSV cells starting like a formula: ${unguardedCsv.length}`,
    );

    // --- R7 -----------------------------------------------------------------------------------
    phase('R7  logs at INFO');
    const logs = await logsAtInfo(w, { prefix: 'r7', when: at('2027-03-01', 6), rows: 200 });
    check(logs.addresses.length === 0, `e-mail addresses in the logs: ${logs.addresses.slice(0, 3).join(', ')}`);
    out(
      `  lines captured ${n(logs.lines.length)} (${n(logs.entries.length)} JSON entries: ${['INFO', 'WARN', 'ERROR'].map((l) => `${logs.entries.filter((e) => e.level === l).length} ${l}`).join(', ')}); addresses in the data ${n(logs.knownAddresses.length)}`,
    );
    out(`  addresses redacted on the way out ${logs.redacted}; addresses found in the logs ${logs.addresses.length}`);
    out('  (no wildcard IAM, cdk-nag clean: test/infra/stack.test.ts, test/infra/nag.test.ts)');

    // --- gone / empty ---------------------------------------------------------------------------
    phase('Objects gone before the read, empty objects');
    const gone = await deletedBeforeRead(w, { partnerId: 'gone', csv, when: at('2027-03-10', 6) });
    const empty = await emptyObject(w, { partnerId: 'gone', when: at('2027-03-10', 6) });
    for (const [label, r, code] of [
      ['deleted before the read', gone, 'unreadable'],
      ['empty object', empty, 'empty_file'],
    ] as const) {
      check(
        r.delivery.outcome === 'rejected' &&
          r.delivery.code === code &&
          r.delivery.attempts === 1 &&
          r.errorsCsv.includes(code) &&
          r.failureMails === 1,
        `${label}: ${JSON.stringify(r.delivery)}`,
      );
      out(
        `  ${label}: ${r.delivery.outcome} ${r.delivery.code} after ${r.delivery.attempts} attempt, error report ${r.errorsCsv.includes(code) ? 'written' : 'MISSING'}, failure e-mails ${r.failureMails}`,
      );
    }

    out(
      `\n${violations.length === 0 ? 'All invariants held' : `${violations.length} violations`} — ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
    for (const v of violations) out(`  ✗ ${v}`);
    return violations.length === 0 ? 0 : 1;
  } finally {
    await w.stop();
  }
}

process.exitCode = await main();
