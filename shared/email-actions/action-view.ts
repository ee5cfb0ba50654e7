/** What the page of an action link says: the words between the use case and the page. */
import type { EmailAction } from './action-token.js';

export type RefusalReason = 'invalid' | 'expired' | 'not_found' | 'unavailable';

/** What the page about a link says. */
export type ActionView =
  | { kind: 'refused'; reason: RefusalReason }
  /** The change can be made: the page asks to confirm it. */
  | { kind: 'confirm'; item: ActionItem; current: string; effective: string; expiresAt: Date }
  /** The change was recorded now (`recorded`), or it had been already: on `effective`, unknown when an upload said so. */
  | { kind: 'done'; item: ActionItem; recorded: boolean; effective: string | undefined }
  /** The item is past this step (an invitation accepted, a "sent" link clicked later). */
  | { kind: 'moved_on'; item: ActionItem; current: string; problem: string };

/** The item a link is about, in the words the page shows. */
export interface ActionItem {
  action: EmailAction;
  partnerName: string;
  customerName: string;
  subscription?: { id: string; offer: string; targetOffer: string; seats: number } | undefined;
}
