/** GET /api/home: this week at a glance, as of the partner's today. */
import type { HomeView } from '../../console/contract.js';
import { type Day, dayToIso, mondayOf, todayIn } from '../../domain/dates.js';
import { DEFAULT_SETTINGS } from '../../domain/partner-settings.js';
import { planStore as store } from '../../storage/dynamodb/dynamodb-plan-store.js';
import type { ConsoleRequest } from './context.js';
import { planFreshness } from './freshness.js';

export async function home({ identity, now, views }: ConsoleRequest): Promise<HomeView> {
  const { partnerId } = identity;

  // 1. The partner's today, in its time zone; the plan, and how fresh it is.
  const [stored, view] = await Promise.all([store.partnerSettings(partnerId), views.load(partnerId)]);
  const settings = stored ?? DEFAULT_SETTINGS;
  const today = todayIn(settings.timezone, now);
  const plan = await planFreshness(partnerId, view);

  // 2. The week's counts from the plan; nothing to count before the first upload.
  const glance = view?.glance(dayToIso(today)) ?? emptyWeek(today);
  return { today: dayToIso(today), ...glance, plan, dailyCapacity: settings.daily_capacity };
}

function emptyWeek(today: Day): Omit<HomeView, 'today' | 'plan' | 'dailyCapacity'> {
  const monday = mondayOf(today);
  return {
    week: { start: dayToIso(monday), end: dayToIso(monday + 6) },
    invitations: { toSend: 0, overdue: 0 },
    movesDue: 0,
    atRisk: 0,
    expired: { grace: 0, lapsed: 0 },
    weeks: [],
  };
}
