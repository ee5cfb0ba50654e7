/**
 * The console on the local stack: the console server with the local sign-in mounted at /oidc and
 * the API's Hono app behind /api, verifying ID tokens against that sign-in. Its users are the
 * users file in the stack's data folder (`cspmove user add`).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LocalUserDirectory, localUsersFile } from '../users/local-user-directory.js';
import { type ConsoleServer, startConsoleServer } from './console-server.js';
import { createSignIn, LOCAL_CLIENT_ID, SIGN_IN_PATH, type SignIn } from './sign-in.js';

/**
 * The built web app: dist/web in the package. This module runs from local/console/ (tests, tsx)
 * and from the CLI bundle in dist/, so the package is found from here rather than a fixed `../`.
 */
export const WEB_DIR = join(packageRoot(dirname(fileURLToPath(import.meta.url))), 'dist', 'web');

function packageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return from;
  }
}

export interface LocalConsole {
  url: string;
  users: LocalUserDirectory;
  close(): Promise<void>;
}

/**
 * Starts the console. Call it once the stack's environment points at the local AWS: the API's
 * use cases create their clients when their modules load.
 */
export async function startLocalConsole(options: {
  port: number;
  dataDir: string;
  /** The stack's clock: "now" for the use cases (token expiry is checked against the wall clock). */
  now: () => Date;
  /** The S3 endpoint the browser posts uploads to. */
  s3Endpoint: string;
  webDir?: string | undefined;
}): Promise<LocalConsole> {
  const users = new LocalUserDirectory(localUsersFile(options.dataDir));
  const { consoleApp } = await import('../../functions/console-api/app.js');
  const { planViews } = await import('../../shared/use-cases/console/plan-views.js');
  let signIn: SignIn | undefined;
  let server: ConsoleServer;
  try {
    server = await startConsoleServer({
      port: options.port,
      webDir: options.webDir ?? WEB_DIR,
      routes: async (origin) => {
        signIn = await createSignIn({ consoleOrigin: origin, users, dataDir: options.dataDir });
        const app = consoleApp({
          now: options.now,
          planViews,
          identity: { issuer: signIn.issuer, clientId: LOCAL_CLIENT_ID, jwksUrl: signIn.jwksUrl },
        });
        return {
          api: (request) => app.fetch(request),
          signIn: signIn.listener,
          signInPath: SIGN_IN_PATH,
          config: signIn.config,
          connect: [new URL(options.s3Endpoint).origin],
        };
      },
    });
  } catch (error) {
    await signIn?.close();
    throw error;
  }
  return {
    url: server.url,
    users,
    async close() {
      await server.close();
      await signIn?.close();
    },
  };
}
