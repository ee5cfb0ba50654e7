/**
 * The live invitation and state of plan rows: the snapshot holds its planning's, the plan store
 * the ones recorded since, read in one batch for the rows shown.
 */
import type { PlanRow } from '../../console/contract.js';
import type { StatusSubject } from '../../domain/status-events.js';
import { subjectKey } from '../../domain/subject-key.js';
import { planStore as store } from '../../storage/dynamodb/dynamodb-plan-store.js';

export async function withLiveStates(partnerId: string, rows: PlanRow[]): Promise<PlanRow[]> {
  if (rows.length === 0) return rows;
  const subjects: StatusSubject[] = [
    ...rows.map((r) => ({ kind: 'subscription' as const, id: r.subscriptionId })),
    ...[...new Set(rows.map((r) => r.customerId))].map((id) => ({ kind: 'customer' as const, id })),
  ];
  const live = await store.trackedRecords(partnerId, subjects);
  return rows.map((row) => {
    const subscription = live.get(subjectKey({ kind: 'subscription', id: row.subscriptionId }));
    const customer = live.get(subjectKey({ kind: 'customer', id: row.customerId }));
    return {
      ...row,
      state: subscription?.kind === 'subscription' ? subscription.subscription.state : row.state,
      invitation: customer?.kind === 'customer' ? customer.customer.invitationStatus : row.invitation,
    };
  });
}
