/**
 * The console's HTTP API (docs/console.md): the routes of shared/console/contract.ts under
 * API_PREFIX, each scoped to the partner of the verified ID token. Web-standard Request and
 * Response, so the same app runs behind API Gateway (handler.ts) and locally (`app.fetch`).
 *
 * Every error is an RFC 9457 problem: 401 without a valid token, 400 for a query or body the
 * contract refuses (naming each field), 404 for an unknown route or an id not in the partner's
 * data, 405, 413 and 415 where they apply, 422 for a change that may not be made, 500 without
 * internals. Nothing is cached: every answer is the partner's own, and of the moment.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { methodNotAllowed } from 'hono/method-not-allowed';
import { routePath } from 'hono/route';
import { API_PREFIX } from '../../shared/console/contract.js';
import { type IdentityConfig, verifyIdentity } from '../../shared/console/identity.js';
import type { PlanViews } from '../../shared/use-cases/console/context.js';
import { logFailure, logRequest } from '../../shared/use-cases/console/request-log.js';
import type { ConsoleEnv } from './env.js';
import { ApiProblem, problemResponse } from './problem.js';
import { meRoutes } from './routes/me.js';
import { planRoutes } from './routes/plan.js';
import { settingsRoutes } from './routes/settings.js';
import { statusRoutes } from './routes/status.js';
import { uploadRoutes } from './routes/uploads.js';

export interface ConsoleAppOptions {
  /** "Now" for the use cases: the wall clock on AWS, the local stack's settable clock locally. */
  now: () => Date;
  planViews: PlanViews;
  /** The time tokens' expiry is checked against; the wall clock when absent (issuers stamp real time). */
  tokenTime?: (() => Date) | undefined;
  /** The token issuer; from the environment (OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_JWKS_URL) when absent. */
  identity?: IdentityConfig | undefined;
}

/** The largest JSON body: a full selection of status changes with their reasons fits well within it. */
export const MAX_BODY_BYTES = 256 * 1024;

export function consoleApp(options: ConsoleAppOptions): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>();

  // No answer is cached anywhere, errors included; one log line per request, without e-mails.
  app.use('*', async (c, next) => {
    const started = performance.now();
    await next();
    c.res.headers.set('cache-control', 'no-store');
    const identity = c.var.request?.identity;
    logRequest({
      method: c.req.method,
      route: routePath(c, -1),
      status: c.res.status,
      ms: Math.round(performance.now() - started),
      partnerId: identity?.partnerId,
      sub: identity?.sub,
    });
  });

  // Who is asking, from the ID token only.
  app.use(`${API_PREFIX}/*`, async (c, next) => {
    const verified = await verifyIdentity(c.req.header('authorization'), {
      config: options.identity,
      currentDate: options.tokenTime?.(),
    });
    if (!verified.ok) return problemResponse(401, verified.reason, undefined, { 'www-authenticate': 'Bearer error="invalid_token"' });
    c.set('request', { identity: verified.identity, now: options.now(), views: options.planViews });
    await next();
  });

  app.use(
    '*',
    methodNotAllowed({
      app,
      onMethodNotAllowed: (_c, methods) => problemResponse(405, undefined, undefined, { allow: methods.join(', ') }),
    }),
  );
  app.use(
    `${API_PREFIX}/*`,
    bodyLimit({ maxSize: MAX_BODY_BYTES, onError: () => problemResponse(413, `The body is larger than ${MAX_BODY_BYTES / 1024} KiB.`) }),
  );

  for (const routes of [meRoutes, planRoutes, statusRoutes, uploadRoutes, settingsRoutes]) app.route(API_PREFIX, routes);

  app.notFound(() => problemResponse(404, 'There is no such resource.'));
  app.onError((error, c) => {
    if (error instanceof ApiProblem) return problemResponse(error.status, error.detail, error.errors, error.headers);
    logFailure(error, { method: c.req.method, route: routePath(c, -1), partnerId: c.var.request?.identity.partnerId });
    return problemResponse(500, 'The request could not be completed; try again.');
  });
  return app;
}
