/** POST /status: one status change or a selection, all or nothing. */
import { Hono } from 'hono';
import { StatusRequestSchema } from '../../../shared/console/contract.js';
import { changeStatuses } from '../../../shared/use-cases/console/status-changes.js';
import type { ConsoleEnv } from '../env.js';
import { answerWith, jsonBody } from '../problem.js';

export const statusRoutes = new Hono<ConsoleEnv>().post('/status', async (c) =>
  answerWith(c, await changeStatuses(c.var.request, await jsonBody(c, StatusRequestSchema))),
);
