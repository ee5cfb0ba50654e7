/**
 * The console on the local stack, on one localhost port as CloudFront serves it on AWS: the web
 * app (dist/web, every page path answered with index.html), its /config.json, the API's routes
 * under /api (the same Hono app the Lambda handler wraps) and the local sign-in under /oidc. Every
 * answer carries the console's security headers (shared/config/console-headers.ts).
 */
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { getRequestListener } from '@hono/node-server';
import { consoleHeaders } from '../../shared/config/console-headers.js';
import { API_PREFIX, CONFIG_PATH, type ConsoleConfig } from '../../shared/console/contract.js';

/** What the server hands requests to, made once its origin is known (the issuer and the redirect URIs depend on it). */
export interface ConsoleRoutes {
  /** The API: a Web-standard fetch handler. */
  api: (request: Request) => Response | Promise<Response>;
  /** The OpenID provider, mounted at `signInPath`. */
  signIn: RequestListener;
  signInPath: string;
  config: ConsoleConfig;
  /** Origins the web app may fetch besides its own (the S3 endpoint of the presigned POST). */
  connect: string[];
}

export interface ConsoleServer {
  /** The console's address, e.g. http://localhost:8780 */
  url: string;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

export async function startConsoleServer(options: {
  port: number;
  webDir: string;
  routes: (origin: string) => ConsoleRoutes | Promise<ConsoleRoutes>;
}): Promise<ConsoleServer> {
  let handle: RequestListener = (_req, res) => void res.writeHead(503).end('Starting');
  const server: Server = createServer((req, res) => handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const origin = `http://localhost:${(server.address() as AddressInfo).port}`;
  try {
    const routes = await options.routes(origin);
    const headers = consoleHeaders({ connect: routes.connect }, false);
    const api = getRequestListener((request) => routes.api(request));
    const config = JSON.stringify(routes.config);
    handle = (req, res) => {
      for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
      const path = new URL(req.url ?? '/', origin).pathname;
      if (path === API_PREFIX || path.startsWith(`${API_PREFIX}/`)) return void api(req, res);
      if (path === routes.signInPath || path.startsWith(`${routes.signInPath}/`)) return void routes.signIn(req, res);
      if (path === CONFIG_PATH) return void send(res, 200, TYPES['.json']!, config, 'no-store');
      void serveWeb(options.webDir, path, req, res);
    };
  } catch (error) {
    await closeServer(server);
    throw error;
  }
  return { url: origin, close: () => closeServer(server) };
}

/**
 * A file of the web app; any other path without an extension is a page of the app, so index.html.
 * Hashed assets are cached for good, index.html never (it names the current assets).
 */
async function serveWeb(webDir: string, path: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, TYPES['.txt']!, 'Method not allowed', 'no-store');
  const file = normalize(join(webDir, decodeURIComponent(path)));
  if (!file.startsWith(normalize(webDir) + sep)) return send(res, 404, TYPES['.txt']!, 'Not found', 'no-store');
  const page = extname(path) === '';
  const target = page ? join(webDir, 'index.html') : file;
  try {
    if (!(await stat(target)).isFile()) throw new Error('not a file');
    const body = await readFile(target);
    const cache = page || target.endsWith('index.html') ? 'no-cache' : 'public, max-age=31536000, immutable';
    send(res, 200, TYPES[extname(target)] ?? 'application/octet-stream', req.method === 'HEAD' ? '' : body, cache);
  } catch {
    send(res, 404, TYPES['.txt']!, page ? 'The console is not built: run `npm run build`.' : 'Not found', 'no-store');
  }
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, cache: string): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': cache }).end(body);
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}
