/** GET /plan?… and GET /customers/{customerId}: the plan, a page at a time, and one customer. */
import { Hono } from 'hono';
import { PlanQuerySchema } from '../../../shared/console/contract.js';
import { customerPage } from '../../../shared/use-cases/console/customer.js';
import { planPage } from '../../../shared/use-cases/console/plan-page.js';
import type { ConsoleEnv } from '../env.js';
import { answerWith, checkedQuery } from '../problem.js';

export const planRoutes = new Hono<ConsoleEnv>()
  .get('/plan', async (c) => c.json(await planPage(c.var.request, checkedQuery(c, PlanQuerySchema))))
  .get('/customers/:customerId', async (c) => answerWith(c, await customerPage(c.var.request, c.req.param('customerId'))));
