/**
 * `user add`, `user list` and `user remove`: who may sign in to a partner's console. On the
 * running local stack the users are a file in its data folder, and `add` prints the new user's
 * password once (it is stored nowhere but as a hash); on AWS (CSPMOVE_TARGET=aws, USER_POOL_ID)
 * they are the Cognito user pool's, and Cognito e-mails the invitation.
 */
import { TargetError, useTarget } from './target.js';
import type { UserDirectory } from './users/user-directory.js';

const out = (line: string) => process.stdout.write(`${line}\n`);
const fail = (message: string) => {
  process.stderr.write(`cspmove: ${message}\n`);
  return 2;
};

export interface UserOptions {
  partner: string;
  /** Normalized by the option's parser. */
  email?: string | undefined;
}

interface Directory {
  users: UserDirectory;
  description: string;
  close(): void;
}

async function openDirectory(partner: string): Promise<Directory | string> {
  const target = await useTarget();
  const userPoolId = process.env.USER_POOL_ID;
  if (target.kind === 'aws' && !userPoolId)
    throw new TargetError("CSPMOVE_TARGET=aws needs USER_POOL_ID: the console's user pool id, from the stack outputs.");
  if (target.kind === 'local' && !target.local?.usersFile)
    throw new TargetError('The running local stack is from an older version: restart `npx cspmove serve`.');
  const { planStore } = await import('../shared/storage/dynamodb/dynamodb-plan-store.js');
  if (!(await planStore.partnerSettings(partner)))
    return `no partner "${partner}" on ${target.description}: store it first with \`npx cspmove partner put --config FILE\`.`;
  if (userPoolId && target.kind === 'aws') {
    const { CognitoIdentityProviderClient } = await import('@aws-sdk/client-cognito-identity-provider');
    const { clientConfig } = await import('../shared/aws/client-config.js');
    const { CognitoUserDirectory } = await import('./users/cognito-user-directory.js');
    const client = new CognitoIdentityProviderClient(clientConfig());
    return {
      users: new CognitoUserDirectory(client, userPoolId),
      description: `${target.description}, user pool ${userPoolId}`,
      close: () => client.destroy(),
    };
  }
  const { LocalUserDirectory } = await import('./users/local-user-directory.js');
  return { users: new LocalUserDirectory(target.local!.usersFile!), description: 'the local stack', close: () => undefined };
}

async function withDirectory(partner: string, act: (d: Directory) => Promise<number>): Promise<number> {
  const directory = await openDirectory(partner);
  if (typeof directory === 'string') return fail(directory);
  try {
    return await act(directory);
  } finally {
    directory.close();
  }
}

export function userAdd(options: Required<UserOptions>): Promise<number> {
  const { partner, email } = options;
  return withDirectory(partner, async (d) => {
    const result = await d.users.addUser(partner, email);
    if (result.outcome === 'exists')
      return fail(
        result.samePartner
          ? `${email} is a user of partner ${partner} already.`
          : `${email} is a user of another partner; an address signs in to one partner only. Remove it there first, or use another address.`,
      );
    out(`Added ${email} to partner ${partner} on ${d.description}.`);
    if (result.delivery.kind === 'password') {
      out(`Password: ${result.delivery.password}`);
      out(
        'It is shown this once and stored only as a hash: pass it on to the user now. To replace it, remove the user and add them again.',
      );
    } else {
      out(`Cognito e-mails ${result.delivery.to} an invitation with a temporary password, to be changed at the first sign-in.`);
    }
    return 0;
  });
}

export function userList(options: UserOptions): Promise<number> {
  const { partner } = options;
  return withDirectory(partner, async (d) => {
    const users = await d.users.listUsers(partner);
    if (users.length === 0) {
      out(
        `Partner ${partner} has no users on ${d.description}: add one with \`npx cspmove user add --partner ${partner} --email ADDRESS\`.`,
      );
      return 0;
    }
    out(`Users of partner ${partner} on ${d.description}:`);
    const width = Math.max(...users.map((u) => u.email.length));
    for (const u of users)
      out(`  ${u.email.padEnd(width)}  ${u.status.padEnd(21)}  added ${u.createdAt?.toISOString().slice(0, 10) ?? '?'}`);
    return 0;
  });
}

export function userRemove(options: Required<UserOptions>): Promise<number> {
  const { partner, email } = options;
  return withDirectory(partner, async (d) => {
    const result = await d.users.removeUser(partner, email);
    if (result.outcome === 'not_found')
      return fail(`partner ${partner} has no user ${email} on ${d.description}: see \`npx cspmove user list --partner ${partner}\`.`);
    out(
      `Removed ${email} from partner ${partner} on ${d.description}. A token already issued works until it expires (within the hour), and is not renewed.`,
    );
    return 0;
  });
}
