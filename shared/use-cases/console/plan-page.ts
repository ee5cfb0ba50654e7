/** GET /api/plan?…: one page of the plan's rows, filtered and sorted, with their live states. */
import type { PlanPage, PlanQuery } from '../../console/contract.js';
import type { ConsoleRequest } from './context.js';
import { planFreshness } from './freshness.js';
import { withLiveStates } from './live-states.js';

export async function planPage({ identity, views }: ConsoleRequest, query: PlanQuery): Promise<PlanPage> {
  const { partnerId } = identity;
  const { page, size } = query;

  // 1. The partner's plan as of its last planning; none before the first upload.
  const view = await views.load(partnerId);
  if (!view) return { rows: [], total: 0, page, size, plan: undefined };

  // 2. The page, filtered and sorted in memory.
  const found = view.page(query);

  // 3. The live state of its rows, so a change just made shows at once (the filters and counts
  //    follow at the re-plan it asked for), and how fresh the plan is.
  const [rows, plan] = await Promise.all([withLiveStates(partnerId, found.rows), planFreshness(partnerId, view)]);
  return { rows, total: found.total, page, size, plan };
}
