/** Legacy subscription states, invitation states and grace periods. */
import { memoize } from '../columnar/memo.js';

/**
 * The legacy `status` column holds either the legacy subscription's own state (Partner Center:
 * Active, Suspended, Deleted, Expired, Pending, Disabled) or, in a re-uploaded plan.csv, how far
 * the move has got (provisioned). Unknown values are tolerated and planned as active. `excluded`
 * (the partner will not move it) is never read from a file: only a recorded status gives it.
 */
export type Lifecycle = 'active' | 'suspended' | 'expired' | 'disabled' | 'deleted' | 'provisioned' | 'unknown' | 'excluded';

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
 * The licensing programs whose rules differ, as partners spell them. Microsoft 365's subscription
 * lifecycle (expired: users keep access; then disabled: admins only) gives 90 days of grace to
 * Volume Licensing Enterprise, 30 to Direct/web (MOSP), Open and Open Value, and 30 to an
 * Enterprise Agreement (90 only for a multi-year one, which the file cannot tell).
 */
export type LicensingProgram = 'vl_enterprise' | 'enterprise_agreement' | 'other';

/**
 * The program a `licensing_program` text names, whatever its case, punctuation or spacing:
 * "Volume Licensing Enterprise", "Volume License Enterprise", "VL Enterprise", "Enterprise VL",
 * "Enterprise (VL)" and "VLE" are Volume Licensing Enterprise. An Enterprise Agreement is a
 * volume-licensing program too, so "Volume Licensing Enterprise Agreement" could be read either
 * way: it is read as the agreement, whose 30 days are the shorter grace — a plan must never tell
 * a partner that users keep access longer than they do. Memoised: a file has few programs.
 */
export const licensingProgram = memoize((text): LicensingProgram => {
  const words = new Set(text.toLowerCase().split(/[^a-z0-9]+/));
  const enterprise = words.has('enterprise') || words.has('vle');
  const volume = words.has('volume') || words.has('vl') || words.has('vle');
  if (words.has('ea') || (enterprise && words.has('agreement'))) return 'enterprise_agreement';
  return enterprise && volume ? 'vl_enterprise' : 'other';
}, 1_000);

const GRACE_DAYS: Record<LicensingProgram, number> = { vl_enterprise: 90, enterprise_agreement: 30, other: 30 };

/** Days after the end date during which users keep access, by the licensing program. */
export function graceDays(program: string | undefined): number {
  return GRACE_DAYS[licensingProgram(program ?? '')];
}
