/** API Gateway HTTP API, /api/* → the console's API (app.ts), with the wall clock and the plan snapshots in S3. */
import { handle } from 'hono/aws-lambda';
import { planViews } from '../../shared/use-cases/console/plan-views.js';
import { consoleApp } from './app.js';

export const handler = handle(consoleApp({ now: () => new Date(), planViews }));
