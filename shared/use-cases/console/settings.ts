/**
 * GET and PUT /api/settings: the partner's settings, checked as the settings JSON is. The partner
 * id stored is the token's; a body naming another partner is refused.
 */
import type { SettingsView } from '../../console/contract.js';
import { checkSettings, DEFAULT_SETTINGS } from '../../domain/partner-settings.js';
import { planStore as store } from '../../storage/dynamodb/dynamodb-plan-store.js';
import { type Answer, answer, type ConsoleRequest, invalid } from './context.js';

export async function getSettings({ identity }: Pick<ConsoleRequest, 'identity'>): Promise<SettingsView> {
  // The partner's settings, or the defaults it plans with before it has any.
  const settings = (await store.partnerSettings(identity.partnerId)) ?? DEFAULT_SETTINGS;
  return { ...settings, partner_id: identity.partnerId };
}

export async function putSettings({ identity }: Pick<ConsoleRequest, 'identity'>, body: unknown): Promise<Answer<SettingsView>> {
  const { partnerId } = identity;

  // 1. A JSON object, naming no other partner.
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return invalid('The settings are a JSON object.', [{ path: '', message: 'must be a JSON object' }]);
  }
  const named = (body as Record<string, unknown>).partner_id;
  if (named !== undefined && named !== partnerId) {
    return invalid('These are the settings of another partner.', [
      { path: 'partner_id', message: `must be your partner id, ${partnerId}, or left out` },
    ]);
  }

  // 2. Checked as the settings JSON is: each bad key named.
  const checked = checkSettings({ ...body, partner_id: partnerId });
  if (!checked.ok) return invalid('Some settings are not valid; nothing was saved.', checked.errors);

  // 3. Stored under the token's partner.
  const settings = { ...checked.settings, partner_id: partnerId };
  await store.savePartnerSettings(settings);
  return answer(settings);
}
