/** GET /api/me: who is signed in, for which partner. */
import type { Me } from '../../console/contract.js';
import { planStore as store } from '../../storage/dynamodb/dynamodb-plan-store.js';
import type { ConsoleRequest } from './context.js';

export async function me({ identity }: Pick<ConsoleRequest, 'identity'>): Promise<Me> {
  // 1. The user and the partner of the token; 2. the partner's name, from its settings.
  const settings = await store.partnerSettings(identity.partnerId);
  return { email: identity.email, partnerId: identity.partnerId, partnerName: settings?.name };
}
