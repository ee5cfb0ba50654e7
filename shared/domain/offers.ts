/**
 * Legacy offers Microsoft has retired. A subscription on one of these needs an equivalent
 * target offer, or its data may be lost when it moves. Partners add their own through the
 * `discontinued_offers` setting; an offer whose name says "discontinued" or "retired" counts too.
 */
import { memoize } from '../columnar/memo.js';

const BUILT_IN = [
  'Office 365 E4',
  'Office 365 Small Business',
  'Office 365 Small Business Premium',
  'Office 365 Midsize Business',
  'Office 365 Enterprise K1',
  'Office 365 Enterprise K2',
  'Exchange Online Kiosk',
  'Office 365 Education E1',
  'Skype for Business Online Plan 1',
  'Skype for Business Online Plan 2',
  'Microsoft Stream Plan 2',
];

/** Offer names compared loosely: case and spacing do not matter. Memoised: a file has few offers. */
export const normalizeOffer = memoize((offer) => offer.trim().toLowerCase().replace(/\s+/g, ' '), 10_000);

export function discontinuedMatcher(extra: readonly string[]): (offer: string) => boolean {
  const names = new Set([...BUILT_IN, ...extra].map(normalizeOffer));
  return (offer) => {
    const n = normalizeOffer(offer);
    return names.has(n) || /\b(discontinued|retired|end of sale)\b/.test(n);
  };
}

/** Same offer → no license reassignment; a different one → admins must "Replace" licenses. */
export function needsReassignment(offer: string, target: string): boolean {
  return normalizeOffer(offer) !== normalizeOffer(target);
}
