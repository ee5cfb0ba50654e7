/**
 * The customers of a portfolio, one entry per customer id, stored as bytes (see string-store):
 * a portfolio can hold hundreds of thousands of customers.
 */

import { IdStore } from '../../columnar/id-store.js';
import { StringArena } from '../../columnar/string-store.js';
import { resized } from '../../columnar/typed-arrays.js';
import type { InvitationStatus } from '../lifecycle.js';

export class Customers {
  private readonly ids = new IdStore();
  private readonly names = new StringArena();
  private readonly emails = new StringArena();
  /** Index into `emails` per customer; -1 when none. */
  private emailOf = new Int32Array(1024);
  /** ISO country code per customer, undefined when the file gave none. */
  readonly country: (string | undefined)[] = [];
  readonly invitation: InvitationStatus[] = [];
  /** Spreadsheet row where each customer first appeared. */
  readonly firstRow: number[] = [];

  get count(): number {
    return this.ids.count;
  }

  /** The customer's index, or -1. */
  find(id: string): number {
    return this.ids.find(id);
  }

  /** Frees the id index once no more lookups will come. */
  dropIndex(): void {
    this.ids.dropIndex();
  }

  add(id: string, name: string, email: string | undefined, country: string | undefined, invitation: InvitationStatus, row: number): number {
    const c = this.ids.add(id);
    this.names.add(name);
    if (c >= this.emailOf.length) this.emailOf = resized(this.emailOf, this.emailOf.length * 2);
    this.emailOf[c] = email ? this.emails.add(email) : -1;
    this.country.push(country);
    this.invitation.push(invitation);
    this.firstRow.push(row);
    return c;
  }

  /**
   * The strings of the customer read last: readers go row by row, and a customer's rows are
   * usually together, so each string is decoded once per customer instead of once per row.
   */
  private last = { c: -1, id: '', name: '', email: undefined as string | undefined };

  private strings(c: number) {
    const last = this.last;
    if (last.c !== c) {
      const e = this.emailOf[c]!;
      this.last = { c, id: this.ids.get(c), name: this.names.get(c), email: e === -1 ? undefined : this.emails.get(e) };
    }
    return this.last;
  }

  id(c: number): string {
    return this.strings(c).id;
  }

  name(c: number): string {
    return this.strings(c).name;
  }

  email(c: number): string | undefined {
    return this.strings(c).email;
  }

  setEmail(c: number, email: string): void {
    this.emailOf[c] = this.emails.add(email);
    if (this.last.c === c) this.last.c = -1;
  }
}
