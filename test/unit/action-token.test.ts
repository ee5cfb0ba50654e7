/** The token of an e-mail action link: valid for one partner, item and action, until it expires. */
import { UnsecuredJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { signActionToken, verifyActionToken } from '../../shared/email-actions/action-token.js';

const key = new TextEncoder().encode('k'.repeat(43));
const otherKey = new TextEncoder().encode('o'.repeat(43));
const claims = { partnerId: 'p-1', subject: { kind: 'customer', id: 'c-1' }, action: 'accepted' } as const;
const now = new Date('2026-12-01T07:00:00Z');
const expiresAt = new Date('2026-12-31T07:00:00Z');

/** The token with its payload replaced and the original signature kept. */
function withPayload(token: string, change: Record<string, unknown>): string {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  return `${header}.${Buffer.from(JSON.stringify({ ...claims, ...change })).toString('base64url')}.${signature}`;
}

describe('action tokens', () => {
  it('give back the partner, item and action they were signed for, until they expire', async () => {
    const token = await signActionToken(claims, key, expiresAt);
    expect(await verifyActionToken(token, key, now)).toEqual({ ok: true, claims, expiresAt });
    expect(await verifyActionToken(token, key, new Date(expiresAt.getTime() - 1000))).toMatchObject({ ok: true });
    expect(await verifyActionToken(token, key, expiresAt)).toEqual({ ok: false, reason: 'expired' });
  });

  it('are refused when any claim is changed, or signed with another key', async () => {
    const token = await signActionToken(claims, key, expiresAt);
    for (const change of [{ p: 'p-2' }, { i: 'c-2' }, { a: 'sent' }, { k: 'subscription' }, { exp: 4102444800 }])
      expect(await verifyActionToken(withPayload(token, change), key, now)).toEqual({ ok: false, reason: 'invalid' });
    expect(await verifyActionToken(token, otherKey, now)).toEqual({ ok: false, reason: 'invalid' });
    expect(await verifyActionToken(await signActionToken(claims, otherKey, expiresAt), key, now)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('refuse unsigned tokens, garbage, and an action that does not fit the kind of item', async () => {
    const unsigned = new UnsecuredJWT({ p: 'p-1', k: 'customer', i: 'c-1', a: 'accepted' })
      .setAudience('csp-move-planner/email-action')
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .encode();
    expect(await verifyActionToken(unsigned, key, now)).toEqual({ ok: false, reason: 'invalid' });
    for (const garbage of ['', 'a.b.c', 'not a token'])
      expect(await verifyActionToken(garbage, key, now)).toEqual({ ok: false, reason: 'invalid' });
    const wrongKind = await signActionToken({ ...claims, subject: { kind: 'subscription', id: 's-1' } }, key, expiresAt);
    expect(await verifyActionToken(wrongKind, key, now)).toEqual({ ok: false, reason: 'invalid' });
  });
});
