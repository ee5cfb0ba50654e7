/**
 * The console pages an e-mail links to: an upload, a customer, the plan. CONSOLE_URL is the
 * console's address (its CloudFront URL on AWS, the console server locally); without it the
 * e-mails link to the files directly, as a deployment without a console needs.
 */
export interface ConsolePages {
  home: string;
  plan: string;
  upload(uploadId: string): string;
  customer(customerId: string): string;
}

/** The pages of the console at `base` (default: CONSOLE_URL); undefined when there is no console. */
export function consolePages(base = process.env.CONSOLE_URL): ConsolePages | undefined {
  if (!base) return undefined;
  const root = base.replace(/\/+$/, '');
  return {
    home: `${root}/`,
    plan: `${root}/plan`,
    upload: (uploadId) => `${root}/uploads/${encodeURIComponent(uploadId)}`,
    customer: (customerId) => `${root}/customers/${encodeURIComponent(customerId)}`,
  };
}
