/**
 * The input columns of the contract (../shared/architecture.md), with the aliases seen in real
 * exports. Headers match case-insensitively, ignoring spaces, "_" and "-". When a file has two
 * headers for one column (the batch migration tool has both LegacyProductName and
 * LegacySubscriptionName), the one listed first here wins, whatever their order in the file.
 */
export const COLUMNS = [
  { name: 'customer_id', required: true, aliases: ['CustomerTenantId', 'customerId', 'tenant_id', 'Microsoft ID', 'TenantId'] },
  { name: 'customer_name', required: true, aliases: ['CustomerName', 'Company name', 'companyName', 'customer'] },
  { name: 'contact_email', required: false, aliases: ['email', 'ContactEmail', 'contact', 'admin_email'] },
  { name: 'country', required: false, aliases: ['customer_country', 'CountryCode', 'country_code'] },
  { name: 'subscription_id', required: true, aliases: ['LegacySubscriptionId', 'subscriptionId'] },
  { name: 'offer', required: true, aliases: ['LegacyProductName', 'offerName', 'product', 'LegacySubscriptionName', 'product_name'] },
  { name: 'target_offer', required: false, aliases: ['TargetOffer', 'target_product', 'csp_offer'] },
  { name: 'seats', required: true, aliases: ['CurrentSeatCount', 'quantity', 'seat_count', 'licenses', 'licences'] },
  { name: 'licensing_program', required: false, aliases: ['program', 'LicensingProgram', 'licensing'] },
  { name: 'end_date', required: true, aliases: ['ExpirationDate', 'commitmentEndDate', 'expiry_date', 'expiration_date', 'expires', 'renewal_date'] },
  { name: 'start_date', required: false, aliases: ['effectiveStartDate'] },
  { name: 'auto_renew', required: false, aliases: ['AutoRenewEnabled', 'autoRenewEnabled', 'autorenew'] },
  { name: 'unit_price_monthly', required: false, aliases: ['unit_price', 'price', 'price_per_seat_month', 'monthly_price', 'unitPrice'] },
  { name: 'base_subscription_id', required: false, aliases: ['BaseSubscriptionId', 'parentSubscriptionId', 'base_subscription'] },
  { name: 'status', required: false, aliases: ['SubscriptionStatus', 'legacy_status'] },
  { name: 'invitation_status', required: false, aliases: ['invitation'] },
] as const;

export type ColumnName = (typeof COLUMNS)[number]['name'];
export const COLUMN_NAMES: readonly ColumnName[] = COLUMNS.map((c) => c.name);
export const REQUIRED_COLUMNS: readonly ColumnName[] = COLUMNS.filter((c) => c.required).map((c) => c.name);

export function normalizeHeader(header: string): string {
  return header.replace(/^\uFEFF/, '').trim().toLowerCase().replace(/[\s_-]+/g, '');
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
