/**
 * Where the e-mail action links point and the key that signs them. On AWS the key is a Secrets
 * Manager secret (LINK_KEY_SECRET_ARN), read once per container; the local stack generates one and
 * passes it as LINK_SIGNING_KEY. ACTIONS_URL is the action endpoint's address. Without both, the
 * e-mails carry no action links.
 */
import type * as SecretsManager from '@aws-sdk/client-secrets-manager';
import { clientConfig } from '../aws/client-config.js';
import { requireSdk } from '../aws/sdk.js';

let cached: Promise<Uint8Array | undefined> | undefined;

/** The signing key, or undefined when this deployment has none. */
export function linkSigningKey(): Promise<Uint8Array | undefined> {
  cached ??= loadKey().catch((error: unknown) => {
    cached = undefined; // a failed read is tried again on the next call
    throw error;
  });
  return cached;
}

async function loadKey(): Promise<Uint8Array | undefined> {
  const local = process.env.LINK_SIGNING_KEY;
  if (local) return new TextEncoder().encode(local);
  const secretId = process.env.LINK_KEY_SECRET_ARN;
  if (!secretId) return undefined;
  const { SecretsManagerClient, GetSecretValueCommand } = requireSdk<typeof SecretsManager>('@aws-sdk/client-secrets-manager');
  const client = new SecretsManagerClient(clientConfig());
  try {
    const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
    if (!SecretString) throw new Error('The link signing secret has no value.');
    return new TextEncoder().encode(SecretString);
  } finally {
    client.destroy();
  }
}

/** The action endpoint's address (…/action), or undefined when this deployment has none. */
export function actionsUrl(): string | undefined {
  return process.env.ACTIONS_URL || undefined;
}
