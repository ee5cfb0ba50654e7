/** Legacy subscription states, invitation states and grace periods. */
import { memoize } from '../columnar/memo.js';

/**
 * The legacy `status` column holds either the legacy subscription's own state (Partner Center:
 * Active, Suspended, Deleted, Expired, Pending, Disabled) or, in a re-uploaded plan.csv, how far
 * the move has got (provisioned). Unknown values are tolerated and planned as active.
 */
export type Lifecycle = 'active' | 'suspended' | 'expired' | 'disabled' | 'deleted' | 'provisioned' | 'unknown';

const LIFECYCLE: Record<string, Lifecycle> = {
  '': 'active',
  active: 'active',
  pending: 'active',
  enabled: 'active',
  planned: 'active',
  suspended: 'suspended',
  warning: 'suspended',
  expired: 'expired',
  disabled: 'disabled',
  deleted: 'deleted',
  cancelled: 'deleted',
  canceled: 'deleted',
  provisioned: 'provisioned',
  moved: 'provisioned',
  migrated: 'provisioned',
  done: 'provisioned',
  completed: 'provisioned',
};

export function parseLifecycle(raw: string | undefined): Lifecycle {
  return (
    LIFECYCLE[
      (raw ?? '')
        .trim()
        .toLowerCase()
        .replace(/[\s_-]+/g, '')
    ] ?? 'unknown'
  );
}

export const INVITATION_STATUSES = ['not_sent', 'sent', 'accepted'] as const;
export type InvitationStatus = (typeof INVITATION_STATUSES)[number];

const INVITATION: Record<string, InvitationStatus> = {
  '': 'not_sent',
  notsent: 'not_sent',
  no: 'not_sent',
  none: 'not_sent',
  pending: 'sent',
  sent: 'sent',
  invited: 'sent',
  accepted: 'accepted',
  yes: 'accepted',
  done: 'accepted',
};

export function parseInvitation(raw: string | undefined): InvitationStatus | undefined {
  return INVITATION[
    (raw ?? '')
      .trim()
      .toLowerCase()
      .replace(/[\s_-]+/g, '')
  ];
}

/** How far an invitation has got, to merge a customer's rows: the most advanced wins. */
export function invitationRank(status: InvitationStatus): number {
  return INVITATION_STATUSES.indexOf(status);
}

/**
 * Days after the end date during which users keep access: 90 days for volume-licensing
 * Enterprise, 30 for every other program (Microsoft 365's subscription lifecycle: expired,
 * users keep access; then disabled, admins only).
 */
const graceOf = memoize((program) => {
  const p = program.toLowerCase();
  return p.includes('volume') && p.includes('enterprise') ? 90 : 30;
}, 1_000);

export function graceDays(program: string | undefined): number {
  return graceOf(program ?? '');
}
