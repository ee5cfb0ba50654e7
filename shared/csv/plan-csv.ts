/**
 * plan.csv lines, rendered straight to text. A large upload writes millions of rows of 29 cells;
 * building each row as an array (planRecord) and escaping every cell cost more than reading and
 * planning the file. Here the cells that repeat are escaped once — a customer's columns when the
 * customer changes, offers, programs and statuses once per distinct value — and the rest of
 * the line is one template. test/unit/plan-csv.test.ts holds every line equal to
 * csvLine(planRecord(…)), the row's definition.
 */
import { actionFor } from '../domain/action.js';
import { dayToIso } from '../domain/dates.js';
import type { LifecycleDates } from '../domain/lifecycle-dates.js';
import {
  actionFacts,
  autoRenewText,
  baseIdText,
  optionalDay,
  optionalMoney,
  priceText,
  rowFacts,
  startText,
  tableText,
} from '../domain/plan-rows.js';
import type { Plan } from '../domain/planner/plan.js';
import type { Portfolio } from '../domain/portfolio/portfolio.js';
import { csvCell } from './csv-text.js';

export class PlanCsvLines {
  /** Text of each distinct price, filled as they are met. */
  private readonly priceCells: string[] = [];
  /** Escaped text of string-table ids, filled as they are met. */
  private readonly tableCells: string[] = [];
  private customer = -1;
  /** customer_id … country, escaped and joined. */
  private customerCells = '';
  private inviteBy = '';
  private invitation = '';

  constructor(
    private readonly p: Portfolio,
    private readonly plan: Plan,
    private readonly partnerCountry: string,
    private readonly lifecycle?: LifecycleDates,
  ) {}

  /** Row i of plan.csv, without the line break. */
  line(i: number): string {
    const { p, plan } = this;
    const f = rowFacts(p, plan, this.partnerCountry, i);
    if (f.customer !== this.customer) this.enterCustomer(f.customer, f.country, f.inviteBy);
    const action = actionFor(actionFacts(p, plan, this.partnerCountry, i, f));
    // One join into a reused array: a template of forty pieces left twice the line's size in
    // string fragments behind, for the collector.
    const cells = this.cells;
    cells[0] = p.row.get(i);
    cells[1] = this.customerCells;
    cells[2] = csvCell(p.ids.get(i));
    cells[3] = this.table(p.offer[i]!);
    cells[4] = this.table(p.target[i]!);
    cells[5] = f.seats;
    cells[6] = this.table(p.program[i]!);
    cells[7] = dayToIso(f.end);
    cells[8] = autoRenewText(p.autoRenew[i]!);
    cells[9] = this.inviteBy;
    cells[10] = optionalDay(f.moveOn);
    cells[11] = f.end - plan.today;
    cells[12] = f.overlapDays ?? '';
    cells[13] = optionalMoney(f.overlapCents);
    cells[14] = optionalMoney(f.cancelNowWasteCents);
    cells[15] = f.reassign ? 'yes' : 'no';
    cells[16] = f.risk;
    cells[17] = csvCell(action);
    cells[18] = this.invitation;
    cells[19] = this.table(p.status[i]!);
    // inputCells, without an array a row.
    const priceRef = p.priceRef[i]!;
    cells[20] = this.priceCells[priceRef] ??= priceText(p.prices[priceRef]!);
    cells[21] = csvCell(baseIdText(p, i));
    cells[22] = startText(p, i);
    if (this.lifecycle) {
      const customerId = p.customers.id(f.customer);
      cells[23] = this.lifecycle.invitedOn(customerId);
      cells[24] = this.lifecycle.acceptedOn(customerId);
      cells[25] = this.lifecycle.provisionedOn(p.ids.get(i));
    }
    return cells.join(',');
  }

  private readonly cells: (string | number)[] = new Array(26).fill('');

  private enterCustomer(c: number, country: string, inviteBy: number | undefined): void {
    const customers = this.p.customers;
    this.customer = c;
    const email = customers.email(c) ?? '';
    this.customerCells = `${csvCell(customers.id(c))},${csvCell(customers.name(c))},${csvCell(email)},${csvCell(country)}`;
    this.inviteBy = optionalDay(inviteBy);
    this.invitation = csvCell(customers.invitation[c]!);
  }

  private table(id: number): string {
    if (id === -1) return '';
    const known = this.tableCells[id];
    if (known !== undefined) return known;
    const cell = csvCell(tableText(this.p, id));
    this.tableCells[id] = cell;
    return cell;
  }
}
