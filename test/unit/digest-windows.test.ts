/**
 * The chaos run's comparison of a faulty partner's daily digests with a clean run's, window by
 * window (test/chaos/world.ts `compareDigestWindows`): what it calls lost, sent twice, and a move
 * of a failed day that the next morning's re-plan gave a later day.
 */
import { describe, expect, it } from 'vitest';
import type { SentEmail } from '../../local/aws/local-aws.js';
import { compareDigestWindows } from '../chaos/world.js';

/** A daily digest of `day` listing these moves today and these customers' invitations. */
function digest(day: string, moves: string[], invitations: string[] = []): SentEmail {
  const lines = [
    ...(invitations.length > 0
      ? [`Invitations to send (${invitations.length})`, ...invitations.map((c) => `• Kunde (${c}) by ${day}`)]
      : []),
    ...(moves.length > 0
      ? [`Moves today (${moves.length})`, ...moves.map((s) => `• Provision Office 365 E3 × 5 for Kunde (legacy ${s})`)]
      : []),
  ];
  return {
    messageId: `${day}-${moves.join()}`,
    from: 'planner@example.com',
    to: ['ops@p.example'],
    replyTo: [],
    cc: [],
    bcc: [],
    subject: `CSP moves for ${day}: ${moves.length} moves today`,
    text: lines.join('\n'),
    attachments: [],
    at: `${day}T07:00:00Z`,
  };
}

describe('compareDigestWindows', () => {
  // The clean run: sub-1 is due on Thursday 01-14 and again on Friday (not provisioned, the
  // re-plan gave it the next day), sub-2 on Friday; then the re-plan gives sub-2 Monday 01-18, and
  // sub-1 a later day each morning, so no digest of the month lists it again. sub-3 is due on
  // Saturday 01-16.
  const clean = [
    digest('2027-01-14', ['sub-0', 'sub-1']),
    digest('2027-01-15', ['sub-1', 'sub-2']),
    digest('2027-01-16', ['sub-3']),
    digest('2027-01-18', ['sub-2']),
  ];

  it('finds nothing when the faulty run sent the same digests', () => {
    expect(compareDigestWindows(clean, clean)).toMatchObject({ lost: [], doubled: [], replanned: [], neverSent: [], moreOften: [] });
  });

  it('a move of a refused day that the clean run does not list on the day the next digest went out was planned again: not lost', () => {
    // Friday's digest refused; Saturday's covers Friday and Saturday.
    const faulty = [clean[0]!, digest('2027-01-16', ['sub-3']), clean[3]!];
    const r = compareDigestWindows(clean, faulty);
    expect(r).toMatchObject({ lost: [], doubled: [], neverSent: [], moreOften: [] });
    expect(r.replanned).toEqual(['2027-01-16: move sub-1', '2027-01-16: move sub-2']);
  });

  it('a move the clean run lists on the day the digest went out is lost if that digest leaves it out', () => {
    // Friday refused; Monday's digest (the weekend had none) covers Friday to Monday, where sub-2 is due.
    const faulty = [clean[0]!, digest('2027-01-18', ['sub-3'])];
    const r = compareDigestWindows(clean, faulty);
    expect(r.lost).toEqual(['2027-01-18: move sub-2']);
    expect(r.replanned).toEqual(['2027-01-18: move sub-1']);
  });

  it('an invitation reminder in another window is lost there and doubled in the other, whatever the re-plan', () => {
    const withInvitations = [digest('2027-01-16', [], ['cust-1']), digest('2027-01-23', [], ['cust-1'])];
    const early = [digest('2027-01-16', [], ['cust-1']), digest('2027-01-22', [], ['cust-1']), digest('2027-01-23', [])];
    const r = compareDigestWindows(withInvitations, early);
    expect(r.doubled).toEqual(['2027-01-22: invitation cust-1']);
    expect(r.lost).toEqual(['2027-01-23: invitation cust-1']);
    expect(r.replanned).toEqual([]);
  });
});
