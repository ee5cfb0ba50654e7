/** Where the console finds its token issuer, and what a bearer header must look like before any key is fetched. */
import { describe, expect, it } from 'vitest';
import { identityConfig, verifyIdentity } from '../../shared/console/identity.js';

describe('the identity configuration', () => {
  it("takes the issuer and client from the environment, and Cognito's JWKS path by default", () => {
    expect(identityConfig({ OIDC_ISSUER: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc', OIDC_CLIENT_ID: 'client' })).toEqual({
      issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc',
      clientId: 'client',
      jwksUrl: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc/.well-known/jwks.json',
    });
    expect(
      identityConfig({ OIDC_ISSUER: 'http://localhost:8780/oidc', OIDC_CLIENT_ID: 'c', OIDC_JWKS_URL: 'http://localhost:8780/oidc/jwks' })
        .jwksUrl,
    ).toBe('http://localhost:8780/oidc/jwks');
  });

  it('fails loudly without an issuer or a client id', () => {
    expect(() => identityConfig({ OIDC_CLIENT_ID: 'c' })).toThrow(/OIDC_ISSUER/);
    expect(() => identityConfig({ OIDC_ISSUER: 'https://issuer.example' })).toThrow(/OIDC_CLIENT_ID/);
  });
});

describe('the bearer header', () => {
  // An unreachable key set: these are refused before it would be asked.
  const config = { issuer: 'https://issuer.example', clientId: 'c', jwksUrl: 'http://127.0.0.1:9/jwks.json' };

  it.each([
    [undefined, 'No bearer token was sent.'],
    ['', 'No bearer token was sent.'],
    ['Basic b3BzOnNlY3JldA==', 'The Authorization header is not a bearer token.'],
    ['Bearer', 'The Authorization header is not a bearer token.'],
    ['Bearer two tokens', 'The Authorization header is not a bearer token.'],
    ['Bearer not-a-jwt', 'The token cannot be read.'],
  ])('refuses %j', async (header, reason) => {
    expect(await verifyIdentity(header, { config })).toEqual({ ok: false, reason });
  });
});
