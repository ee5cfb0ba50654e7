/**
 * Who is asking: the console's bearer token is the OpenID Connect ID token of the sign-in (Cognito
 * on AWS, the local provider locally), verified against the issuer's JWKS. Its partner claim says
 * whose data the request may see; nothing else of the request does.
 *
 * Configuration from the environment: OIDC_ISSUER, OIDC_CLIENT_ID (the token's audience) and
 * OIDC_JWKS_URL (by default `${issuer}/.well-known/jwks.json`, Cognito's path).
 */
import { createRemoteJWKSet, errors, type JWTPayload, jwtVerify } from 'jose';
import { PARTNER_CLAIM } from './contract.js';

export interface Identity {
  /** The user's subject at the issuer. */
  sub: string;
  email: string;
  partnerId: string;
}

export type IdentityResult = { ok: true; identity: Identity } | { ok: false; reason: string };

export interface IdentityConfig {
  issuer: string;
  clientId: string;
  jwksUrl: string;
}

/** The same pattern partner ids have in the settings and the upload keys. */
const PARTNER_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export function identityConfig(env: NodeJS.ProcessEnv = process.env): IdentityConfig {
  const issuer = env.OIDC_ISSUER;
  const clientId = env.OIDC_CLIENT_ID;
  if (!issuer || !clientId) throw new Error('Environment variables OIDC_ISSUER and OIDC_CLIENT_ID must be set.');
  return { issuer, clientId, jwksUrl: env.OIDC_JWKS_URL || `${issuer.replace(/\/$/, '')}/.well-known/jwks.json` };
}

// One key set per module (per Lambda container): jose caches the keys and refetches on an unknown kid.
let keySet: { url: string; get: ReturnType<typeof createRemoteJWKSet> } | undefined;

function keysAt(url: string): ReturnType<typeof createRemoteJWKSet> {
  if (keySet?.url !== url) keySet = { url, get: createRemoteJWKSet(new URL(url)) };
  return keySet.get;
}

/**
 * The identity an `Authorization: Bearer <ID token>` header carries, or why it carries none.
 * `currentDate` is the time the token's expiry is checked against: the wall clock, never a
 * simulated one (the issuer stamps tokens with the real time).
 */
export async function verifyIdentity(
  authorization: string | undefined,
  options: { config?: IdentityConfig; currentDate?: Date } = {},
): Promise<IdentityResult> {
  // 1. A bearer token.
  const match = /^Bearer\s+([A-Za-z0-9._~+/-]+=*)\s*$/i.exec(authorization ?? '');
  if (!match) return { ok: false, reason: authorization ? 'The Authorization header is not a bearer token.' : 'No bearer token was sent.' };

  // 2. Signed by the issuer's key (RS256), for this client, not expired.
  const config = options.config ?? identityConfig();
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(match[1]!, keysAt(config.jwksUrl), {
      issuer: config.issuer,
      audience: config.clientId,
      algorithms: ['RS256'],
      currentDate: options.currentDate,
      requiredClaims: ['sub', 'exp', 'iat'],
    }));
  } catch (error) {
    return { ok: false, reason: tokenProblem(error) };
  }

  // 3. An ID token (Cognito's access token carries no custom attribute), with the user's e-mail and partner.
  if (payload.token_use !== 'id') return { ok: false, reason: 'The token is not an ID token.' };
  const email = payload.email;
  if (typeof email !== 'string' || !email.includes('@')) return { ok: false, reason: 'The token has no e-mail address.' };
  const partnerId = payload[PARTNER_CLAIM];
  if (typeof partnerId !== 'string' || !PARTNER_ID.test(partnerId)) return { ok: false, reason: 'The token names no partner.' };
  return { ok: true, identity: { sub: payload.sub!, email, partnerId } };
}

/** Why a token was refused, in words that give nothing away beyond what its holder can read in it. */
function tokenProblem(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'The token has expired.';
  if (error instanceof errors.JWTClaimValidationFailed) return `The token's "${error.claim}" claim is not accepted.`;
  if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey)
    return 'The token is not signed by the issuer.';
  if (error instanceof errors.JOSEAlgNotAllowed) return "The token's algorithm is not accepted.";
  // The issuer's keys could not be had: a server problem, not the caller's.
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid || !(error instanceof errors.JOSEError)) throw error;
  return 'The token cannot be read.';
}
