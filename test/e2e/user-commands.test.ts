/**
 * `cspmove user add|list|remove` through the real bin: on a running local stack (found through
 * .local/endpoints.json, as `serve` writes it), and on "AWS" (CSPMOVE_TARGET=aws) with the user
 * pool on cognito-local and the table on the local stack's DynamoDB.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_NAMES } from '../../local/local-names.js';
import type { LocalEndpoints } from '../../local/target.js';
import { LocalUserDirectory, localUsersFile } from '../../local/users/local-user-directory.js';
import { parseSettings } from '../../shared/domain/partner-settings.js';
import { COGNITO_LOCAL_CREDENTIALS, type CognitoLocal, startCognitoLocal } from '../support/cognito-local.js';
import { useLocalStack } from '../support/local-stack.js';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '../../bin/cspmove.mjs');

const fixture = useLocalStack('user-commands');
let cwd: string;
let dataDir: string;
let cognito: CognitoLocal;

/** The CLI in a second terminal; `env` replaces what the stack set in this process. */
async function cspmove(args: string[], env: Record<string, string> = {}) {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(AWS_|TABLE_NAME|BUCKET_NAME|SENDER_EMAIL|CSPMOVE_)/.test(k)),
  );
  return run('node', [BIN, 'user', ...args], { cwd, env: { ...clean, NO_COLOR: '1', ...env } }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
}

beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'cspmove-user-cli-'));
  dataDir = join(cwd, 'data');
  const { stack, store } = fixture;
  for (const partnerId of ['contoso', 'fabrikam'])
    await store.savePartnerSettings({ ...parseSettings({ email: `ops@${partnerId}.test` }), partner_id: partnerId });
  // What `serve` writes; this test process stands in for it.
  const endpoints: LocalEndpoints = {
    region: stack.aws.region,
    credentials: stack.aws.credentials,
    endpoints: stack.aws.endpoints,
    sesInboxUrl: stack.aws.sesInboxUrl,
    actions: { url: stack.actionsUrl, keyFile: join(cwd, 'link-key') },
    workQueueUrl: stack.workQueueUrl,
    usersFile: localUsersFile(dataDir),
    pid: process.pid,
  };
  await writeFile(join(cwd, 'link-key'), 'a-key');
  await mkdir(join(cwd, '.local'));
  await writeFile(join(cwd, '.local/endpoints.json'), JSON.stringify(endpoints));
  cognito = await startCognitoLocal();
}, 60_000);

afterAll(async () => {
  await cognito?.stop();
  if (cwd) await rm(cwd, { recursive: true, force: true });
});

describe('cspmove user, on the local stack', () => {
  it('adds a user with a password printed once, which signs in as that partner’s user', async () => {
    const r = await cspmove(['add', '--partner', 'contoso', '--email', 'Ana@Contoso.test']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toContain('Added ana@contoso.test to partner contoso on the local stack.');
    const password = /Password: (\S+)/.exec(r.stdout)![1]!;
    const users = new LocalUserDirectory(localUsersFile(dataDir));
    expect(await users.authenticate('ana@contoso.test', password)).toMatchObject({ partnerId: 'contoso' });
  });

  it('refuses a user who exists, in this partner or another, a bad address and an unknown partner', async () => {
    expect(await cspmove(['add', '--partner', 'contoso', '--email', 'ana@contoso.test'])).toMatchObject({
      code: 2,
      stderr: 'cspmove: ana@contoso.test is a user of partner contoso already.\n',
    });
    const other = await cspmove(['add', '--partner', 'fabrikam', '--email', 'ana@contoso.test']);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain('ana@contoso.test is a user of another partner');
    const bad = await cspmove(['add', '--partner', 'contoso', '--email', 'ana.contoso.test']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('expected an e-mail address such as name@example.com');
    const unknown = await cspmove(['add', '--partner', 'nobody', '--email', 'x@nobody.test']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no partner "nobody" on the local stack');
    expect(unknown.stderr).toContain('cspmove partner put');
  });

  it('lists a partner’s users, and removes one of its own only', async () => {
    const list = await cspmove(['list', '--partner', 'contoso']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/ana@contoso\.test\s+CONFIRMED\s+added \d{4}-\d{2}-\d{2}/);
    expect((await cspmove(['list', '--partner', 'fabrikam'])).stdout).toContain('Partner fabrikam has no users');

    const elsewhere = await cspmove(['remove', '--partner', 'fabrikam', '--email', 'ana@contoso.test']);
    expect(elsewhere.code).toBe(2);
    expect(elsewhere.stderr).toContain('partner fabrikam has no user ana@contoso.test');
    expect((await cspmove(['list', '--partner', 'contoso'])).stdout).toContain('ana@contoso.test');

    const removed = await cspmove(['remove', '--partner', 'contoso', '--email', 'ANA@contoso.test']);
    expect(removed.code).toBe(0);
    expect(removed.stdout).toContain('Removed ana@contoso.test from partner contoso');
    expect((await cspmove(['list', '--partner', 'contoso'])).stdout).toContain('Partner contoso has no users');
  });

  it('explains each subcommand in --help', async () => {
    const help = await cspmove(['--help']);
    for (const text of ['add', 'list', 'remove', 'CSPMOVE_TARGET=aws', 'USER_POOL_ID']) expect(help.stdout).toContain(text);
    const add = await cspmove(['add', '--help']);
    for (const text of ['--partner <id>', '--email <address>', 'Example:']) expect(add.stdout).toContain(text);
  });
});

describe('cspmove user, on AWS (cognito-local)', () => {
  const aws = () => ({
    CSPMOVE_TARGET: 'aws',
    TABLE_NAME: LOCAL_NAMES.table,
    BUCKET_NAME: LOCAL_NAMES.bucket,
    SENDER_EMAIL: LOCAL_NAMES.sender,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: COGNITO_LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: COGNITO_LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: fixture.stack.aws.endpoints.dynamodb,
    AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: cognito.endpoint,
    USER_POOL_ID: cognito.userPoolId,
  });

  it('needs the user pool id', async () => {
    const { USER_POOL_ID: _, ...withoutPool } = aws();
    const r = await cspmove(['list', '--partner', 'contoso'], withoutPool);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('CSPMOVE_TARGET=aws needs USER_POOL_ID');
  });

  it('adds (Cognito sends the invitation), lists, and removes a partner’s own users only', async () => {
    const added = await cspmove(['add', '--partner', 'contoso', '--email', 'bo@contoso.test'], aws());
    expect(added).toMatchObject({ code: 0, stderr: '' });
    expect(added.stdout).toContain(`Added bo@contoso.test to partner contoso on AWS`);
    expect(added.stdout).toContain('Cognito e-mails bo@contoso.test an invitation with a temporary password');
    expect(added.stdout).not.toContain('Password:');

    const again = await cspmove(['add', '--partner', 'fabrikam', '--email', 'bo@contoso.test'], aws());
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('is a user of another partner');

    expect((await cspmove(['list', '--partner', 'contoso'], aws())).stdout).toMatch(/bo@contoso\.test\s+FORCE_CHANGE_PASSWORD/);
    expect((await cspmove(['list', '--partner', 'fabrikam'], aws())).stdout).toContain('Partner fabrikam has no users');
    expect((await cspmove(['remove', '--partner', 'fabrikam', '--email', 'bo@contoso.test'], aws())).code).toBe(2);
    expect((await cspmove(['remove', '--partner', 'contoso', '--email', 'bo@contoso.test'], aws())).code).toBe(0);
    expect((await cspmove(['list', '--partner', 'contoso'], aws())).stdout).toContain('Partner contoso has no users');
  });
});
