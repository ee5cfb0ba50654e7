/**
 * The local console server answers as CloudFront does on AWS: the web app's files, index.html for
 * every page path, /config.json, the API under /api and the sign-in under /oidc, each with the
 * console's security headers.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleServer, startConsoleServer } from '../../local/console/console-server.js';

let web: string;
let outside: string;
let server: ConsoleServer;

beforeAll(async () => {
  outside = await mkdtemp(join(tmpdir(), 'console-outside-'));
  await writeFile(join(outside, 'secret.txt'), 'secret');
  web = await mkdtemp(join(tmpdir(), 'console-web-'));
  await writeFile(join(web, 'index.html'), '<!doctype html><title>Console</title>');
  await writeFile(join(web, 'app-1a2b.js'), 'console.log(1)');
  server = await startConsoleServer({
    port: 0,
    webDir: web,
    routes: (origin) => ({
      api: (request) => Response.json({ path: new URL(request.url).pathname, method: request.method }),
      signIn: (req, res) => void res.writeHead(200, { 'content-type': 'text/plain' }).end(`sign-in ${req.url}`),
      signInPath: '/oidc',
      config: {
        authority: `${origin}/oidc`,
        clientId: 'c',
        redirectUri: `${origin}/`,
        postLogoutRedirectUri: `${origin}/`,
        scope: 'openid',
      },
      connect: ['http://localhost:9999'],
    }),
  });
});

afterAll(async () => {
  await server.close();
  await rm(web, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

const get = (path: string, init?: RequestInit) => fetch(`${server.url}${path}`, init);

describe('the local console server', () => {
  it('answers every page path with index.html, never cached', async () => {
    for (const path of ['/', '/plan', '/customers/C-1', '/uploads/u1']) {
      const response = await get(path);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/html');
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(await response.text()).toContain('<title>Console</title>');
    }
  });

  it('serves hashed assets cached for good, and 404 for a file it does not have', async () => {
    const asset = await get('/app-1a2b.js');
    expect(asset.headers.get('content-type')).toContain('text/javascript');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect((await get('/missing.js')).status).toBe(404);
  });

  it('never serves a file outside the web folder', async () => {
    // An encoded slash survives URL parsing, so the decoded path climbs out unless the server stops it.
    const response = await get(`/..%2f${basename(outside)}%2fsecret.txt`);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('secret');
  });

  it('sends the security headers on every answer: a CSP without unsafe-inline, no framing, nosniff', async () => {
    for (const path of ['/', '/app-1a2b.js', '/api/me', '/oidc/auth', '/config.json']) {
      const response = await get(path);
      const csp = response.headers.get('content-security-policy')!;
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("connect-src 'self' http://localhost:9999");
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
    }
  });

  it('hands /api to the API and /oidc to the sign-in, and serves /config.json with its own origin', async () => {
    expect(await (await get('/api/plan?page=2', { method: 'POST' })).json()).toEqual({ path: '/api/plan', method: 'POST' });
    expect(await (await get('/oidc/auth?x=1')).text()).toBe('sign-in /oidc/auth?x=1');
    const config = await (await get('/config.json')).json();
    expect(config.authority).toBe(`${server.url}/oidc`);
    expect(config.redirectUri).toBe(`${server.url}/`);
  });

  it('refuses to change anything through the web files', async () => {
    expect((await get('/plan', { method: 'POST' })).status).toBe(405);
  });
});
