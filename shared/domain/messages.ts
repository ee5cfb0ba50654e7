import type { RowCode } from './codes.js';
import { notCurrentReason } from './country.js';
import { MAX_SEATS, MAX_UNIT_PRICE, MAX_VALUE_LENGTH } from './subscription-row.js';
import { DOT_THOUSANDS } from './values.js';

const MAX_SHOWN = 200;

/** A value as errors.csv shows it: long values are cut, so one bad cell cannot bloat the file. */
export function shownValue(value: string | undefined): string {
  const v = value ?? '';
  return v.length > MAX_SHOWN ? `${v.slice(0, MAX_SHOWN)}… (${v.length} characters)` : v;
}

/**
 * The sentence errors.csv gives for a problem: it names the row and the column as the file
 * spells it, says what is wrong and what to do.
 */
export function problemMessage(code: RowCode, row: number, label: string, value: string, detail = ''): string {
  const v = `"${shownValue(value)}"`;
  const where = label ? `Row ${row}, column ${label}` : `Row ${row}`;
  const text = ((): string => {
    switch (code) {
      case 'missing_value':
        return 'is empty, and a value is required.';
      case 'invalid_date':
        return `${v} is not a real date${detail || ''}. Use YYYY-MM-DD.`;
      case 'date_out_of_range':
        return `${v} is outside the years 2000–2100.`;
      case 'invalid_number':
        return `${v} is not a number.`;
      case 'not_integer':
        // What a German or Italian sheet writes for 1200, in a file whose decimal point is ".".
        return DOT_THOUSANDS.test(value.trim())
          ? `${v} is not a whole number of seats: this file writes decimals with "." (it is not delimited by ";"), ` +
              `so it reads as ${Number(value.trim())}. For ${value.trim().replace(/\./g, '')} seats, write ${value.trim().replace(/\./g, '')}.`
          : `${v} is not a whole number of seats.`;
      case 'not_positive':
        return label.toLowerCase().includes('price') ? `${v} is negative.` : `${v} must be 1 or more.`;
      case 'out_of_range':
        return (
          `${v} is implausibly large ` +
          `(limits: ${MAX_SEATS.toLocaleString('en-US')} seats, ${MAX_UNIT_PRICE.toLocaleString('en-US')} a seat a month).`
        );
      case 'invalid_boolean':
        return `${v} is not one of true/false, yes/no, 1/0, y/n.`;
      case 'invalid_country': {
        const reason = notCurrentReason(value);
        return reason
          ? `${v} is not a current ISO 3166-1 country code: ${reason}.`
          : `${v} is not a current ISO 3166-1 country code (such as US or IT) or a known country name.`;
      }
      case 'invalid_invitation_status':
        return `${v} is not one of not_sent, sent, accepted.`;
      case 'value_too_long':
        return `is ${value.length.toLocaleString('en-US')} characters long; the limit is ${MAX_VALUE_LENGTH.toLocaleString('en-US')}.`;
      case 'unterminated_quote':
        return 'opens a quote that is never closed, so the rest of the file was read as this one value. Close the quote and upload again.';
      case 'duplicate_subscription':
        return `subscription ${v} already appears on row ${detail}; this row is skipped.`;
      case 'unknown_base_subscription':
        return detail
          ? `base subscription ${v} ${detail}, so this add-on cannot be planned.`
          : `base subscription ${v} is not in this file. Add its row, or clear the base id if this is not an add-on.`;
      case 'add_on_chain':
        return `base subscription ${v} leads back to this add-on through other add-ons.`;
      case 'base_of_other_customer':
        return (
          `base subscription ${v} belongs to customer ${detail}: an add-on belongs to its base's customer. ` +
          'Correct the customer id or the base id.'
        );
      case 'country_mismatch':
        return `the customer is in ${v} but the partner is in ${detail}: only a partner in the same country can move it.`;
      case 'discontinued_without_target':
        return `offer ${v} is discontinued and no different target_offer is given: choose an equivalent offer, or data may be lost.`;
      case 'deleted_subscription':
        return `${v}: the legacy subscription is deleted, so there is nothing to move.`;
      case 'base_ineligible':
        return `base subscription ${v} cannot be moved (row ${detail} says why), so neither can this add-on.`;
      case 'missing_contact_email':
        return 'no contact e-mail: the invitation must be sent by hand.';
      case 'invalid_email':
        return `${v} is not an e-mail address; it is ignored.`;
      case 'unknown_status':
        return `${v} is not a known status; the subscription is planned as active.`;
      case 'customer_conflict':
        return `${v} differs from the value on row ${detail} for the same customer id; that one is used.`;
      case 'extra_fields':
        return `the row has ${detail} more values than the header; they are ignored.`;
      case 'unusable_status_date':
        return `${v} ${detail}.`;
      case 'start_after_end':
        return `${v} is after the end date.`;
      case 'status_contradicts_end_date':
        return (
          `${v} says the subscription has ended, but its end date ${detail} is still to come. ` +
          'It is planned as the status says (moved as soon as possible); check which is right.'
        );
    }
  })();
  return `${where}: ${text}`;
}
