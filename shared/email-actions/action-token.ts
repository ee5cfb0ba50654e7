/**
 * The token an e-mail action link carries: a JWT (HS256, via `jose`) whose claims name the partner,
 * the customer or subscription and the action, with an expiry. The signature covers every claim,
 * so a token is valid for exactly that partner, item and action, and a changed claim is a forgery.
 */
import { errors, jwtVerify, SignJWT } from 'jose';
import type { StatusSubject } from '../domain/status-events.js';

/** What a link in a digest may do, and to which kind of item. */
export const EMAIL_ACTIONS = {
  sent: 'customer',
  accepted: 'customer',
  provisioned: 'subscription',
} as const satisfies Record<string, StatusSubject['kind']>;
export type EmailAction = keyof typeof EMAIL_ACTIONS;

export interface ActionClaims {
  partnerId: string;
  subject: StatusSubject;
  action: EmailAction;
}

/** Tokens for this purpose only: a JWT signed for something else with the same key is refused. */
const AUDIENCE = 'csp-move-planner/email-action';
const ALGORITHM = 'HS256';

export async function signActionToken(claims: ActionClaims, key: Uint8Array, expiresAt: Date): Promise<string> {
  return new SignJWT({ p: claims.partnerId, k: claims.subject.kind, i: claims.subject.id, a: claims.action })
    .setProtectedHeader({ alg: ALGORITHM })
    .setAudience(AUDIENCE)
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .sign(key);
}

export type TokenCheck = { ok: true; claims: ActionClaims; expiresAt: Date } | { ok: false; reason: 'expired' | 'invalid' };

/** The claims of a token this key signed and that has not expired at `now`. */
export async function verifyActionToken(token: string, key: Uint8Array, now: Date): Promise<TokenCheck> {
  try {
    const { payload } = await jwtVerify(token, key, { algorithms: [ALGORITHM], audience: AUDIENCE, currentDate: now, clockTolerance: 0 });
    const { p, k, i, a } = payload;
    if (typeof p !== 'string' || typeof i !== 'string' || typeof a !== 'string' || !(a in EMAIL_ACTIONS))
      return { ok: false, reason: 'invalid' };
    const action = a as EmailAction;
    if (k !== EMAIL_ACTIONS[action] || typeof payload.exp !== 'number') return { ok: false, reason: 'invalid' };
    return {
      ok: true,
      claims: { partnerId: p, subject: { kind: EMAIL_ACTIONS[action], id: i }, action },
      expiresAt: new Date(payload.exp * 1000),
    };
  } catch (error) {
    if (error instanceof errors.JWTExpired) return { ok: false, reason: 'expired' };
    if (error instanceof errors.JOSEError || error instanceof TypeError) return { ok: false, reason: 'invalid' };
    throw error;
  }
}
