/**
 * The API client: same origin, /api, the ID token as `Authorization: Bearer`. A failure becomes
 * an ApiError whose message is plain words; a 401 first tries one silent renewal (the refresh
 * token), then tells the app the session has ended.
 */
import type { API_PREFIX } from '../../shared/console/contract.js';
import { ApiError, asProblem } from './problem.js';

export interface TokenSource {
  /** The current ID token, renewed when it has expired; undefined when signed out. */
  idToken(): Promise<string | undefined>;
  /** After a 401: try to renew once; true when there is a new token to retry with. */
  renew(): Promise<boolean>;
  /** The session cannot be renewed: the app asks to sign in again. */
  ended(): void;
}

/** The contract's prefix, checked against it by type: a value import would bring zod into the browser. */
const API: typeof API_PREFIX = '/api';

let tokens: TokenSource | undefined;

export function useTokens(source: TokenSource): void {
  tokens = source;
}

export type Query = Record<string, string | number | readonly string[] | undefined>;

export function queryString(query: Query | undefined): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === '') continue;
    if (Array.isArray(value)) {
      if (value.length) params.set(key, value.join(','));
    } else params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

async function request<T>(method: string, path: string, query?: Query, body?: unknown, retried = false): Promise<T> {
  const token = await tokens?.idToken();
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(`${API}${path}${queryString(query)}`, {
      method,
      headers,
      body: body === undefined ? null : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, undefined);
  }
  if (response.status === 401 && !retried && tokens && (await tokens.renew())) return request(method, path, query, body, true);
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!response.ok) {
    if (response.status === 401) tokens?.ended();
    throw new ApiError(response.status, asProblem(parsed));
  }
  return parsed as T;
}

export const api = {
  get: <T>(path: string, query?: Query) => request<T>('GET', path, query),
  post: <T>(path: string, body: unknown) => request<T>('POST', path, undefined, body),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, undefined, body),
};

/** A path segment from partner data (an id), safe in a URL. */
export function seg(value: string): string {
  return encodeURIComponent(value);
}
