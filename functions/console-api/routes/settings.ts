/** GET and PUT /settings: the partner's settings. */
import { Hono } from 'hono';
import { getSettings, putSettings } from '../../../shared/use-cases/console/settings.js';
import type { ConsoleEnv } from '../env.js';
import { answerWith, jsonBody } from '../problem.js';

export const settingsRoutes = new Hono<ConsoleEnv>()
  .get('/settings', async (c) => c.json(await getSettings(c.var.request)))
  .put('/settings', async (c) => answerWith(c, await putSettings(c.var.request, await jsonBody(c))));
