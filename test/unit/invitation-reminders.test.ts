/**
 * Invitation reminders by the customer's state: due from invite_by − 7, every N days since the last
 * one sent, until max(last end date, invite_by); a deadline a re-plan moves neither skips nor
 * repeats one.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Day, isoToDay } from '../../shared/domain/dates.js';
import { parseSettings } from '../../shared/domain/partner-settings.js';
import { type InvitationSchedule, invitationDueOn, nextInvitationDay, remindedDay } from '../../shared/domain/reminders.js';
import { nextReminderDay, type TrackedCustomer } from '../../shared/domain/tracked-plan.js';
import { packCustomer, readCustomer, readTracked } from '../../shared/storage/dynamodb/item-codec.js';
import { keys, PLAN_ATTRIBUTE, REMINDED_ATTRIBUTE } from '../../shared/storage/dynamodb/table-design.js';

const d = isoToDay;
const schedule = (over: Partial<InvitationSchedule> = {}): InvitationSchedule => ({
  inviteBy: d('2027-01-20'),
  accepted: false,
  until: d('2027-02-28'),
  ...over,
});

/** Which days from `from` to `to` a digest run each day sends a reminder on, recording each as it goes. */
function sentDays(s: (day: Day) => InvitationSchedule, every: number, from: Day, to: Day): Day[] {
  const sent: Day[] = [];
  for (let day = from; day <= to; day++) {
    const remindedOn = sent.at(-1);
    if (invitationDueOn({ ...s(day), remindedOn }, every, day)) sent.push(day);
  }
  return sent;
}

describe('the invitation reminder due rule', () => {
  it('is due from invite_by − 7, not before', () => {
    expect(invitationDueOn(schedule(), 7, d('2027-01-12'))).toBe(false);
    expect(invitationDueOn(schedule(), 7, d('2027-01-13'))).toBe(true);
    expect(nextInvitationDay(schedule(), 7, d('2027-01-01'))).toBe(d('2027-01-13'));
  });

  it('is due at once for a customer never reminded whose window has begun (an urgent one)', () => {
    expect(invitationDueOn(schedule(), 7, d('2027-01-18'))).toBe(true);
    expect(nextInvitationDay(schedule(), 7, d('2027-01-18'))).toBe(d('2027-01-18'));
  });

  it('is due again every N days since the last one sent, not before', () => {
    const reminded = schedule({ remindedOn: d('2027-01-15') });
    expect(invitationDueOn(reminded, 7, d('2027-01-15'))).toBe(false);
    expect(invitationDueOn(reminded, 7, d('2027-01-21'))).toBe(false);
    expect(invitationDueOn(reminded, 7, d('2027-01-22'))).toBe(true);
    expect(invitationDueOn(reminded, 7, d('2027-01-25'))).toBe(true); // a digest missed: still due
    expect(nextInvitationDay(reminded, 7, d('2027-01-16'))).toBe(d('2027-01-22'));
    expect(nextInvitationDay(schedule({ remindedOn: d('2027-01-15') }), 3, d('2027-01-16'))).toBe(d('2027-01-18'));
  });

  it('ends on max(last end date, invite_by), and never once accepted or without a deadline', () => {
    expect(invitationDueOn(schedule(), 7, d('2027-02-28'))).toBe(true);
    expect(invitationDueOn(schedule(), 7, d('2027-03-01'))).toBe(false);
    expect(nextInvitationDay(schedule({ remindedOn: d('2027-02-25') }), 7, d('2027-02-26'))).toBeUndefined();
    // A deadline after the last end date: reminded until the deadline.
    const late = schedule({ inviteBy: d('2027-03-10') });
    expect(invitationDueOn(late, 7, d('2027-03-10'))).toBe(true);
    expect(invitationDueOn(late, 7, d('2027-03-11'))).toBe(false);
    expect(nextInvitationDay(schedule({ accepted: true }), 7, d('2027-01-01'))).toBeUndefined();
    expect(nextInvitationDay(schedule({ inviteBy: undefined }), 7, d('2027-01-01'))).toBeUndefined();
  });

  it('with a fixed deadline and a digest every day, sends on invite_by − 7 and every N days after', () => {
    const sent = sentDays(() => schedule(), 7, d('2027-01-01'), d('2027-03-31'));
    expect(sent).toEqual(['2027-01-13', '2027-01-20', '2027-01-27', '2027-02-03', '2027-02-10', '2027-02-17', '2027-02-24'].map(d));
  });

  it('a deadline moved a day earlier right before the reminder day still gets its reminder, once', () => {
    // Due on 01-13 by the upload's deadline (01-20); the re-plan of 01-12 moves it to 01-19, so
    // the window opens that day: reminded on 01-12 (by days, 01-12 had no reminder and 01-13's
    // was gone), then a week later.
    const moved = (day: Day) => schedule({ inviteBy: day >= d('2027-01-12') ? d('2027-01-19') : d('2027-01-20'), until: d('2027-01-25') });
    expect(sentDays(moved, 7, d('2027-01-01'), d('2027-01-31'))).toEqual([d('2027-01-12'), d('2027-01-19')]);
    // Moved the day after the first reminder: the next one stays a week after it.
    const after = (day: Day) => schedule({ inviteBy: day >= d('2027-01-14') ? d('2027-01-19') : d('2027-01-20'), until: d('2027-01-25') });
    expect(sentDays(after, 7, d('2027-01-01'), d('2027-01-31'))).toEqual([d('2027-01-13'), d('2027-01-20')]);
  });

  it('never sends two reminders closer than N days, nor skips a week, whatever a re-plan does to the deadline', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 14 }),
        fc.array(fc.integer({ min: -1, max: 1 }), { minLength: 60, maxLength: 60 }),
        (every, shifts) => {
          const from = d('2027-01-01');
          // The deadline drifts by at most a day a day, from 2027-01-25; the last end date 2027-02-20.
          const deadline: Day[] = [];
          let inviteBy = d('2027-01-25');
          for (const shift of shifts) {
            inviteBy += shift;
            deadline.push(inviteBy);
          }
          const at = (day: Day) => schedule({ inviteBy: deadline[day - from]!, until: d('2027-02-20') });
          const sent = sentDays(at, every, from, from + shifts.length - 1);
          expect(sent.length).toBeGreaterThan(0);
          for (let i = 1; i < sent.length; i++) expect(sent[i]! - sent[i - 1]!).toBe(every);
          // The first one on the first day the window was open.
          const first = [...deadline.keys()].map((i) => from + i).find((day) => day >= deadline[day - from]! - 7);
          expect(sent[0]).toBe(first);
        },
      ),
    );
  });
});

describe('the day a reminder counts as sent on', () => {
  it('is today when the digest covers only today', () => {
    expect(remindedDay(7, d('2027-01-13'), d('2027-01-13'))).toBe(d('2027-01-13'));
    // An urgent customer: due since before the upload, first reminded on the upload's first digest.
    expect(remindedDay(7, d('2027-01-18'), d('2027-01-18'))).toBe(d('2027-01-18'));
  });

  it('after a refused digest that carried it, the day that digest would have recorded: the weekly rhythm stays', () => {
    // Due on 01-20; the digest of 01-20 was refused, the one of 01-21 covers 01-20 and 01-21.
    expect(remindedDay(7, d('2027-01-20'), d('2027-01-21'), d('2027-01-20'))).toBe(d('2027-01-20'));
  });

  it('after a refused digest that did not carry it, today: a re-plan since may make it due on a day that digest rightly left out', () => {
    // The digest of 01-15 was refused; cust-a was not due then (invite_by 01-23). A re-plan on 01-16
    // moves invite_by to 01-22, so by its state it is due since 01-15; reminded on 01-16, it counts
    // from 01-16, and the next one is due on 01-23, as in a run where the digest of 01-15 went out.
    expect(remindedDay(7, d('2027-01-15'), d('2027-01-16'))).toBe(d('2027-01-16'));
    expect(nextInvitationDay(schedule({ inviteBy: d('2027-01-22'), remindedOn: d('2027-01-16') }), 7, d('2027-01-17'))).toBe(
      d('2027-01-23'),
    );
  });

  it('never a day owed before the digest window, nor so far back that the next one is due by tomorrow', () => {
    // Owed by a refused digest an earlier digest has since covered: not this one's.
    expect(remindedDay(7, d('2027-01-13'), d('2027-01-13'), d('2027-01-06'))).toBe(d('2027-01-13'));
    // Digests refused for ten days: counted from six days back at most.
    expect(remindedDay(7, d('2027-01-10'), d('2027-01-23'), d('2027-01-10'))).toBe(d('2027-01-17'));
  });
});

describe('remindedOn on a stored customer item', () => {
  const customer: TrackedCustomer = {
    customerId: 'cust-1',
    customerName: 'Contoso',
    invitationStatus: 'sent',
    inviteBy: '2027-01-20',
    firstMove: '2027-02-10',
    lastEndDate: '2027-02-28',
    subscriptions: 1,
  };
  const item = (extra: Record<string, unknown> = {}) => ({
    pk: 'P#p#0',
    sk: keys.customer(customer.customerId),
    [PLAN_ATTRIBUTE]: packCustomer(customer),
    ...extra,
  });

  it('is read from its own attribute, outside the packed plan, and the next reminder follows it', () => {
    expect(readCustomer(item())).toEqual(customer);
    expect(readCustomer(item()).remindedOn).toBeUndefined();
    expect(readCustomer(item({ [REMINDED_ATTRIBUTE]: '2027-01-14' }))).toEqual({ ...customer, remindedOn: '2027-01-14' });
    // Packing leaves it out: a re-plan or a status that rewrites `plan` keeps it.
    expect(packCustomer({ ...customer, remindedOn: '2027-01-14' })).toBe(packCustomer(customer));
    const settings = parseSettings({});
    expect(nextReminderDay(readTracked(item()), settings, d('2027-01-15'))).toBe(d('2027-01-15'));
    expect(nextReminderDay(readTracked(item({ [REMINDED_ATTRIBUTE]: '2027-01-14' })), settings, d('2027-01-15'))).toBe(d('2027-01-21'));
  });
});
