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
  invited_on: ['invitation_sent_on'],
  accepted_on: ['invitation_accepted_on'],
  provisioned_on: ['provisioned_date'],
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

/**
 * For each missing column, the header the file most likely meant by it: one that an accepted
 * name begins with ("Subscription" for SubscriptionId, "Renewal" for renewal_date, "Tenant" for
 * TenantId), or one a letter or two away from it. Only headers no column took are candidates.
 */
export function suggestHeaders(missing: readonly ColumnName[], ignored: readonly string[]): Map<ColumnName, string> {
  const suggestions = new Map<ColumnName, string>();
  const taken = new Set<string>();
  for (const name of missing) {
    let best: { header: string; distance: number } | undefined;
    for (const header of ignored) {
      const h = normalizeHeader(header);
      if (h.length < 4 || taken.has(header)) continue;
      for (const alias of [name, ...HEADER_ALIASES[name]].map(normalizeHeader)) {
        const prefix = alias.startsWith(h);
        const distance = prefix ? alias.length - h.length : editDistance(h, alias);
        if ((prefix || distance <= 2) && (!best || distance < best.distance)) best = { header, distance };
      }
    }
    if (best) {
      suggestions.set(name, best.header);
      taken.add(best.header);
    }
  }
  return suggestions;
}

/** Levenshtein distance, for header names (a few dozen characters). */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length]!;
}
