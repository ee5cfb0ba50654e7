/**
 * A test OpenID Connect issuer: an RSA key made with jose, its JWKS served by a tiny local HTTP
 * server, and tokens signed with it as the test asks, good ones and every kind of bad one.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { PARTNER_CLAIM } from '../../shared/console/contract.js';
import type { IdentityConfig } from '../../shared/console/identity.js';

export interface TestIssuer {
  config: IdentityConfig;
  /** A signed ID token for `partnerId`, issued at `at` for an hour; `claims` override or add (undefined removes). */
  token(options: {
    partnerId?: string;
    email?: string;
    at: Date;
    claims?: Record<string, unknown>;
    key?: 'issuer' | 'stranger';
  }): Promise<string>;
  close(): Promise<void>;
}

const KID = 'test-key';

export async function startTestIssuer(clientId = 'console-test-client'): Promise<TestIssuer> {
  const issuerKey = await generateKeyPair('RS256', { extractable: true });
  // Another key under the same kid: a token it signs has a signature the issuer's key refuses.
  const strangerKey = await generateKeyPair('RS256');
  const jwks = { keys: [{ ...(await exportJWK(issuerKey.publicKey)), kid: KID, alg: 'RS256', use: 'sig' }] };
  const server = createServer((req, res) => {
    if (req.url === '/.well-known/jwks.json') res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks));
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    config: { issuer, clientId, jwksUrl: `${issuer}/.well-known/jwks.json` },
    async token({ partnerId, email = 'ops@example.com', at, claims = {}, key = 'issuer' }) {
      const iat = Math.floor(at.getTime() / 1000);
      const payload: JWTPayload = {
        iss: issuer,
        aud: clientId,
        sub: `user-${email}`,
        iat,
        exp: iat + 3600,
        token_use: 'id',
        email,
        ...(partnerId === undefined ? {} : { [PARTNER_CLAIM]: partnerId }),
      };
      for (const [name, value] of Object.entries(claims)) {
        if (value === undefined) delete payload[name];
        else payload[name] = value;
      }
      const signer = new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: KID, typ: 'JWT' });
      return signer.sign(key === 'issuer' ? issuerKey.privateKey : strangerKey.privateKey);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
