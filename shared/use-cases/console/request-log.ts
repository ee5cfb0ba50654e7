/**
 * What the console API logs: one line per request (who by partner and subject, never by e-mail),
 * and what failed when it answers 500. The logger redacts any e-mail address a message carries.
 */
import { logger } from '../../log.js';

export interface RequestLine {
  method: string;
  /** The route's pattern (`/api/customers/:customerId`), not the path: ids stay out of the log. */
  route: string;
  status: number;
  ms: number;
  partnerId?: string | undefined;
  sub?: string | undefined;
}

export function logRequest(line: RequestLine): void {
  logger.info('Console API request', { ...line });
}

export function logFailure(error: unknown, request: { method: string; route: string; partnerId?: string | undefined }): void {
  logger.error('Console API request failed', { ...request, error: error as Error });
}
