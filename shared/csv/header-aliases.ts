/**
 * How files name the input columns: the aliases seen in real exports (Microsoft's batch migration
 * tool, Partner Center exports, partners' own sheets). Headers match case-insensitively, ignoring
 * spaces, "_" and "-". When a file has two headers for one column (the batch migration tool has
 * both LegacyProductName and LegacySubscriptionName), the one listed first here wins, whatever
 * their order in the file.
 */
import { type ColumnName, INPUT_COLUMNS, REQUIRED_COLUMNS } from '../domain/columns.js';

export const HEADER_ALIASES: Record<ColumnName, readonly string[]> = {
  customer_id: ['CustomerTenantId', 'customerId', 'tenant_id', 'Microsoft ID', 'TenantId'],
  customer_name: ['CustomerName', 'Company name', 'companyName', 'customer'],
  contact_email: ['email', 'ContactEmail', 'contact', 'admin_email'],
  country: ['customer_country', 'CountryCode', 'country_code'],
  subscription_id: ['LegacySubscriptionId', 'subscriptionId'],
  offer: ['LegacyProductName', 'offerName', 'product', 'LegacySubscriptionName', 'product_name'],
  target_offer: ['TargetOffer', 'target_product', 'csp_offer'],
  seats: ['CurrentSeatCount', 'quantity', 'seat_count', 'licenses', 'licences'],
  licensing_program: ['program', 'LicensingProgram', 'licensing'],
  end_date: ['ExpirationDate', 'commitmentEndDate', 'expiry_date', 'expiration_date', 'expires', 'renewal_date'],
  start_date: ['effectiveStartDate'],
  auto_renew: ['AutoRenewEnabled', 'autoRenewEnabled', 'autorenew'],
  unit_price_monthly: ['unit_price', 'price', 'price_per_seat_month', 'monthly_price', 'unitPrice'],
  base_subscription_id: ['BaseSubscriptionId', 'parentSubscriptionId', 'base_subscription'],
  status: ['SubscriptionStatus', 'legacy_status'],
  invitation_status: ['invitation'],
};

/** Every input column with its aliases, in the contract's order. */
export const COLUMNS = INPUT_COLUMNS.map((column) => ({ ...column, aliases: HEADER_ALIASES[column.name] }));

export function normalizeHeader(header: string): string {
  return header
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '');
}

/** Normalized header → [column, priority]; lower priority wins. */
const LOOKUP = new Map<string, [ColumnName, number]>();
for (const column of COLUMNS) {
  [column.name, ...column.aliases].forEach((alias, priority) => {
    LOOKUP.set(normalizeHeader(alias), [column.name, priority]);
  });
}

export interface HeaderMap {
  /** Field index in each record for each column found. */
  index: Partial<Record<ColumnName, number>>;
  /** The header text as the file wrote it, for messages. */
  header: Partial<Record<ColumnName, string>>;
  missing: ColumnName[];
  /** Headers that matched no column, or lost to a higher-priority alias: ignored. */
  ignored: string[];
}

export function mapHeaders(headers: readonly string[]): HeaderMap {
  const index: HeaderMap['index'] = {};
  const header: HeaderMap['header'] = {};
  const best: Partial<Record<ColumnName, number>> = {};
  const ignored: string[] = [];
  headers.forEach((raw, i) => {
    const hit = LOOKUP.get(normalizeHeader(raw));
    if (!hit) {
      if (raw.trim() !== '') ignored.push(raw.trim());
      return;
    }
    const [name, priority] = hit;
    const current = best[name];
    if (current === undefined || priority < current) {
      if (current !== undefined) ignored.push(header[name]!);
      best[name] = priority;
      index[name] = i;
      header[name] = raw.replace(/^\uFEFF/, '').trim();
    } else {
      ignored.push(raw.trim());
    }
  });
  const missing = REQUIRED_COLUMNS.filter((name) => index[name] === undefined);
  return { index, header, missing, ignored };
}
