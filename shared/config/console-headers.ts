/**
 * The console's security headers, stated once: CloudFront's response headers policy (infra/) and
 * the local console server send the same. Scripts and styles come from the console's own origin
 * only; the browser may also reach the sign-in origin (discovery, tokens) and the upload bucket
 * (the presigned POST). Nothing may frame the console.
 */
export interface ConsoleOrigins {
  /** Origins the web app fetches besides its own: the OpenID provider's, the upload bucket's. */
  connect: readonly string[];
}

/** The app submits no form (its forms are handled in script), so none may be sent anywhere. */
export function contentSecurityPolicy(origins: ConsoleOrigins): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    `connect-src ${["'self'", ...origins.connect].join(' ')}`,
    "form-action 'none'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
  ].join('; ');
}

/** Every header but the CSP, as CloudFront's response headers policy names them. */
export const CONSOLE_HEADERS = {
  strictTransportSecurity: { maxAgeSeconds: 63_072_000, includeSubdomains: true },
  frameOptions: 'DENY',
  /** Page paths name customers and uploads: they are sent nowhere. */
  referrerPolicy: 'no-referrer',
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
