/**
 * POST /api/status: one change of a move's status, or a selection of them, all or nothing. Every
 * change is reviewed before any is made: a subject not in the partner's plan refuses the request
 * as not found, a change that may not be made refuses it naming the change, and nothing is
 * recorded either way.
 */
import type { StatusRequest, StatusResponse } from '../../console/contract.js';
import type { StatusSubject } from '../../domain/status-events.js';
import { subjectKey } from '../../domain/subject-key.js';
import { inParallel } from '../../in-parallel.js';
import { reviewStatusChange, setStatus } from '../set-status.js';
import { type Answer, answer, type ConsoleRequest, type FieldError, invalid, notFound } from './context.js';
import { planFreshness } from './freshness.js';

/** Reviews in flight at once: each reads a few items. */
const REVIEWERS = 8;

export async function changeStatuses({ identity, now, views }: ConsoleRequest, request: StatusRequest): Promise<Answer<StatusResponse>> {
  const { partnerId, email } = identity;
  const changes = request.changes.map((change) => ({ ...change, subject: { kind: change.kind, id: change.id } as StatusSubject }));

  // 1. One change per subject: a second would be reviewed against a state the first replaces.
  const seen = new Map<string, number>();
  const repeats: FieldError[] = [];
  changes.forEach((change, i) => {
    const first = seen.get(subjectKey(change.subject));
    if (first === undefined) seen.set(subjectKey(change.subject), i);
    else repeats.push({ path: `changes.${i}`, message: `changes the same ${change.kind} as changes.${first}` });
  });
  if (repeats.length > 0) return invalid('Each customer or subscription may be changed once per request.', repeats);

  // 2. Review them all, in the partner's plan only.
  const reviews = await inParallel(
    changes.map(
      (change) => () =>
        reviewStatusChange({ partnerId, subject: change.subject, state: change.state, on: change.on, correction: change.correction, now }),
    ),
    REVIEWERS,
  );
  const missing = changes.filter((_, i) => {
    const review = reviews[i]!;
    return !review.ok && review.notFound;
  });
  if (missing.length > 0) {
    return notFound(`Your plan has no ${missing.map((c) => `${c.kind} "${c.id}"`).join(', ')}.`);
  }
  const problems = reviews.flatMap((review, i) => (review.ok ? [] : [{ path: `changes.${i}`, message: review.problem }]));
  if (problems.length > 0) return invalid(`${problems.length} of the ${changes.length} changes may not be made; none was.`, problems);

  // 3. Make them, by this user, from the console.
  const results: StatusResponse['results'] = [];
  for (const [i, change] of changes.entries()) {
    const result = await setStatus({
      partnerId,
      subject: change.subject,
      state: change.state,
      on: change.on,
      reason: change.reason,
      correction: change.correction,
      source: 'api',
      by: email,
      now,
    });
    // Only a change someone made meanwhile can refuse it now: without transactions (the store
    // has none), the changes before it stand, and the answer says so.
    if (!result.ok) {
      const made = results.filter((r) => r.recorded).length;
      return invalid(`The status changed meanwhile; ${made} of the changes before it were recorded.`, [
        { path: `changes.${i}`, message: result.problem },
      ]);
    }
    results.push({ kind: change.kind, id: change.id, state: result.state, recorded: result.recorded });
  }

  // 4. How fresh the plan now is: updating, when a change was recorded.
  return answer({ results, plan: await planFreshness(partnerId, await views.load(partnerId)) });
}
