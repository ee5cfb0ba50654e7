/**
 * The console's user directory, one behaviour in two places: the local users file, and the
 * Cognito user pool through the real SDK against cognito-local. Each partner sees and removes
 * its own users only; an address is one user across partners.
 */
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type AdminCreateUserCommandInput,
  AdminGetUserCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CognitoUserDirectory } from '../../local/users/cognito-user-directory.js';
import { LocalUserDirectory, localUsersFile } from '../../local/users/local-user-directory.js';
import { InvalidEmailError, type UserDirectory } from '../../local/users/user-directory.js';
import { type CognitoLocal, startCognitoLocal } from '../support/cognito-local.js';

function behavesAsAUserDirectory(directory: () => UserDirectory) {
  it('adds a user to a partner, and lists each partner its own users', async () => {
    const d = directory();
    const added = await d.addUser('contoso', '  Ops@Contoso.test ');
    expect(added).toMatchObject({ outcome: 'added', user: { email: 'ops@contoso.test' } });
    expect((await d.addUser('contoso', 'lead@contoso.test')).outcome).toBe('added');
    expect((await d.addUser('fabrikam', 'it@fabrikam.test')).outcome).toBe('added');
    expect((await d.listUsers('contoso')).map((u) => u.email)).toEqual(['lead@contoso.test', 'ops@contoso.test']);
    expect((await d.listUsers('fabrikam')).map((u) => u.email)).toEqual(['it@fabrikam.test']);
    expect(await d.listUsers('nobody')).toEqual([]);
  });

  it('says when the address is a user already, of this partner or of another', async () => {
    const d = directory();
    expect(await d.addUser('contoso', 'OPS@contoso.test')).toEqual({ outcome: 'exists', samePartner: true });
    expect(await d.addUser('fabrikam', 'ops@contoso.test')).toEqual({ outcome: 'exists', samePartner: false });
    expect((await d.listUsers('fabrikam')).map((u) => u.email)).toEqual(['it@fabrikam.test']);
  });

  it('removes a user of the partner; a user of another partner is not found, and stays', async () => {
    const d = directory();
    expect(await d.removeUser('fabrikam', 'ops@contoso.test')).toEqual({ outcome: 'not_found' });
    expect(await d.removeUser('contoso', 'nobody@contoso.test')).toEqual({ outcome: 'not_found' });
    expect((await d.listUsers('contoso')).map((u) => u.email)).toEqual(['lead@contoso.test', 'ops@contoso.test']);
    expect(await d.removeUser('contoso', 'Ops@Contoso.test')).toEqual({ outcome: 'removed' });
    expect((await d.listUsers('contoso')).map((u) => u.email)).toEqual(['lead@contoso.test']);
    expect(await d.removeUser('contoso', 'ops@contoso.test')).toEqual({ outcome: 'not_found' });
  });

  it('refuses an address that is not one', async () => {
    await expect(directory().addUser('contoso', 'not an address')).rejects.toBeInstanceOf(InvalidEmailError);
  });
}

describe('the local user directory', () => {
  let dir: string;
  let users: LocalUserDirectory;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cspmove-users-'));
    users = new LocalUserDirectory(localUsersFile(dir));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  behavesAsAUserDirectory(() => users);

  it('hands back a generated password once, keeps only its scrypt hash, in a file only this user reads', async () => {
    const added = await users.addUser('contoso', 'new@contoso.test');
    if (added.outcome !== 'added' || added.delivery.kind !== 'password') throw new Error('not added with a password');
    const { password } = added.delivery;
    expect(password).toMatch(/^[a-zA-Z2-9]{5}(-[a-zA-Z2-9]{5}){3}$/);
    const text = await readFile(users.file, 'utf8');
    expect(text).not.toContain(password);
    expect(text).toMatch(/"passwordHash": "scrypt\$32768\$8\$1\$/);
    expect((await stat(users.file)).mode & 0o777).toBe(0o600);
    expect((await users.authenticate('NEW@contoso.test', password))?.partnerId).toBe('contoso');
    expect(await users.authenticate('new@contoso.test', `${password}x`)).toBeUndefined();
    expect(await users.authenticate('unknown@contoso.test', password)).toBeUndefined();
  });
});

describe('the Cognito user directory (cognito-local, the real SDK)', () => {
  let cognito: CognitoLocal;
  let client: CognitoIdentityProviderClient;
  let users: CognitoUserDirectory;
  const created: AdminCreateUserCommandInput[] = [];
  beforeAll(async () => {
    cognito = await startCognitoLocal();
    client = cognito.client();
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'AdminCreateUserCommand') created.push(args.input as AdminCreateUserCommandInput);
        return next(args);
      },
      { step: 'initialize' },
    );
    users = new CognitoUserDirectory(client, cognito.userPoolId);
  }, 30_000);
  afterAll(async () => {
    client?.destroy();
    await cognito?.stop();
  });

  behavesAsAUserDirectory(() => users);

  it('creates the user with a verified e-mail and the partner attribute, and has Cognito send the invitation', async () => {
    const added = await users.addUser('contoso', 'invited@contoso.test');
    expect(added).toMatchObject({
      outcome: 'added',
      user: { email: 'invited@contoso.test', status: 'FORCE_CHANGE_PASSWORD' },
      delivery: { kind: 'invitation', to: 'invited@contoso.test' },
    });
    const user = await client.send(new AdminGetUserCommand({ UserPoolId: cognito.userPoolId, Username: 'invited@contoso.test' }));
    const attributes = Object.fromEntries((user.UserAttributes ?? []).map((a) => [a.Name, a.Value]));
    expect(attributes).toMatchObject({ email: 'invited@contoso.test', email_verified: 'true', 'custom:partner_id': 'contoso' });
    // Cognito makes the temporary password and e-mails the invitation: none is given, none suppressed.
    const input = created.find((i) => i.Username === 'invited@contoso.test');
    expect(input).toMatchObject({ DesiredDeliveryMediums: ['EMAIL'] });
    expect(input).not.toHaveProperty('TemporaryPassword');
    expect(input).not.toHaveProperty('MessageAction');
  });
});
