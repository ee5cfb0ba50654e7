/**
 * Structured logs (Powertools Logger: JSON on Lambda). Log levels come from POWERTOOLS_LOG_LEVEL.
 * No e-mail address reaches the logs: every string of every entry — the message, attributes,
 * keys, error messages and stacks (an SES refusal names the recipient) — goes through `redact()`
 * on its way out.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { SERVICE_NAME } from './config/service.js';

/**
 * Something@host.domain. Neither part may hold '/' or '\\', and the host needs a dot, so module
 * paths in stacks (node_modules/@aws-sdk/…) are left alone.
 */
const EMAIL = /[^\s@<>(),;:"'/\\]+@[^\s@<>(),;:"'/\\.]+(?:\.[^\s@<>(),;:"'/\\.]+)+/g;

export function redact(text: string): string {
  return text.replace(EMAIL, '[email]');
}

export const logger = new Logger({
  serviceName: SERVICE_NAME,
  // Applied by JSON.stringify to every value of an entry, nested ones and formatted errors too.
  jsonReplacerFn: (_key: string, value: unknown) => (typeof value === 'string' ? redact(value) : value),
});
