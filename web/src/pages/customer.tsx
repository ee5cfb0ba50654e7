/**
 * One customer: its details, subscriptions and history (newest first), and one change at a time
 * to its invitation or a subscription, with an optional day and reason. A step back (accepted →
 * sent, provisioned → planned) is a correction and says so.
 */

import { useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import type { CustomerView, StatusChange, StatusResponse } from '../../../shared/console/contract.js';
import { api, seg } from '../api.js';
import {
  asApiError,
  Day,
  ErrorNote,
  InvitationBadge,
  Loading,
  PageHeading,
  RiskBadge,
  StateBadge,
  TableScroll,
  useAnnounce,
  useLoad,
} from '../components/ui.js';
import {
  count,
  dateTime,
  INVITATION_STATUSES,
  INVITATION_WORDS,
  inSentence,
  SOURCE_WORDS,
  STATE_WORDS,
  SUBSCRIPTION_STATES,
  stateWords,
} from '../words.js';

export function CustomerPage() {
  const { params } = useRoute();
  const id = params.id ?? '';
  const view = useLoad<CustomerView>(`customer:${id}`, () => api.get<CustomerView>(`/customers/${seg(id)}`));
  const data = view.data;
  const name = data?.customer.customerName;
  return (
    <>
      <p class="breadcrumb">
        <a href="/plan">Plan</a>
      </p>
      <PageHeading title={name ? `Customer ${name}` : 'Customer'}>{name ?? 'Customer'}</PageHeading>
      {view.loading && !data && <Loading what="the customer" />}
      <ErrorNote error={view.error} />
      {data && <CustomerBody view={data} onChanged={view.reload} />}
    </>
  );
}

function CustomerBody({ view, onChanged }: { view: CustomerView; onChanged: () => void }) {
  const c = view.customer;
  return (
    <>
      <section class="card" aria-labelledby="details">
        <h2 id="details">Details</h2>
        <dl class="facts">
          <div>
            <dt>Customer ID</dt>
            <dd class="id">{c.customerId}</dd>
          </div>
          <div>
            <dt>Country</dt>
            <dd>{c.country}</dd>
          </div>
          <div>
            <dt>Contact</dt>
            <dd class="wrap">{c.contactEmail ?? '—'}</dd>
          </div>
          <div>
            <dt>Invitation</dt>
            <dd>
              <InvitationBadge invitation={c.invitation} />
            </dd>
          </div>
          <div>
            <dt>Invite by</dt>
            <dd>
              <Day value={c.inviteBy} />
            </dd>
          </div>
          <div>
            <dt>First move</dt>
            <dd>
              <Day value={c.firstMove} />
            </dd>
          </div>
          <div>
            <dt>Last end date</dt>
            <dd>
              <Day value={c.lastEndDate} />
            </dd>
          </div>
        </dl>
      </section>
      <ChangeForm view={view} onChanged={onChanged} />
      <section class="card" aria-labelledby="subscriptions">
        <h2 id="subscriptions">Subscriptions ({count(view.subscriptions.length)})</h2>
        <TableScroll label="Subscriptions table">
          <table class="stack">
            <thead>
              <tr>
                <th scope="col">Subscription</th>
                <th scope="col">Offer</th>
                <th scope="col" class="num">
                  Seats
                </th>
                <th scope="col">Move on</th>
                <th scope="col">End date</th>
                <th scope="col">Risk</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {view.subscriptions.map((s) => (
                <tr key={s.subscriptionId}>
                  <th scope="row" data-label="Subscription" class="id">
                    {s.subscriptionId}
                  </th>
                  <td data-label="Offer">
                    {s.offer}
                    {s.targetOffer && s.targetOffer !== s.offer && <span class="sub">to {s.targetOffer}</span>}
                  </td>
                  <td data-label="Seats" class="num">
                    {count(s.seats)}
                  </td>
                  <td data-label="Move on">
                    <Day value={s.moveOn} />
                  </td>
                  <td data-label="End date">
                    <Day value={s.endDate} />
                  </td>
                  <td data-label="Risk">
                    <RiskBadge risk={s.risk} />
                  </td>
                  <td data-label="State">
                    <StateBadge state={s.state} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      </section>
      <section class="card" aria-labelledby="history">
        <h2 id="history">History</h2>
        {view.history.length === 0 ? (
          <p class="muted">Nothing recorded yet.</p>
        ) : (
          <ol class="history">
            {view.history.map((h) => (
              <li key={`${h.subject.kind}:${h.subject.id}:${h.recordedAt}:${h.state}`}>
                <p>
                  <strong>
                    {h.subject.kind === 'customer' ? (
                      'Invitation'
                    ) : (
                      <>
                        Subscription <span class="id">{h.subject.id}</span>
                      </>
                    )}
                  </strong>
                  {': '}
                  {stateWords(h.state)}
                  {h.correction && <span class="badge correction">correction</span>}
                </p>
                <p class="muted">
                  On <span class="nw">{h.effective}</span> · recorded <span class="nw">{dateTime(h.recordedAt)}</span> by{' '}
                  <span class="wrap">{h.by}</span> ({SOURCE_WORDS[h.source] ?? h.source})
                </p>
                {h.reason && <p class="reason">“{h.reason}”</p>}
              </li>
            ))}
          </ol>
        )}
      </section>
    </>
  );
}

/** Which subject the form changes: "customer" (its invitation) or a subscription id. */
const CUSTOMER = 'customer';

function ChangeForm({ view, onChanged }: { view: CustomerView; onChanged: () => void }) {
  const [subject, setSubject] = useState(CUSTOMER);
  const [state, setState] = useState('');
  const [on, setOn] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const announce = useAnnounce();
  const sub = view.subscriptions.find((s) => s.subscriptionId === subject);
  const isCustomer = subject === CUSTOMER || !sub;
  const states: readonly string[] = isCustomer ? INVITATION_STATUSES : SUBSCRIPTION_STATES;
  const current = isCustomer ? view.customer.invitation : sub.state;
  const words = stateWords;
  // The states go in the order a move goes; excluded stands aside, leaving it is no step back.
  const order = (s: string) => (s === 'excluded' ? -1 : states.indexOf(s));
  const stepBack = state !== '' && order(state) >= 0 && order(current) >= 0 && order(state) < order(current);
  const submit = async (event: Event) => {
    event.preventDefault();
    if (!state) return setError('Choose the new state.');
    if (state === current) return setError(`It is ${inSentence(words(current))} already.`);
    setBusy(true);
    setError(undefined);
    const change = {
      kind: isCustomer ? 'customer' : 'subscription',
      id: isCustomer ? view.customer.customerId : sub.subscriptionId,
      state,
      on: on || undefined,
      reason: reason.trim() || undefined,
      correction: stepBack || undefined,
    } as StatusChange;
    try {
      await api.post<StatusResponse>('/status', { changes: [change] });
      announce(`${isCustomer ? 'Invitation' : `Subscription ${sub.subscriptionId}`} marked ${inSentence(words(state))}.`);
      setState('');
      setOn('');
      setReason('');
      onChanged();
    } catch (e) {
      const failure = asApiError(e);
      setError([failure.message, ...failure.fieldErrors.map((p) => p.message)].join(' '));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="card" aria-labelledby="change">
      <h2 id="change">Record a change</h2>
      <form onSubmit={(e) => void submit(e)} class="change-form">
        <div class="field">
          <label for="change-subject">What changed</label>
          <select
            id="change-subject"
            value={subject}
            onChange={(e) => {
              setSubject(e.currentTarget.value);
              setState('');
            }}
          >
            <option value={CUSTOMER}>The invitation (now {inSentence(INVITATION_WORDS[view.customer.invitation])})</option>
            {view.subscriptions.map((s) => (
              <option key={s.subscriptionId} value={s.subscriptionId}>
                Subscription {s.subscriptionId} (now {inSentence(STATE_WORDS[s.state])})
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="change-state">New state</label>
          <select id="change-state" value={state} onChange={(e) => setState(e.currentTarget.value)} aria-describedby="change-note">
            <option value="">Choose…</option>
            {states.map((s) => (
              <option key={s} value={s} disabled={s === current}>
                {words(s)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="change-on">Day it happened</label>
          <input id="change-on" type="date" value={on} onInput={(e) => setOn(e.currentTarget.value)} aria-describedby="change-on-hint" />
          <p class="hint" id="change-on-hint">
            Optional; today when empty.
          </p>
        </div>
        <div class="field wide">
          <label for="change-reason">Reason</label>
          <input
            id="change-reason"
            value={reason}
            maxLength={500}
            onInput={(e) => setReason(e.currentTarget.value)}
            aria-describedby="change-reason-hint"
          />
          <p class="hint" id="change-reason-hint">
            Optional; worth giving for an exclusion or a correction.
          </p>
        </div>
        <p id="change-note" class={stepBack ? 'notice notice-warn wide' : 'sr-only'} aria-live="polite">
          {stepBack ? `This is a step back from ${inSentence(words(current))}: it is recorded as a correction.` : ''}
        </p>
        <ErrorNote error={error} />
        <div class="button-row wide">
          <button type="submit" class="button primary" disabled={busy}>
            {stepBack ? 'Record the correction' : 'Record the change'}
          </button>
        </div>
      </form>
    </section>
  );
}
