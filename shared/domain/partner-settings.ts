import * as z from 'zod';
import { isCountryCode, notCurrentReason } from './country.js';
import { isValidTimeZone } from './dates.js';

/** The date formats an upload can be read with; `auto` decides per file (see ingest). */
export const DATE_FORMATS = ['auto', 'iso', 'dmy', 'mdy'] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];

const countryCode = z
  .string()
  .refine((s) => isCountryCode(s.trim().toUpperCase()), {
    error: (issue) => {
      const value = String(issue.input);
      const reason = notCurrentReason(value) || `"${value}" is not one`;
      return `must be a current ISO 3166-1 alpha-2 country code such as US or IT: ${reason}`;
    },
  })
  .transform((s) => s.trim().toUpperCase());

/**
 * Partner settings, snake_case as partners write them in JSON. Every key is optional; the
 * defaults are the planning rules' defaults. Unknown keys are rejected so a typo never silently
 * falls back to a default.
 */
export const DIGEST_DAYS = ['business_days', 'every_day'] as const;

export const PartnerSettingsSchema = z.strictObject({
  partner_id: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'letters, digits, ".", "_" or "-" (1–100)')
    .optional(),
  name: z.string().max(200).optional(),
  email: z.email().optional(),
  country: countryCode.default('US'),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD or EUR')
    .default('USD'),
  invite_lead_days: z.int().min(0).max(365).default(21),
  buffer_business_days: z.int().min(0).max(60).default(5),
  daily_capacity: z.int().min(1).max(100_000).default(20),
  expiry_reminder_days: z.array(z.int().min(0).max(365)).max(20).default([60, 30, 14, 7, 1]),
  invitation_reminder_every_days: z.int().min(1).max(90).default(7),
  /** The days a daily digest may go out: the partner's business days (its country's calendar), or every day. */
  daily_digest_days: z.enum(DIGEST_DAYS).default('business_days'),
  co_term: z.boolean().default(false),
  notify_customers: z.boolean().default(false),
  reseller_link: z.url({ protocol: /^https$/ }).optional(),
  date_format: z.enum(DATE_FORMATS).default('auto'),
  timezone: z.string().refine(isValidTimeZone, 'must be an IANA time zone such as Europe/Rome').default('UTC'),
  /** Offers the partner knows are discontinued, besides the built-in list (see domain/offers). */
  discontinued_offers: z.array(z.string().min(1)).default([]),
});

export type PartnerSettingsInput = z.input<typeof PartnerSettingsSchema>;
export type PartnerSettings = z.output<typeof PartnerSettingsSchema>;

export class SettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid partner settings: ${problems.join('; ')}`);
    this.name = 'SettingsError';
  }
}

/** Validates settings JSON; the error names each offending key. */
export function parseSettings(input: unknown): PartnerSettings {
  const result = PartnerSettingsSchema.safeParse(input ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    }
    const key = issue.path.join('.') || '(settings)';
    return `"${key}" ${issue.message}`;
  });
  throw new SettingsError(problems);
}

/** Validates settings JSON, naming each bad key on its own (`path`), as a form shows it beside the field. */
export function checkSettings(
  input: unknown,
): { ok: true; settings: PartnerSettings } | { ok: false; errors: { path: string; message: string }[] } {
  const result = PartnerSettingsSchema.safeParse(input ?? {});
  if (result.success) return { ok: true, settings: result.data };
  const errors = result.error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: key, message: 'is not a setting' }))
      : [{ path: issue.path.join('.'), message: issue.message }],
  );
  return { ok: false, errors };
}

export const DEFAULT_SETTINGS: PartnerSettings = parseSettings({});
