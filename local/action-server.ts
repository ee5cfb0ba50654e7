/**
 * The e-mail action endpoint on the local stack: an HTTP server that hands each request to the
 * same handler API Gateway invokes on AWS, in the HTTP API's event shape, so a link in a local
 * e-mail works in a browser.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ACTION_PATH } from '../shared/config/service.js';

type Handler = typeof import('../functions/email-action/handler.js')['handleActionRequest'];

export interface ActionServer {
  /** The address links point at (…/action). */
  url: string;
  close(): Promise<void>;
}

/** The largest request body read: the confirmation form is one token. */
const MAX_BODY = 16 * 1024;

export async function startActionServer(options: { port: number; handler: Handler; now: () => Date }): Promise<ActionServer> {
  const server: Server = createServer((req, res) => {
    void (async () => {
      try {
        const url = new URL(req.url ?? '/', 'http://localhost');
        if (url.pathname !== ACTION_PATH) {
          res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
          return;
        }
        const body = await readBody(req);
        const result = await options.handler(httpApiEvent(req, url, body), options.now());
        res.writeHead(result.statusCode ?? 200, result.headers as Record<string, string>).end(result.body ?? '');
      } catch (error) {
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end(`The action failed: ${(error as Error).message}`);
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}${ACTION_PATH}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  return chunks.length ? Buffer.concat(chunks).toString('utf8') : undefined;
}

/** The request as API Gateway's HTTP API (payload format 2.0) passes it to the function. */
function httpApiEvent(req: IncomingMessage, url: URL, body: string | undefined): APIGatewayProxyEventV2 {
  const method = req.method ?? 'GET';
  const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]));
  const query = Object.fromEntries(url.searchParams);
  return {
    version: '2.0',
    routeKey: `${method} ${ACTION_PATH}`,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    queryStringParameters: Object.keys(query).length ? query : undefined,
    body,
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: url.host,
      domainPrefix: 'local',
      http: {
        method,
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: req.socket.remoteAddress ?? '',
        userAgent: req.headers['user-agent'] ?? '',
      },
      requestId: `local-${Date.now()}`,
      routeKey: `${method} ${ACTION_PATH}`,
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
  };
}
