/**
 * An API failure in plain words for the partner's staff: an RFC 9457 problem, a status without
 * one, or no answer at all. Pure, so tests can import it.
 */
import type { Problem } from '../../shared/console/contract.js';

export class ApiError extends Error {
  constructor(
    /** 0 when the API could not be reached. */
    readonly status: number,
    readonly problem: Problem | undefined,
  ) {
    super(problemWords(status, problem));
    this.name = 'ApiError';
  }

  /** The bad fields the API named (`errors[].path`), each with its message. */
  get fieldErrors(): { path: string; message: string }[] {
    return this.problem?.errors ?? [];
  }
}

/** The sentence shown for a failed request. */
export function problemWords(status: number, problem: Problem | undefined): string {
  if (status === 0) return 'The console could not be reached. Check your connection, then try again.';
  if (status === 401) return 'Your sign-in has ended. Sign in again to continue.';
  if (status === 403) return 'Your account may not do this. Ask your administrator if you need it.';
  const said = [problem?.title, problem?.detail].filter((s): s is string => !!s && s.trim() !== '');
  if (status === 404) return said.length ? sentences(said) : 'Not found. It may have been removed, or the link is incomplete.';
  if (status === 413) return 'The file is too large.';
  if (status === 429) return 'Too many requests at once. Wait a moment, then try again.';
  if (status >= 500) return 'The console had a problem on its side. Try again in a minute.';
  if (said.length) return sentences(said);
  return status === 422 || status === 400 ? 'Some values need a fix.' : `The request failed (HTTP ${status}).`;
}

function sentences(parts: string[]): string {
  return parts.map((p) => (/[.!?]$/.test(p.trim()) ? p.trim() : `${p.trim()}.`)).join(' ');
}

/** Reads a problem+json (or any JSON) body; anything else is no problem document. */
export function asProblem(body: unknown): Problem | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const b = body as Partial<Problem>;
  if (typeof b.title !== 'string' && typeof b.detail !== 'string' && !Array.isArray(b.errors)) return undefined;
  return {
    type: typeof b.type === 'string' ? b.type : 'about:blank',
    title: typeof b.title === 'string' ? b.title : '',
    status: typeof b.status === 'number' ? b.status : 0,
    detail: typeof b.detail === 'string' ? b.detail : undefined,
    errors: Array.isArray(b.errors)
      ? b.errors
          .filter((e) => e && typeof e.path === 'string' && typeof e.message === 'string')
          .map((e) => ({ path: e.path, message: e.message }))
      : undefined,
  };
}
