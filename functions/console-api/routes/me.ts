/** GET /me and GET /home: who is signed in, and this week at a glance. */
import { Hono } from 'hono';
import { home } from '../../../shared/use-cases/console/home.js';
import { me } from '../../../shared/use-cases/console/me.js';
import type { ConsoleEnv } from '../env.js';

export const meRoutes = new Hono<ConsoleEnv>()
  .get('/me', async (c) => c.json(await me(c.var.request)))
  .get('/home', async (c) => c.json(await home(c.var.request)));
