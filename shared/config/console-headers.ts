/**
 * The console's security headers, stated once: CloudFront's response headers policy (infra/) and
 * the local console server send the same. Scripts and styles come from the console's own origin
 * only; the browser may also reach the sign-in origin (discovery, tokens) and the upload bucket
 * (the presigned POST). Nothing may frame the console.
 */
export interface ConsoleOrigins {
  /** Origins the web app fetches besides its own: the OpenID provider's, the upload bucket's. */
  connect: readonly string[];
  /** Origins a page may send a form to besides its own (the sign-out redirect). */
  formAction?: readonly string[] | undefined;
}

export function contentSecurityPolicy(origins: ConsoleOrigins): string {
  const list = (extra: readonly string[] | undefined) => ["'self'", ...(extra ?? [])].join(' ');
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${list(origins.connect)}`,
    `form-action ${list(origins.formAction)}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
  ].join('; ');
}

/** Every header but the CSP, as CloudFront's response headers policy names them. */
export const CONSOLE_HEADERS = {
  strictTransportSecurity: { maxAgeSeconds: 63_072_000, includeSubdomains: true },
  frameOptions: 'DENY',
  referrerPolicy: 'strict-origin-when-cross-origin',
} as const;

/** The headers as HTTP sends them (the local server; HSTS only matters over HTTPS, so it is sent there only). */
export function consoleHeaders(origins: ConsoleOrigins, https: boolean): Record<string, string> {
  const hsts = CONSOLE_HEADERS.strictTransportSecurity;
  return {
    'content-security-policy': contentSecurityPolicy(origins),
    'x-content-type-options': 'nosniff',
    'x-frame-options': CONSOLE_HEADERS.frameOptions,
    'referrer-policy': CONSOLE_HEADERS.referrerPolicy,
    ...(https
      ? { 'strict-transport-security': `max-age=${hsts.maxAgeSeconds}${hsts.includeSubdomains ? '; includeSubDomains' : ''}` }
      : {}),
  };
}
