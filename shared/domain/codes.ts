/**
 * Every problem the planner reports, in one place: errors.csv `code`s and file-level failures.
 * The README's table lists each with its meaning (test/unit/readme.test.ts holds them equal).
 *
 * - `error`: the row is rejected (only in errors.csv).
 * - `ineligible`: the row is valid but cannot be moved: in plan.csv with risk `ineligible` and
 *   in errors.csv.
 * - `warning`: the row is planned; errors.csv tells what to check.
 */
export type Severity = 'error' | 'ineligible' | 'warning';

export const ROW_CODES = {
  missing_value: { severity: 'error', meaning: 'A required value is empty.' },
  invalid_date: { severity: 'error', meaning: 'Not a real calendar date in a format the file uses.' },
  date_out_of_range: { severity: 'error', meaning: 'A date before 2000 or after 2100.' },
  invalid_number: { severity: 'error', meaning: 'Not a number.' },
  not_integer: { severity: 'error', meaning: 'Seats must be a whole number.' },
  not_positive: { severity: 'error', meaning: 'Seats must be 1 or more; a price cannot be negative.' },
  out_of_range: { severity: 'error', meaning: 'An absurd value (over 1,000,000 seats or 100,000 a seat a month).' },
  invalid_boolean: { severity: 'error', meaning: 'Not one of true/false, yes/no, 1/0, y/n.' },
  invalid_country: {
    severity: 'error',
    meaning: 'Not a current ISO 3166-1 country code or a known country name; withdrawn codes such as SU or YU are refused.',
  },
  invalid_invitation_status: { severity: 'error', meaning: 'invitation_status is not one of not_sent, sent, accepted.' },
  value_too_long: { severity: 'error', meaning: 'A value over 1,000 characters.' },
  unterminated_quote: {
    severity: 'error',
    meaning: 'A quote opens a value and is never closed: the rest of the file was read as that value.',
  },
  duplicate_subscription: { severity: 'error', meaning: 'The subscription id appeared on an earlier row; the first row is planned.' },
  unknown_base_subscription: { severity: 'error', meaning: 'An add-on whose base subscription is not a planned row of this file.' },
  add_on_chain: { severity: 'error', meaning: 'Add-ons whose base ids form a loop.' },
  base_of_other_customer: {
    severity: 'error',
    meaning: "An add-on whose base subscription belongs to another customer: an add-on belongs to its base's customer.",
  },
  country_mismatch: {
    severity: 'ineligible',
    meaning: "The customer's country differs from the partner's: only a partner in the same country can move it.",
  },
  discontinued_without_target: {
    severity: 'ineligible',
    meaning: 'A discontinued offer with no different target_offer: data may be lost.',
  },
  deleted_subscription: { severity: 'ineligible', meaning: 'The legacy subscription is deleted: there is nothing to move.' },
  base_ineligible: { severity: 'ineligible', meaning: 'An add-on whose base subscription cannot be moved, so neither can the add-on.' },
  missing_contact_email: { severity: 'warning', meaning: 'No contact e-mail: invitation e-mails cannot go to this customer.' },
  invalid_email: { severity: 'warning', meaning: 'The contact e-mail is not an e-mail address; it is ignored.' },
  unknown_status: { severity: 'warning', meaning: 'A status the planner does not know; planned as active.' },
  customer_conflict: { severity: 'warning', meaning: 'A customer id appears with another name or country; the first is used.' },
  extra_fields: { severity: 'warning', meaning: 'More values than headers; the extra values are ignored.' },
  start_after_end: { severity: 'warning', meaning: 'start_date is after end_date.' },
  unusable_status_date: {
    severity: 'warning',
    meaning:
      'invited_on, accepted_on or provisioned_on cannot be the day of the change (after tomorrow, or an acceptance before the invitation); the message says which day it takes.',
  },
  status_contradicts_end_date: {
    severity: 'warning',
    meaning: 'The status says Expired or Disabled but the end date is still to come; planned by the status, as urgent.',
  },
} as const satisfies Record<string, { severity: Severity; meaning: string }>;

export type RowCode = keyof typeof ROW_CODES;

export function severityOf(code: RowCode): Severity {
  return ROW_CODES[code].severity;
}

/** File-level failures: nothing is planned, the CLI exits 2. */
export const FILE_CODES = {
  unreadable: 'The file cannot be opened or read.',
  empty_file: 'The file is empty.',
  binary_file: 'The file is binary, not text.',
  not_csv: 'The file is a workbook, archive or PDF, not CSV.',
  utf16_file: 'The file is UTF-16 ("Unicode Text"); save it as "CSV UTF-8".',
  missing_columns: 'Required columns are missing; the message lists them and the headers found.',
  no_rows: 'The file has a header but no data rows.',
  too_large: 'The file is over the size limit (bytes).',
  too_many_rows: 'The file is over the row limit.',
} as const;

export type FileCode = keyof typeof FILE_CODES;

export class FileError extends Error {
  constructor(
    readonly code: FileCode,
    message: string,
  ) {
    super(message);
    this.name = 'FileError';
  }
}
