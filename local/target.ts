/**
 * Where `upload`, `remind` and `partner` act: the local stack `cspmove serve` keeps running
 * (it writes .local/endpoints.json), or real AWS when CSPMOVE_TARGET=aws — then TABLE_NAME,
 * BUCKET_NAME and SENDER_EMAIL come from the environment (the stack's outputs) and
 * credentials from the usual AWS chain.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { LOCAL_NAMES } from './local-names.js';
import type { LocalStack } from './stack.js';

export const LOCAL_DIR = '.local';
export const ENDPOINTS_FILE = join(LOCAL_DIR, 'endpoints.json');

export interface LocalEndpoints {
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  endpoints: { dynamodb: string; s3: string; ses: string; sqs: string };
  sesInboxUrl: string;
  /** The e-mail action endpoint, and the file with the key its links are signed with. */
  actions: { url: string; keyFile: string };
  /** The partners' work queue (re-plans after status changes). */
  workQueueUrl: string;
  /** The console's users (`cspmove user`), in the data folder. */
  usersFile?: string | undefined;
  pid: number;
}

export async function saveEndpoints(stack: LocalStack, keyFile: string, usersFile?: string): Promise<void> {
  const { aws } = stack;
  const data: LocalEndpoints = {
    region: aws.region,
    credentials: aws.credentials,
    endpoints: aws.endpoints,
    sesInboxUrl: aws.sesInboxUrl,
    actions: { url: stack.actionsUrl, keyFile: resolve(keyFile) },
    workQueueUrl: stack.workQueueUrl,
    usersFile: usersFile && resolve(usersFile),
    pid: process.pid,
  };
  await mkdir(dirname(ENDPOINTS_FILE), { recursive: true });
  await writeFile(ENDPOINTS_FILE, JSON.stringify(data, null, 2));
}

export class TargetError extends Error {}

/** Sets the environment the shared AWS adapters read; returns a description for messages. */
export async function useTarget(): Promise<{ kind: 'local' | 'aws'; description: string; local?: LocalEndpoints }> {
  process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
  if (process.env.CSPMOVE_TARGET === 'aws') {
    for (const name of ['TABLE_NAME', 'BUCKET_NAME', 'SENDER_EMAIL']) {
      if (!process.env[name])
        throw new TargetError(`CSPMOVE_TARGET=aws needs ${name} (see the stack outputs in the README's "Deploy to AWS").`);
    }
    return { kind: 'aws', description: `AWS (table ${process.env.TABLE_NAME}, bucket ${process.env.BUCKET_NAME})` };
  }
  let local: LocalEndpoints;
  try {
    local = JSON.parse(await readFile(ENDPOINTS_FILE, 'utf8')) as LocalEndpoints;
    process.kill(local.pid, 0); // is `cspmove serve` still running?
  } catch {
    throw new TargetError('No local stack is running: start one with `npx cspmove serve` in another terminal (or set CSPMOVE_TARGET=aws).');
  }
  if (!local.actions || !local.workQueueUrl)
    throw new TargetError('The running local stack is from an older version: restart `npx cspmove serve`.');
  Object.assign(process.env, {
    AWS_REGION: local.region,
    AWS_ACCESS_KEY_ID: local.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: local.credentials.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: local.endpoints.dynamodb,
    AWS_ENDPOINT_URL_S3: local.endpoints.s3,
    AWS_ENDPOINT_URL_SESV2: local.endpoints.ses,
    AWS_ENDPOINT_URL_SQS: local.endpoints.sqs,
    WORK_QUEUE_URL: local.workQueueUrl,
    TABLE_NAME: LOCAL_NAMES.table,
    BUCKET_NAME: LOCAL_NAMES.bucket,
    SENDER_EMAIL: LOCAL_NAMES.sender,
    ACTIONS_URL: local.actions.url,
    LINK_SIGNING_KEY: (await readFile(local.actions.keyFile, 'utf8')).trim(),
  });
  return { kind: 'local', description: `the local stack (inbox ${local.sesInboxUrl})`, local };
}
