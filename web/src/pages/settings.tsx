/**
 * Settings: a field for every partner setting (shared/domain/partner-settings.ts). An empty field
 * means the default. The API checks them as the settings JSON is checked; each problem it names
 * shows beside its field.
 */
import type { JSX } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { SettingsView } from '../../../shared/console/contract.js';
import type { DATE_FORMATS, DIGEST_DAYS, PartnerSettingsInput } from '../../../shared/domain/partner-settings.js';
import { api } from '../api.js';
import { asApiError, ErrorNote, Loading, PageHeading, useAnnounce, useLoad } from '../components/ui.js';

type Key = keyof PartnerSettingsInput;

type Field =
  | { key: Key; label: string; hint: string; kind: 'text' | 'email' | 'url' | 'zone'; short?: boolean; readOnly?: boolean }
  | { key: Key; label: string; hint: string; kind: 'int'; min: number; max: number; fallback: number }
  | { key: Key; label: string; hint: string; kind: 'ints'; fallback: number[] }
  | { key: Key; label: string; hint: string; kind: 'lines' }
  | { key: Key; label: string; hint: string; kind: 'bool' }
  | { key: Key; label: string; hint: string; kind: 'choice'; choices: [string, string][] };

const DATE_FORMAT_WORDS: Record<(typeof DATE_FORMATS)[number], string> = {
  auto: 'Decide per file',
  iso: 'Year-month-day (2026-12-31)',
  dmy: 'Day/month/year (31/12/2026)',
  mdy: 'Month/day/year (12/31/2026)',
};
const DIGEST_WORDS: Record<(typeof DIGEST_DAYS)[number], string> = {
  business_days: 'Business days (no weekends or public holidays)',
  every_day: 'Every day',
};

/** The form, in groups; the defaults are the planning rules'. */
const GROUPS: { title: string; fields: Field[] }[] = [
  {
    title: 'Partner',
    fields: [
      { key: 'partner_id', label: 'Partner ID', hint: 'Set by your administrator.', kind: 'text', readOnly: true },
      { key: 'name', label: 'Partner name', hint: 'Shown in the report and the e-mails.', kind: 'text' },
      { key: 'email', label: 'E-mail for reports', hint: 'Reports and digests go to this address.', kind: 'email' },
      {
        key: 'country',
        label: 'Country',
        hint: 'Two letters, such as US or IT: business days, holidays and dates. Default US.',
        kind: 'text',
        short: true,
      },
      {
        key: 'currency',
        label: 'Currency',
        hint: 'Three letters, such as USD or EUR, for money in the report. Default USD.',
        kind: 'text',
        short: true,
      },
      { key: 'timezone', label: 'Time zone', hint: 'Decides what "today" is, such as Europe/Rome. Default UTC.', kind: 'zone' },
    ],
  },
  {
    title: 'Planning',
    fields: [
      {
        key: 'invite_lead_days',
        label: 'Invitation lead time',
        hint: 'Calendar days a customer needs to accept the invitation. Default 21.',
        kind: 'int',
        min: 0,
        max: 365,
        fallback: 21,
      },
      {
        key: 'buffer_business_days',
        label: 'Buffer before the end date',
        hint: 'Business days between the move and the end date. Default 5.',
        kind: 'int',
        min: 0,
        max: 60,
        fallback: 5,
      },
      {
        key: 'daily_capacity',
        label: 'Moves a day',
        hint: 'Moves your team can do per business day. Default 20.',
        kind: 'int',
        min: 1,
        max: 100_000,
        fallback: 20,
      },
      { key: 'co_term', label: 'Move all of a customer’s subscriptions on one day (co-term)', hint: 'Off by default.', kind: 'bool' },
      {
        key: 'date_format',
        label: 'Dates in uploaded files',
        hint: 'How the dates in your CSV files are written.',
        kind: 'choice',
        choices: Object.entries(DATE_FORMAT_WORDS),
      },
      {
        key: 'discontinued_offers',
        label: 'More discontinued offers',
        hint: 'One offer name a line, besides the built-in list.',
        kind: 'lines',
      },
    ],
  },
  {
    title: 'Reminders and e-mails',
    fields: [
      {
        key: 'expiry_reminder_days',
        label: 'Expiry reminders',
        hint: 'Days before the end date, separated by commas. Default 60, 30, 14, 7, 1.',
        kind: 'ints',
        fallback: [60, 30, 14, 7, 1],
      },
      {
        key: 'invitation_reminder_every_days',
        label: 'Invitation reminder every',
        hint: 'Days between reminders of an invitation not yet accepted. Default 7.',
        kind: 'int',
        min: 1,
        max: 90,
        fallback: 7,
      },
      {
        key: 'daily_digest_days',
        label: 'Daily digest on',
        hint: 'The days a daily digest may go out.',
        kind: 'choice',
        choices: Object.entries(DIGEST_WORDS),
      },
      {
        key: 'notify_customers',
        label: 'E-mail invitations to customer contacts',
        hint: 'Off by default; needs the reseller link.',
        kind: 'bool',
      },
      {
        key: 'reseller_link',
        label: 'Reseller relationship link',
        hint: 'Your https link customers accept the invitation with.',
        kind: 'url',
      },
    ],
  },
];
const FIELDS = GROUPS.flatMap((g) => g.fields);

type Values = Record<string, string | boolean>;

/** The stored settings as the form's text. */
function toForm(settings: SettingsView): Values {
  const values: Values = {};
  for (const f of FIELDS) {
    const v = settings[f.key];
    if (f.kind === 'bool') values[f.key] = v === true;
    else if (Array.isArray(v)) values[f.key] = v.join(f.kind === 'lines' ? '\n' : ', ');
    else values[f.key] = v === undefined || v === null ? '' : String(v);
  }
  return values;
}

/** The form as the settings JSON; an empty field is left out (its default applies). Errors the form can tell by itself come back too. */
function fromForm(values: Values): { body: Record<string, unknown>; errors: Record<string, string> } {
  const body: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const f of FIELDS) {
    const v = values[f.key];
    if (f.kind === 'bool') {
      body[f.key] = v === true;
      continue;
    }
    const text = String(v ?? '').trim();
    if (text === '') continue;
    if (f.kind === 'int') {
      if (!/^\d+$/.test(text)) errors[f.key] = 'must be a whole number';
      else body[f.key] = Number(text);
    } else if (f.kind === 'ints') {
      const parts = text.split(/[\s,;]+/).filter(Boolean);
      if (parts.some((p) => !/^\d+$/.test(p))) errors[f.key] = 'must be whole numbers separated by commas';
      else body[f.key] = parts.map(Number);
    } else if (f.kind === 'lines') {
      body[f.key] = text
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean);
    } else body[f.key] = f.key === 'country' || f.key === 'currency' ? text.toUpperCase() : text;
  }
  return { body, errors };
}

export function SettingsPage() {
  const settings = useLoad<SettingsView>('settings', () => api.get<SettingsView>('/settings'));
  return (
    <>
      <PageHeading title="Settings">Settings</PageHeading>
      <p class="lede">How your moves are planned and who hears about them. An empty field uses the default.</p>
      {settings.loading && !settings.data && <Loading what="the settings" />}
      <ErrorNote error={settings.data ? undefined : settings.error} />
      {settings.data && <SettingsForm stored={settings.data} />}
    </>
  );
}

function SettingsForm({ stored }: { stored: SettingsView }) {
  const initial = useMemo(() => toForm(stored), [stored]);
  const [values, setValues] = useState<Values>(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const announce = useAnnounce();
  useEffect(() => setValues(initial), [initial]);
  const zones = useMemo(() => (typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : []), []);

  const showErrors = (found: Record<string, string>, message: string) => {
    setErrors(found);
    setFormError(message);
    announce(message);
    // The first field to fix, as a screen reader user would look for it.
    const first = FIELDS.find((f) => found[f.key]);
    if (first) window.setTimeout(() => document.getElementById(`s-${first.key}`)?.focus(), 0);
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    setSaved(false);
    const { body, errors: local } = fromForm(values);
    if (Object.keys(local).length) return showErrors(local, fixWords(Object.keys(local).length));
    setBusy(true);
    try {
      await api.put<SettingsView>('/settings', body);
      setErrors({});
      setFormError(undefined);
      setSaved(true);
      announce('Settings saved. The plan is redone with them.');
    } catch (e) {
      const failure = asApiError(e);
      const found: Record<string, string> = {};
      const other: string[] = [];
      for (const p of failure.fieldErrors) {
        const key = p.path.split('.')[0] ?? '';
        if (FIELDS.some((f) => f.key === key)) found[key] = found[key] ? `${found[key]}; ${p.message}` : p.message;
        else other.push(p.message);
      }
      const count = Object.keys(found).length;
      showErrors(found, count ? `${fixWords(count)}${other.length ? ` ${other.join(' ')}` : ''}` : [failure.message, ...other].join(' '));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="settings" noValidate onSubmit={(e) => void submit(e)}>
      {formError && (
        <div class="notice notice-error" role="alert">
          <p>{formError}</p>
          {Object.keys(errors).length > 0 && (
            <ul>
              {FIELDS.filter((f) => errors[f.key]).map((f) => (
                <li key={f.key}>
                  <a href={`#s-${f.key}`}>{f.label}</a>: {errors[f.key]}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {GROUPS.map((g) => (
        <fieldset key={g.title} class="card">
          <legend>{g.title}</legend>
          {g.fields.map((f) => (
            <SettingField
              key={f.key}
              field={f}
              value={values[f.key] ?? ''}
              error={errors[f.key]}
              onChange={(v) => setValues((all) => ({ ...all, [f.key]: v }))}
            />
          ))}
        </fieldset>
      ))}
      {zones.length > 0 && (
        <datalist id="time-zones">
          {zones.map((z) => (
            <option key={z} value={z} />
          ))}
        </datalist>
      )}
      <div class="button-row">
        <button type="submit" class="button primary" disabled={busy}>
          Save settings
        </button>
        {saved && (
          <span class="saved" role="status">
            Saved.
          </span>
        )}
      </div>
    </form>
  );
}

function fixWords(n: number): string {
  return n === 1 ? 'One setting needs a fix.' : `${n} settings need a fix.`;
}

function SettingField({
  field: f,
  value,
  error,
  onChange,
}: {
  field: Field;
  value: string | boolean;
  error: string | undefined;
  onChange: (v: string | boolean) => void;
}) {
  const id = `s-${f.key}`;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = error ? `${errorId} ${hintId}` : hintId;
  const errorLine = error && (
    <p class="field-error" id={errorId}>
      {error}
    </p>
  );
  if (f.kind === 'bool') {
    return (
      <div class={error ? 'field check-field invalid' : 'field check-field'}>
        <label class="check">
          <input
            id={id}
            type="checkbox"
            checked={value === true}
            aria-describedby={describedBy}
            aria-invalid={error ? 'true' : undefined}
            onChange={(e) => onChange(e.currentTarget.checked)}
          />
          {f.label}
        </label>
        {errorLine}
        <p class="hint" id={hintId}>
          {f.hint}
        </p>
      </div>
    );
  }
  const common = {
    id,
    'aria-describedby': describedBy,
    'aria-invalid': error ? ('true' as const) : undefined,
  };
  const text = String(value);
  let control: JSX.Element;
  if (f.kind === 'choice') {
    control = (
      <select {...common} value={text} onChange={(e) => onChange(e.currentTarget.value)}>
        <option value="">Default</option>
        {f.choices.map(([v, words]) => (
          <option key={v} value={v}>
            {words}
          </option>
        ))}
      </select>
    );
  } else if (f.kind === 'lines') {
    control = <textarea {...common} rows={3} value={text} onInput={(e) => onChange(e.currentTarget.value)} />;
  } else {
    const type = f.kind === 'email' ? 'email' : f.kind === 'url' ? 'url' : 'text';
    control = (
      <input
        {...common}
        type={type}
        class={f.kind === 'int' || ('short' in f && f.short) ? 'short' : undefined}
        inputMode={f.kind === 'int' ? 'numeric' : undefined}
        list={f.kind === 'zone' ? 'time-zones' : undefined}
        readOnly={'readOnly' in f && f.readOnly}
        autocomplete="off"
        placeholder={f.kind === 'int' ? String(f.fallback) : f.kind === 'ints' ? f.fallback.join(', ') : undefined}
        value={text}
        onInput={(e) => onChange(e.currentTarget.value)}
      />
    );
  }
  return (
    <div class={error ? 'field invalid' : 'field'}>
      <label for={id}>{f.label}</label>
      {errorLine}
      {control}
      <p class="hint" id={hintId}>
        {f.hint}
      </p>
    </div>
  );
}
