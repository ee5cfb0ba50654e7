/**
 * The plan: every subscription with its customer's invitation, filtered, sorted and paged by
 * the API. The filters live in the URL; rows can be selected and changed together.
 */

import { useEffect, useMemo, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import type { PlanPage as PlanPageView, PlanRow, StatusChange, StatusResponse } from '../../../shared/console/contract.js';
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
import { activeFilterCount, filtersQuery, PAGE_SIZE_CHOICES, type PlanFilters, planLink, readFilters } from '../plan-query.js';
import type { ApiError } from '../problem.js';
import {
  count,
  dateTime,
  INVITATION_STATUSES,
  INVITATION_WORDS,
  inSentence,
  plural,
  RISK_INFO,
  RISKS,
  STATE_WORDS,
  SUBSCRIPTION_STATES,
} from '../words.js';

export function PlanPage() {
  const { query, route } = useLocation();
  const filters = useMemo(() => readFilters(query), [query]);
  const key = filtersQuery(filters);
  const plan = useLoad<PlanPageView>(`plan?${key}`, () => api.get<PlanPageView>(key ? `/plan?${key}` : '/plan'));
  const go = (next: Partial<PlanFilters>) => route(planLink({ ...filters, ...next }));
  const view = plan.data;
  const pages = view ? Math.max(1, Math.ceil(view.total / view.size)) : 1;
  return (
    <>
      <PageHeading title="Plan">Plan</PageHeading>
      <Filters
        filters={filters}
        onApply={(f) => go({ ...f, page: 1 })}
        onClear={() => route(planLink({ sort: filters.sort, order: filters.order, size: filters.size }))}
      />
      {view?.plan?.updating && (
        <p class="notice notice-info" role="status">
          The plan is updating: each row shows its latest state now; counts and risks follow once the plan has been redone.
        </p>
      )}
      {view?.plan && !view.plan.updating && <p class="muted">Planned {dateTime(view.plan.plannedAt)}.</p>}
      <ErrorNote error={plan.error}>
        <FieldProblems error={plan.error} />
      </ErrorNote>
      {plan.loading && !view && <Loading what="the plan" />}
      {view && (
        <PlanTable
          view={view}
          filters={filters}
          busy={plan.loading}
          onSort={(sort) => go({ sort, order: sort === filters.sort && filters.order === 'asc' ? 'desc' : 'asc', page: 1 })}
          onChanged={plan.reload}
        />
      )}
      {view && view.total > 0 && (
        <nav class="pager" aria-label="Pages of the plan">
          <button type="button" class="button" disabled={filters.page <= 1} onClick={() => go({ page: filters.page - 1 })}>
            Previous page
          </button>
          <span>
            Page {count(Math.min(filters.page, pages))} of {count(pages)} · {plural(view.total, 'subscription', 'subscriptions')}
          </span>
          <button type="button" class="button" disabled={filters.page >= pages} onClick={() => go({ page: filters.page + 1 })}>
            Next page
          </button>
          <label class="inline-field">
            Rows per page{' '}
            <select value={String(filters.size)} onChange={(e) => go({ size: Number(e.currentTarget.value), page: 1 })}>
              {PAGE_SIZE_CHOICES.map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </label>
        </nav>
      )}
    </>
  );
}

/** The API's 422 on the query names the parameter: shown under the problem, in the filters' words. */
function FieldProblems({ error }: { error: ApiError | undefined }) {
  const problems = error?.fieldErrors ?? [];
  if (!problems.length) return null;
  return (
    <ul>
      {problems.map((p) => (
        <li key={p.path}>
          {FILTER_LABELS[p.path] ?? p.path}: {p.message}
        </li>
      ))}
    </ul>
  );
}

const FILTER_LABELS: Record<string, string> = {
  invite_from: 'Invite by, from',
  invite_to: 'Invite by, to',
  move_from: 'Move on, from',
  move_to: 'Move on, to',
  country: 'Country',
  q: 'Search',
};

type Draft = Pick<PlanFilters, 'risk' | 'invitation' | 'state' | 'invite_from' | 'invite_to' | 'move_from' | 'move_to' | 'country' | 'q'>;

function Filters({ filters, onApply, onClear }: { filters: PlanFilters; onApply: (f: Draft) => void; onClear: () => void }) {
  const [draft, setDraft] = useState<Draft>(filters);
  // The URL changed (a link, back, clear): the form shows it.
  useEffect(() => setDraft(filters), [filters]);
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const toggle = <K extends 'risk' | 'invitation' | 'state'>(key: K, value: Draft[K][number], on: boolean) =>
    setDraft((d) => {
      const list = d[key] as string[];
      return { ...d, [key]: on ? [...list, value] : list.filter((v) => v !== value) };
    });
  const active = activeFilterCount(filters);
  // Open on a wide screen; on a phone folded, so the rows come first.
  const [open, setOpen] = useState(() => window.matchMedia('(min-width: 641px)').matches);
  return (
    <details class="card filters" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>
        <h2 class="small-heading">Filters{active > 0 && <span class="muted"> ({plural(active, 'filter set', 'filters set')})</span>}</h2>
      </summary>
      <form
        aria-label="Filters"
        onSubmit={(e) => {
          e.preventDefault();
          onApply(draft);
        }}
      >
        <div class="filter-grid">
          <div class="field search-field">
            <label for="f-q">Search</label>
            <input id="f-q" type="search" value={draft.q} onInput={(e) => set({ q: e.currentTarget.value })} aria-describedby="f-q-hint" />
            <p class="hint" id="f-q-hint">
              Customer name or ID, subscription ID, or offer
            </p>
          </div>
          <fieldset>
            <legend>Risk</legend>
            {RISKS.map((r) => (
              <label key={r} class="check">
                <input type="checkbox" checked={draft.risk.includes(r)} onChange={(e) => toggle('risk', r, e.currentTarget.checked)} />
                {RISK_INFO[r].label}
              </label>
            ))}
          </fieldset>
          <fieldset>
            <legend>Invitation</legend>
            {INVITATION_STATUSES.map((s) => (
              <label key={s} class="check">
                <input
                  type="checkbox"
                  checked={draft.invitation.includes(s)}
                  onChange={(e) => toggle('invitation', s, e.currentTarget.checked)}
                />
                {INVITATION_WORDS[s]}
              </label>
            ))}
          </fieldset>
          <fieldset>
            <legend>State</legend>
            {SUBSCRIPTION_STATES.map((s) => (
              <label key={s} class="check">
                <input type="checkbox" checked={draft.state.includes(s)} onChange={(e) => toggle('state', s, e.currentTarget.checked)} />
                {STATE_WORDS[s]}
              </label>
            ))}
          </fieldset>
          <fieldset>
            <legend>Invite by</legend>
            <div class="range">
              <label>
                From
                <input type="date" value={draft.invite_from} onInput={(e) => set({ invite_from: e.currentTarget.value })} />
              </label>
              <label>
                To
                <input type="date" value={draft.invite_to} onInput={(e) => set({ invite_to: e.currentTarget.value })} />
              </label>
            </div>
          </fieldset>
          <fieldset>
            <legend>Move on</legend>
            <div class="range">
              <label>
                From
                <input type="date" value={draft.move_from} onInput={(e) => set({ move_from: e.currentTarget.value })} />
              </label>
              <label>
                To
                <input type="date" value={draft.move_to} onInput={(e) => set({ move_to: e.currentTarget.value })} />
              </label>
            </div>
          </fieldset>
          <div class="field">
            <label for="f-country">Country</label>
            <input
              id="f-country"
              class="short"
              value={draft.country}
              maxLength={2}
              autocomplete="off"
              aria-describedby="f-country-hint"
              onInput={(e) => set({ country: e.currentTarget.value.toUpperCase() })}
            />
            <p class="hint" id="f-country-hint">
              Two letters, such as US
            </p>
          </div>
        </div>
        <div class="button-row">
          <button type="submit" class="button primary">
            Apply filters
          </button>
          <button type="button" class="button" onClick={onClear}>
            Clear filters
          </button>
        </div>
      </form>
    </details>
  );
}

type SortKey = PlanFilters['sort'];

interface Column {
  label: string;
  sort?: SortKey;
  numeric?: boolean;
  /** A class for the column's width. */
  cls?: string;
}

const COLUMNS: Column[] = [
  { label: 'Customer', sort: 'customer', cls: 'col-customer' },
  { label: 'Subscription', cls: 'col-subscription' },
  { label: 'Seats', sort: 'seats', numeric: true },
  { label: 'Invite by', sort: 'invite_by' },
  { label: 'Move on', sort: 'move_on' },
  { label: 'End date', sort: 'end_date' },
  { label: 'Risk', sort: 'risk' },
  { label: 'Invitation' },
  { label: 'State' },
];

function PlanTable({
  view,
  filters,
  busy,
  onSort,
  onChanged,
}: {
  view: PlanPageView;
  filters: PlanFilters;
  busy: boolean;
  onSort: (sort: SortKey) => void;
  onChanged: () => void;
}) {
  const [selected, setSelected] = useState<Set<string>>(new Set());
  // Another page or other filters: a selection never reaches rows out of sight.
  useEffect(() => setSelected(new Set()), [view]);
  if (view.rows.length === 0) {
    return (
      <p class="card muted" role="status">
        No subscriptions match these filters.
      </p>
    );
  }
  const all = view.rows.length > 0 && view.rows.every((r) => selected.has(r.subscriptionId));
  const some = !all && view.rows.some((r) => selected.has(r.subscriptionId));
  const pick = (id: string, on: boolean) =>
    setSelected((s) => {
      const next = new Set(s);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  const rows = view.rows.filter((r) => selected.has(r.subscriptionId));
  return (
    <>
      <BulkActions rows={rows} onDone={onChanged} onClear={() => setSelected(new Set())} />
      <TableScroll label="Plan table">
        <table class="plan-table" aria-busy={busy ? 'true' : undefined}>
          <caption id="plan-caption" class="sr-only">
            Subscriptions of the plan, sorted by {COLUMNS.find((c) => c.sort === filters.sort)?.label ?? filters.sort}{' '}
            {filters.order === 'asc' ? 'ascending' : 'descending'}
          </caption>
          <thead>
            <tr>
              <th scope="col" class="select">
                <input
                  type="checkbox"
                  aria-label="Select every row on this page"
                  checked={all}
                  indeterminate={some}
                  onChange={(e) => setSelected(e.currentTarget.checked ? new Set(view.rows.map((r) => r.subscriptionId)) : new Set())}
                />
              </th>
              {COLUMNS.map((c) => {
                const sorted = c.sort && c.sort === filters.sort;
                return (
                  <th
                    key={c.label}
                    scope="col"
                    class={[c.numeric ? 'num' : '', c.cls ?? '', c.sort ? '' : 'unsorted'].join(' ').trim() || undefined}
                    aria-sort={sorted ? (filters.order === 'asc' ? 'ascending' : 'descending') : undefined}
                  >
                    {c.sort ? (
                      <button type="button" class="sort" onClick={() => onSort(c.sort!)}>
                        {c.label}
                        <span class="sort-mark" aria-hidden="true">
                          {sorted ? (filters.order === 'asc' ? '▲' : '▼') : '↕'}
                        </span>
                      </button>
                    ) : (
                      c.label
                    )}
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {view.rows.map((row) => (
              <PlanTableRow key={row.subscriptionId} row={row} checked={selected.has(row.subscriptionId)} onPick={pick} />
            ))}
          </tbody>
        </table>
      </TableScroll>
    </>
  );
}

function PlanTableRow({ row, checked, onPick }: { row: PlanRow; checked: boolean; onPick: (id: string, on: boolean) => void }) {
  return (
    <tr class={checked ? 'selected' : undefined}>
      <td class="select">
        <input
          type="checkbox"
          checked={checked}
          aria-label={`Select ${row.customerName}, subscription ${row.subscriptionId}`}
          onChange={(e) => onPick(row.subscriptionId, e.currentTarget.checked)}
        />
      </td>
      <td class="customer">
        <a href={`/customers/${seg(row.customerId)}`}>{row.customerName}</a>
        {/* Country first: a long ID is cut short on one line, never the country. */}
        <span class="sub clip">
          {row.country} · <span class="id">{row.customerId}</span>
        </span>
      </td>
      <td class="subscription">
        <span class="id nw">{row.subscriptionId}</span>
        <span class="sub">{row.offer}</span>
        {row.targetOffer && row.targetOffer !== row.offer && <span class="sub">to {row.targetOffer}</span>}
      </td>
      {/* The labels name the values where a phone shows each row as a card, without the header. */}
      <td class="num" data-label="Seats">
        {count(row.seats)}
      </td>
      <td data-label="Invite by">
        <Day value={row.inviteBy} />
      </td>
      <td data-label="Move on">
        <Day value={row.moveOn} />
      </td>
      <td data-label="End date">
        <Day value={row.endDate} />
      </td>
      <td data-label="Risk">
        <RiskBadge risk={row.risk} />
      </td>
      <td data-label="Invitation">
        <InvitationBadge invitation={row.invitation} />
      </td>
      <td data-label="State">
        <StateBadge state={row.state} />
      </td>
    </tr>
  );
}

type Bulk = { kind: 'customer'; state: 'sent' | 'accepted' } | { kind: 'subscription'; state: 'provisioned' | 'excluded' };

const BULK: { action: Bulk; label: string }[] = [
  { action: { kind: 'customer', state: 'sent' }, label: 'Invitation sent' },
  { action: { kind: 'customer', state: 'accepted' }, label: 'Invitation accepted' },
  { action: { kind: 'subscription', state: 'provisioned' }, label: 'Provisioned' },
  { action: { kind: 'subscription', state: 'excluded' }, label: 'Excluded' },
];

/** Marks the selected rows' customers (invitations) or subscriptions, all in one request. */
function BulkActions({ rows, onDone, onClear }: { rows: PlanRow[]; onDone: () => void; onClear: () => void }) {
  const [on, setOn] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; items: string[] } | undefined>();
  const announce = useAnnounce();
  if (!rows.length && !error) return null;
  const customers = [...new Map(rows.map((r) => [r.customerId, r])).values()];
  const apply = async (bulk: Bulk) => {
    const subjects =
      bulk.kind === 'customer'
        ? customers.map((r) => ({ id: r.customerId, name: r.customerName }))
        : rows.map((r) => ({ id: r.subscriptionId, name: `${r.customerName}, ${r.subscriptionId}` }));
    const changes = subjects.map(
      (s) => ({ kind: bulk.kind, id: s.id, state: bulk.state, on: on || undefined, reason: reason.trim() || undefined }) as StatusChange,
    );
    setBusy(true);
    setError(undefined);
    try {
      const answer = await api.post<StatusResponse>('/status', { changes });
      const recorded = answer.results.filter((r) => r.recorded).length;
      const what = bulk.kind === 'customer' ? 'customer' : 'subscription';
      announce(
        `${plural(recorded, `${what} marked`, `${what}s marked`)} ${bulk.state}${recorded < answer.results.length ? `; ${answer.results.length - recorded} already were` : ''}.`,
      );
      setOn('');
      setReason('');
      onClear();
      onDone();
    } catch (e) {
      const failure = asApiError(e);
      // `changes.N` names the change the API refused; N is its place in what was sent.
      const items = failure.fieldErrors.map((p) => {
        const n = /^changes\.(\d+)/.exec(p.path)?.[1];
        const subject = n === undefined ? undefined : subjects[Number(n)];
        return subject ? `${subject.name}: ${p.message}` : p.message;
      });
      setError({ message: `Nothing was changed. ${failure.message}`, items });
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="bulk card" aria-labelledby="bulk-heading">
      <h2 id="bulk-heading" class="small-heading">
        {plural(rows.length, 'row', 'rows')} selected
        {rows.length > 0 && <span class="muted"> ({plural(customers.length, 'customer', 'customers')})</span>}
      </h2>
      {error && (
        <div class="notice notice-error" role="alert">
          <p>{error.message}</p>
          {error.items.length > 0 && (
            <ul>
              {error.items.map((item) => (
                <li key={item}>{item}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      {rows.length > 0 && (
        <>
          <div class="bulk-fields">
            <label>
              <span>
                Day it happened <span class="muted">(optional; today when empty)</span>
              </span>
              <input type="date" value={on} onInput={(e) => setOn(e.currentTarget.value)} />
            </label>
            <label>
              <span>
                Reason <span class="muted">(optional)</span>
              </span>
              <input value={reason} maxLength={500} onInput={(e) => setReason(e.currentTarget.value)} />
            </label>
          </div>
          <fieldset class="bare">
            <legend class="sr-only">Mark the selected rows</legend>
            <p class="button-row">
              {BULK.map((b) => (
                <button key={b.label} type="button" class="button" disabled={busy} onClick={() => void apply(b.action)}>
                  Mark {inSentence(b.label)}
                  <span class="sr-only">
                    {' '}
                    for{' '}
                    {b.action.kind === 'customer'
                      ? plural(customers.length, 'customer', 'customers')
                      : plural(rows.length, 'subscription', 'subscriptions')}
                  </span>
                </button>
              ))}
              <button type="button" class="button subtle" onClick={onClear} disabled={busy}>
                Clear selection
              </button>
            </p>
          </fieldset>
        </>
      )}
    </section>
  );
}
