/**
 * RFC 9457 problem details, the API's one shape for an error, and the checks at its edge that
 * answer with one: the query and the JSON body against the contract's zod schemas.
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type * as z from 'zod';
import type { Problem } from '../../shared/console/contract.js';
import type { Answer, FieldError } from '../../shared/use-cases/console/context.js';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  405: 'Method Not Allowed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  500: 'Internal Server Error',
};

export const PROBLEM_TYPE = 'application/problem+json';

/** A problem the request has, thrown by a route and answered by the app's error handler. */
export class ApiProblem extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly detail: string,
    readonly errors?: FieldError[] | undefined,
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'ApiProblem';
  }
}

export function problemResponse(
  status: ContentfulStatusCode,
  detail?: string,
  errors?: FieldError[],
  headers: Record<string, string> = {},
): Response {
  const body: Problem = { type: 'about:blank', title: TITLES[status] ?? 'Error', status, detail, errors };
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': PROBLEM_TYPE, ...headers } });
}

/** A use case's answer: its value as JSON, or the problem it names. */
export function answerWith<T>(c: Context, result: Answer<T>): Response {
  if (result.ok) return c.json(result.value as object);
  if (result.refused === 'not_found') throw new ApiProblem(404, result.detail);
  throw new ApiProblem(422, result.detail, result.errors);
}

/** The query string checked against `schema`: a repeated parameter is a list. */
export function checkedQuery<S extends z.ZodType>(c: Context, schema: S): z.output<S> {
  const query = Object.fromEntries(Object.entries(c.req.queries()).map(([key, values]) => [key, values.length === 1 ? values[0] : values]));
  return checked(schema, query, 'The query is not valid.');
}

/** The JSON body (415 for another media type, 400 when it is not JSON), checked against `schema` when given. */
export async function jsonBody(c: Context): Promise<unknown>;
export async function jsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>>;
export async function jsonBody(c: Context, schema?: z.ZodType): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) throw new ApiProblem(415, 'The body must be JSON (content-type: application/json).');
  let body: unknown;
  try {
    body = JSON.parse(await c.req.text());
  } catch {
    throw new ApiProblem(400, 'The body is not valid JSON.');
  }
  return schema ? checked(schema, body, 'The body is not valid.') : body;
}

function checked<S extends z.ZodType>(schema: S, input: unknown, detail: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ApiProblem(400, detail, fieldErrors(result.error.issues));
}

/** Each issue as the field it is about: an unknown key is its own field. */
export function fieldErrors(issues: readonly z.core.$ZodIssue[]): FieldError[] {
  return issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: [...issue.path, key].join('.'), message: 'is not a known field' }))
      : [{ path: issue.path.join('.'), message: issue.message }],
  );
}
