import { describe, expect, it } from 'vitest';
import { mapHeaders, normalizeHeader } from '../../shared/csv/header-aliases.js';
import { detectDelimiter } from '../../shared/csv/read-rows.js';

describe('header aliases', () => {
  it('matches case-insensitively, ignoring spaces, underscores and dashes', () => {
    expect(normalizeHeader(' Customer_Tenant-Id ')).toBe(normalizeHeader('customertenantid'));
    expect(normalizeHeader('\uFEFFcustomer_id')).toBe('customerid');
  });

  it("accepts the batch migration tool's subscriptions.csv columns", () => {
    const headers = mapHeaders([
      'PartnerTenantId',
      'IndirectResellerMpnId',
      'CustomerName',
      'CustomerTenantId',
      'LegacySubscriptionId',
      'LegacySubscriptionName',
      'LegacyProductName',
      'ExpirationDate',
      'AutoRenewEnabled',
      'MigrationEligible',
      'CurrentTerm',
      'CurrentBillingPlan',
      'CurrentSeatCount',
      'AddOn',
      'BaseSubscriptionId',
      'MigrationIneligibilityReason',
    ]);
    expect(headers.missing).toEqual([]);
    expect(headers.index).toMatchObject({
      customer_name: 2,
      customer_id: 3,
      subscription_id: 4,
      end_date: 7,
      auto_renew: 8,
      seats: 12,
      base_subscription_id: 14,
    });
    // Both name columns are offer aliases: the product name wins over the friendly name, whatever the order.
    expect(headers.index.offer).toBe(6);
    expect(headers.ignored).toContain('LegacySubscriptionName');
  });

  it('accepts Partner Center API and customer export names', () => {
    const headers = mapHeaders([
      'Microsoft ID',
      'Company name',
      'subscriptionId',
      'offerName',
      'quantity',
      'commitmentEndDate',
      'autoRenewEnabled',
      'parentSubscriptionId',
      'effectiveStartDate',
    ]);
    expect(headers.missing).toEqual([]);
    expect(Object.keys(headers.index).sort()).toEqual([
      'auto_renew',
      'base_subscription_id',
      'customer_id',
      'customer_name',
      'end_date',
      'offer',
      'seats',
      'start_date',
      'subscription_id',
    ]);
  });

  it('lists the required columns that are missing', () => {
    expect(mapHeaders(['customer_id', 'offer', 'seats']).missing).toEqual(['customer_name', 'subscription_id', 'end_date']);
  });

  it('keeps the header as the file spells it, for messages', () => {
    expect(mapHeaders(['ExpirationDate']).header.end_date).toBe('ExpirationDate');
  });
});

describe('delimiter detection', () => {
  it('reads the header line, ignoring delimiters inside quotes', () => {
    expect(detectDelimiter('a,b,c')).toBe(',');
    expect(detectDelimiter('a;b;"c,d"')).toBe(';');
    expect(detectDelimiter('a\tb\tc')).toBe('\t');
  });
});
