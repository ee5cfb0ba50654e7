/** GET /api/customers/{customerId}: a customer of the partner's plan, its subscriptions and their history. */
import type { CustomerView, HistoryEntry } from '../../console/contract.js';
import { inOrder, type StatusSubject } from '../../domain/status-events.js';
import { planStore as store } from '../../storage/dynamodb/dynamodb-plan-store.js';
import { type Answer, answer, type ConsoleRequest, notFound } from './context.js';
import { withLiveStates } from './live-states.js';

export async function customerPage({ identity, views }: ConsoleRequest, customerId: string): Promise<Answer<CustomerView>> {
  const { partnerId } = identity;

  // 1. The customer in the partner's plan: another partner's customer is not in it.
  const found = (await views.load(partnerId))?.customer(customerId);
  if (!found) return notFound(`Your plan has no customer "${customerId}".`);

  // 2. Its subscriptions with their live states, and its own live invitation.
  const subjects: StatusSubject[] = [
    { kind: 'customer', id: customerId },
    ...found.subscriptions.map((s) => ({ kind: 'subscription' as const, id: s.subscriptionId })),
  ];
  const [subscriptions, events] = await Promise.all([
    withLiveStates(partnerId, found.subscriptions),
    Promise.all(subjects.map((subject) => store.statusEvents(partnerId, subject))),
  ]);
  // Each row carries its customer's live invitation.
  const invitation = subscriptions[0]?.invitation ?? found.customer.invitation;

  // 3. The history of the customer and its subscriptions, newest first.
  const history: HistoryEntry[] = inOrder(events.flat())
    .reverse()
    .map((e) => ({
      subject: e.subject,
      state: e.state,
      effective: e.effective,
      recordedAt: e.recordedAt,
      source: e.source,
      by: e.by,
      reason: e.reason,
      correction: e.correction,
    }));
  return answer({ customer: { ...found.customer, invitation }, subscriptions, history });
}
