/** How fresh the plan the console shows is: when it was planned, and whether a status changed since. */
import type { PlanFreshness } from '../../console/contract.js';
import { planStore as store } from '../../storage/dynamodb/dynamodb-plan-store.js';
import type { PlanView } from '../../storage/plan-view.js';

export async function planFreshness(partnerId: string, view: PlanView | undefined): Promise<PlanFreshness | undefined> {
  if (!view) return undefined;
  const state = await store.replanState(partnerId);
  // Compared with the snapshot's planning: a change after it is not in its counts yet.
  return { plannedAt: view.plannedAt, updating: state?.changedAt !== undefined && state.changedAt > view.plannedAt };
}
