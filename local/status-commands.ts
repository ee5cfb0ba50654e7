/** `status set` and `status show`: a move's lifecycle, recorded and read on the running stack (or AWS). */
import type { StatusSubject } from '../shared/domain/status-events.js';
import { useTarget } from './target.js';

const out = (line: string) => process.stdout.write(`${line}\n`);
const fail = (message: string) => {
  process.stderr.write(`cspmove: ${message}\n`);
  return 2;
};

export interface StatusOptions {
  partner: string;
  customer?: string | undefined;
  subscription?: string | undefined;
  on?: string | undefined;
  by?: string | undefined;
  reason?: string | undefined;
  force?: boolean | undefined;
}

function subjectOf(options: StatusOptions): StatusSubject | string {
  if (options.customer && options.subscription) return 'give either --customer or --subscription, not both.';
  if (options.customer) return { kind: 'customer', id: options.customer };
  if (options.subscription) return { kind: 'subscription', id: options.subscription };
  return 'say whose status: --customer ID or --subscription ID.';
}

export async function statusSet(state: string, options: StatusOptions): Promise<number> {
  const subject = subjectOf(options);
  if (typeof subject === 'string') return fail(subject);
  const target = await useTarget();
  const { setStatus } = await import('../shared/use-cases/set-status.js');
  const result = await setStatus({
    partnerId: options.partner,
    subject,
    state,
    on: options.on,
    source: 'cli',
    by: options.by ?? 'cli',
    reason: options.reason,
    correction: options.force,
    now: new Date(),
  });
  if (!result.ok) return fail(result.problem);
  out(
    result.recorded
      ? `Recorded on ${target.description}: ${subject.kind} ${subject.id} is ${result.state}; the plan follows within minutes.`
      : `Already recorded: ${subject.kind} ${subject.id} is ${result.state}; nothing changed.`,
  );
  return 0;
}

export async function statusShow(options: StatusOptions): Promise<number> {
  const subject = subjectOf(options);
  if (typeof subject === 'string') return fail(subject);
  await useTarget();
  const { statusHistory } = await import('../shared/use-cases/set-status.js');
  const result = await statusHistory(options.partner, subject);
  if (!result.ok) return fail(result.problem);
  const record = result.record;
  const state = record.kind === 'customer' ? record.customer.invitationStatus : record.subscription.state;
  out(`${subject.kind} ${subject.id}: ${state}`);
  if (result.history.length === 0) out('  no change recorded since the upload');
  for (const e of result.history) {
    const extra = [e.correction ? 'correction' : '', e.reason ?? ''].filter(Boolean).join(': ');
    out(`  ${e.effective}  ${e.state.padEnd(11)} ${e.source} by ${e.by}, recorded ${e.recordedAt}${extra ? ` (${extra})` : ''}`);
  }
  return 0;
}
