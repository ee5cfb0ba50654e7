/**
 * The deployment's settings, from CDK context: defaults in cdk.json, overridden on the command
 * line (`npx cdk deploy -c senderEmail=reports@contoso.com -c alarmEmail=ops@contoso.com`).
 * Values given with `-c` arrive as strings, values from cdk.json as JSON: both are accepted.
 * A bad value stops the synth with a message naming the context key.
 */
import type { Node } from 'constructs';
import * as z from 'zod';

const email = z.email();

const timeOfDay = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM (24-hour)')
  .transform((s) => ({ hour: Number(s.slice(0, 2)), minute: Number(s.slice(3, 5)) }));

const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'expected an IANA time zone such as UTC or Europe/Berlin');

/** EventBridge Scheduler's day-of-week field: MON, MON-FRI, MON,WED, … */
const weekDays = z
  .string()
  .regex(/^(SUN|MON|TUE|WED|THU|FRI|SAT)([-,](SUN|MON|TUE|WED|THU|FRI|SAT))*$/, 'expected days such as MON, MON-FRI or MON-SUN');

/** `a@x.com,b@y.com` from the command line, or a JSON list from cdk.json. */
const emailList = z
  .union([z.array(z.string()), z.string()])
  .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter((s) => s !== ''))
  .pipe(z.array(email));

const optionalEmail = z
  .string()
  .transform((s) => s.trim())
  .pipe(z.union([z.literal(''), email]))
  .transform((s) => (s === '' ? undefined : s));

const days = z.coerce.number().int().min(1).max(3650);

/** An optional string setting: empty (cdk.json's default) is absent. */
const optional = (inner: z.ZodType<string, string>) =>
  z
    .string()
    .transform((s) => s.trim())
    .pipe(z.union([z.literal(''), inner]))
    .transform((s) => (s === '' ? undefined : s));

/** Cognito's rules for a domain prefix: lowercase letters, digits and inner hyphens; no reserved words. */
const domainPrefix = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'expected lowercase letters, digits and hyphens (not first or last), at most 63')
  .refine((s) => !/aws|amazon|cognito/.test(s), 'must not contain aws, amazon or cognito');

/** CloudFront takes a WAFv2 web ACL of scope CLOUDFRONT, which lives in us-east-1. */
const cloudFrontWebAclArn = z
  .string()
  .regex(
    /^arn:aws[a-z-]*:wafv2:us-east-1:\d{12}:global\/webacl\/[\w-]+\/[\w-]+$/,
    'expected the ARN of a CLOUDFRONT-scope WAFv2 web ACL (us-east-1)',
  );

const schema = z.object({
  /** The From address of every e-mail; the stack creates its SES identity. */
  senderEmail: email,
  /** Where alarm notifications go (an SNS e-mail subscription); none when empty. */
  alarmEmail: optionalEmail.optional(),
  /** SES sandbox only: recipient addresses to verify and allow (README: "Deploy to AWS"). */
  recipientIdentities: emailList.optional(),
  /** The time zone the schedule times below are read in (daylight saving time included). */
  scheduleTimezone: timeZone,
  dailyRemindersAt: timeOfDay,
  weeklyDigestAt: timeOfDay,
  /**
   * Days the weekly-digest function runs. It sends each partner's digest on the partner's own
   * Monday (in the partner's time zone) and at most once a week, so a daily run (MON-SUN) reaches
   * every partner whatever their time zone; MON is enough when all partners share scheduleTimezone.
   */
  weeklyDigestDays: weekDays,
  /** Uploads and reports are deleted this many days after they are written. */
  retentionDays: days,
  /**
   * The console's sign-in domain, https://{prefix}.auth.{region}.amazoncognito.com; unique per
   * region across all AWS accounts. Empty: cspmove-{account id}.
   */
  consoleDomainPrefix: optional(domainPrefix).optional(),
  /** Console MFA (an authenticator app): 'optional' lets each user add one, 'required' makes everyone. */
  consoleMfa: z.enum(['optional', 'required']),
  /** A WAF web ACL for the console's distribution; none when empty. */
  consoleWebAclArn: optional(cloudFrontWebAclArn).optional(),
});

export type PlannerSettings = z.output<typeof schema>;

export const SETTING_KEYS = Object.keys(schema.shape) as (keyof PlannerSettings)[];

/** Reads and validates the settings from the CDK context of `node` (the app or a stack). */
export function readSettings(node: Node): PlannerSettings {
  return parseSettings(Object.fromEntries(SETTING_KEYS.map((key) => [key, node.tryGetContext(key)])));
}

/** Validates settings given as context values (JSON from cdk.json, or strings from -c). */
export function parseSettings(context: Record<string, unknown>): PlannerSettings {
  const raw = Object.fromEntries(SETTING_KEYS.map((key) => [key, context[key]]).filter(([, v]) => v !== undefined && v !== null));
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (i) => `${String(i.path[0] ?? '(context)')}${i.path.length > 1 ? `[${i.path.slice(1).join('.')}]` : ''}: ${i.message}`,
    );
    throw new Error(`Invalid CDK context (cdk.json or -c key=value):\n  ${problems.join('\n  ')}`);
  }
  return parsed.data;
}
