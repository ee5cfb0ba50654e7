/**
 * cognito-local (the Cognito user API on localhost) in a child process, with its data in a
 * temporary folder, and a user pool made as the console's is: users sign in by e-mail, and carry
 * the custom attribute custom:partner_id.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { CognitoIdentityProviderClient, CreateUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';

export interface CognitoLocal {
  endpoint: string;
  userPoolId: string;
  /** A client of the real SDK pointed at it. */
  client(): CognitoIdentityProviderClient;
  stop(): Promise<void>;
}

export const COGNITO_LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

export async function startCognitoLocal(): Promise<CognitoLocal> {
  const dir = await mkdtemp(join(tmpdir(), 'cspmove-cognito-local-'));
  const bin = createRequire(import.meta.url).resolve('cognito-local/lib/bin/start.js');
  const child: ChildProcess = spawn(process.execPath, [bin], {
    cwd: dir,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', NO_COLOR: '1', FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const endpoint = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`cognito-local did not start:\n${output}`)), 20_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const address = /running on (http:\/\/[\d.]+:\d+)/.exec(stripVTControlCharacters(output));
      if (address) {
        clearTimeout(timer);
        resolve(address[1]!);
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`cognito-local exited (${String(code)}):\n${output}`));
    });
  });
  const client = () => new CognitoIdentityProviderClient({ endpoint, region: 'us-east-1', credentials: COGNITO_LOCAL_CREDENTIALS });
  const admin = client();
  const { UserPool } = await admin.send(
    new CreateUserPoolCommand({
      PoolName: 'console-users',
      UsernameAttributes: ['email'],
      Schema: [{ Name: 'partner_id', AttributeDataType: 'String', Mutable: true }],
    }),
  );
  admin.destroy();
  return {
    endpoint,
    userPoolId: UserPool!.Id!,
    client,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill();
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
