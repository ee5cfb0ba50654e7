/**
 * The customers of a portfolio, one entry per customer id, stored as bytes (see string-store):
 * a portfolio can hold hundreds of thousands of customers.
 */
import { type InvitationStatus } from './lifecycle.js';
import { IndexedArena, StringArena } from './string-store.js';

export class Customers {
  private readonly ids = new IndexedArena();
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

  add(id: string, name: string, email: string | undefined, country: string | undefined, invitation: InvitationStatus, row: number): number {
    const c = this.ids.add(id);
    this.names.add(name);
    if (c >= this.emailOf.length) {
      const bigger = new Int32Array(this.emailOf.length * 2);
      bigger.set(this.emailOf);
      this.emailOf = bigger;
    }
    this.emailOf[c] = email ? this.emails.add(email) : -1;
    this.country.push(country);
    this.invitation.push(invitation);
    this.firstRow.push(row);
    return c;
  }

  id(c: number): string {
    return this.ids.get(c);
  }

  name(c: number): string {
    return this.names.get(c);
  }

  email(c: number): string | undefined {
    const e = this.emailOf[c]!;
    return e === -1 ? undefined : this.emails.get(e);
  }

  setEmail(c: number, email: string): void {
    this.emailOf[c] = this.emails.add(email);
  }
}
