/** The partner's uploads: the list, a new one, one with its problems, and its report files. */
import { Hono } from 'hono';
import { NewUploadSchema, UploadsQuerySchema } from '../../../shared/console/contract.js';
import { listUploads, newUpload, reportDownload, uploadDetail } from '../../../shared/use-cases/console/uploads.js';
import type { ConsoleEnv } from '../env.js';
import { answerWith, checkedQuery, jsonBody } from '../problem.js';

export const uploadRoutes = new Hono<ConsoleEnv>()
  .get('/uploads', async (c) => c.json(await listUploads(c.var.request, checkedQuery(c, UploadsQuerySchema).key)))
  .post('/uploads', async (c) => answerWith(c, await newUpload(c.var.request, await jsonBody(c, NewUploadSchema))))
  .get('/uploads/:uploadId', async (c) => answerWith(c, await uploadDetail(c.var.request, c.req.param('uploadId'))))
  .get('/uploads/:uploadId/files/:file', async (c) =>
    answerWith(c, await reportDownload(c.var.request, c.req.param('uploadId'), c.req.param('file'))),
  );
