/**
 * What every console action is given: who is asking (the verified token's identity, the only
 * source of the partner id), the time it runs at, and the plan views to read the plan through.
 * What an action answers when it cannot do what was asked.
 */
import type { Identity } from '../../console/identity.js';
import type { PlanViews } from '../../storage/plan-view.js';

export interface ConsoleRequest {
  identity: Identity;
  now: Date;
  views: PlanViews;
}

export interface FieldError {
  path: string;
  message: string;
}

/** Not there (in this partner's data), or not allowed as asked: the API's 404 and 422. */
export type Refusal = { refused: 'not_found'; detail: string } | { refused: 'invalid'; detail: string; errors: FieldError[] };

export type Answer<T> = { ok: true; value: T } | ({ ok: false } & Refusal);

export const answer = <T>(value: T): Answer<T> => ({ ok: true, value });
export const notFound = (detail: string): Answer<never> => ({ ok: false, refused: 'not_found', detail });
export const invalid = (detail: string, errors: FieldError[]): Answer<never> => ({ ok: false, refused: 'invalid', detail, errors });

export type { PlanViews } from '../../storage/plan-view.js';
