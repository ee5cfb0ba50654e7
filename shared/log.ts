/**
 * Structured logs (Powertools Logger: JSON on Lambda). Log levels come from POWERTOOLS_LOG_LEVEL.
 * Never log e-mail addresses above debug: use `redact()` for anything that might hold one.
 */
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({ serviceName: 'csp-move-planner' });

const EMAIL = /[^\s@<>(),;:"]+@[^\s@<>(),;:"]+/g;

export function redact(text: string): string {
  return text.replace(EMAIL, '[email]');
}
