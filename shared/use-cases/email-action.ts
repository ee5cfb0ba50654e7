/**
 * The one-click actions of the digests. Opening a link only shows what it would change (mail
 * scanners open links too); confirming records the change through the same status use case as the
 * CLI. The link's token decides the partner, the item and the action: nothing in the request can
 * widen it, and a forged, expired or stale link changes nothing.
 */
import { currentState } from '../domain/status-events.js';
import type { TrackedRecord } from '../domain/tracked-plan.js';
import { methodNotAllowed, type Page, renderActionPage } from '../email-actions/action-pages.js';
import { type ActionClaims, verifyActionToken } from '../email-actions/action-token.js';
import type { ActionItem, ActionView } from '../email-actions/action-view.js';
import { linkSigningKey } from '../email-actions/link-key.js';
import { reviewStatusChange, setStatus } from './set-status.js';

export type { Page } from '../email-actions/action-pages.js';

/** What a link would do, without doing it. */
export async function reviewEmailAction(token: string, now: Date): Promise<ActionView> {
  // 1. The token: signed by this deployment, not expired.
  const check = await checkToken(token, now);
  if (!check.ok) return check.view;
  const { claims, expiresAt } = check;

  // 2. The item as it stands, and whether the change may be made today.
  const review = await reviewStatusChange({ partnerId: claims.partnerId, subject: claims.subject, state: claims.action, now });
  if (!review.ok) return refusedOrMovedOn(claims, review);
  if (isGone(review.record)) return { kind: 'refused', reason: 'not_found' };
  const item = describe(claims, review.record, review.settings.name);
  if (review.current === claims.action) return { kind: 'done', item, recorded: false, effective: currentState(review.events)?.effective };
  return { kind: 'confirm', item, current: review.current, effective: review.effective, expiresAt };
}

/** Records what a link says; doing it again records nothing more. */
export async function applyEmailAction(token: string, now: Date): Promise<ActionView> {
  // 1. The token, as for the review.
  const check = await checkToken(token, now);
  if (!check.ok) return check.view;
  const { claims } = check;

  // 2. The same checks as the review, then the change, by whoever the digest went to.
  const review = await reviewStatusChange({ partnerId: claims.partnerId, subject: claims.subject, state: claims.action, now });
  if (!review.ok) return refusedOrMovedOn(claims, review);
  if (isGone(review.record)) return { kind: 'refused', reason: 'not_found' };
  const result = await setStatus({
    partnerId: claims.partnerId,
    subject: claims.subject,
    state: claims.action,
    source: 'email_link',
    by: review.settings.email ?? 'e-mail link',
    now,
  });
  // Changed between the two reads (another click): show it as it now stands.
  if (!result.ok) return reviewEmailAction(token, now);
  const item = describe(claims, review.record, review.settings.name);
  return { kind: 'done', item, recorded: result.recorded, effective: currentState(result.history)?.effective };
}

async function checkToken(
  token: string,
  now: Date,
): Promise<{ ok: true; claims: ActionClaims; expiresAt: Date } | { ok: false; view: ActionView }> {
  const key = await linkSigningKey();
  if (!key) return { ok: false, view: { kind: 'refused', reason: 'unavailable' } };
  const check = await verifyActionToken(token, key, now);
  return check.ok ? check : { ok: false, view: { kind: 'refused', reason: check.reason } };
}

function refusedOrMovedOn(
  claims: ActionClaims,
  review: { problem: string; notFound?: boolean; record?: TrackedRecord; current?: string },
): ActionView {
  if (review.notFound || !review.record || isGone(review.record) || review.current === undefined)
    return { kind: 'refused', reason: 'not_found' };
  return { kind: 'moved_on', item: describe(claims, review.record, undefined), current: review.current, problem: review.problem };
}

/** A subscription a newer upload no longer lists is gone from the plan, as far as a link goes. */
function isGone(record: TrackedRecord): boolean {
  return record.kind === 'subscription' && record.subscription.missing;
}

function describe(claims: ActionClaims, record: TrackedRecord, partnerName: string | undefined): ActionItem {
  const common = { action: claims.action, partnerName: partnerName ?? claims.partnerId };
  if (record.kind === 'customer') return { ...common, customerName: record.customer.customerName };
  const s = record.subscription;
  return {
    ...common,
    customerName: s.customerName,
    subscription: { id: s.subscriptionId, offer: s.offer, targetOffer: s.targetOffer, seats: s.seats },
  };
}

/** A request to the action endpoint, as the HTTP adapters decode it. */
export interface ActionRequest {
  method: string;
  /** From the query (`?t=`) for a GET, from the form for the confirmation's POST. */
  token: string | undefined;
}

/** The page for a request: GET (and HEAD) only look; POST, from the confirmation's form, acts. */
export async function emailActionPage(request: ActionRequest, now: Date): Promise<Page> {
  const method = request.method.toUpperCase();
  if (method !== 'GET' && method !== 'HEAD' && method !== 'POST') return methodNotAllowed();
  const token = request.token ?? '';
  const view =
    token === ''
      ? ({ kind: 'refused', reason: 'invalid' } as const)
      : method === 'POST'
        ? await applyEmailAction(token, now)
        : await reviewEmailAction(token, now);
  return renderActionPage(view, token);
}
