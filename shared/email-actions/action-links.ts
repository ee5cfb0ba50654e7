/** The signed links a digest carries, one per action, each valid for one partner, item and action. */
import type { StatusSubject } from '../domain/status-events.js';
import { LINK_LIFETIME_DAYS } from './action-pages.js';
import { type EmailAction, signActionToken } from './action-token.js';
import { actionsUrl, linkSigningKey } from './link-key.js';

export type ActionLinkMaker = (partnerId: string, subject: StatusSubject, action: EmailAction) => Promise<string>;

/** Makes links that expire LINK_LIFETIME_DAYS after `now`; undefined when this deployment has no action endpoint. */
export async function actionLinkMaker(now: Date): Promise<ActionLinkMaker | undefined> {
  const base = actionsUrl();
  const key = base ? await linkSigningKey() : undefined;
  if (!base || !key) return undefined;
  const expiresAt = new Date(now.getTime() + LINK_LIFETIME_DAYS * 86_400_000);
  return async (partnerId, subject, action) => {
    const url = new URL(base);
    url.searchParams.set('t', await signActionToken({ partnerId, subject, action }, key, expiresAt));
    return url.toString();
  };
}
