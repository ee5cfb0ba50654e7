/** Home: this week at a glance, each number a link to the plan filtered to its rows. */
import type { ComponentChildren } from 'preact';
import type { HomeView } from '../../../shared/console/contract.js';
import { api } from '../api.js';
import { ErrorNote, Loading, PageHeading, useLoad } from '../components/ui.js';
import { WeekChart } from '../components/week-chart.js';
import { planLink } from '../plan-query.js';
import { addDays, count, dateTime, RISK_INFO } from '../words.js';

export function HomePage() {
  const home = useLoad<HomeView>('home', () => api.get<HomeView>('/home'));
  const view = home.data;
  return (
    <>
      <PageHeading title="Home">This week</PageHeading>
      {home.loading && !view && <Loading what="this week" />}
      <ErrorNote error={home.error} />
      {view && <HomeBody view={view} />}
    </>
  );
}

interface Tile {
  label: string;
  n: number;
  href: string;
  hint: ComponentChildren;
  tone: string;
}

function HomeBody({ view }: { view: HomeView }) {
  const { today, week } = view;
  if (!view.plan) {
    return (
      <section class="card">
        <h2>No plan yet</h2>
        <p>Upload your customers' subscriptions as a CSV file: the console plans their moves and shows them here.</p>
        <a class="button primary" href="/upload">
          Upload a CSV file
        </a>
      </section>
    );
  }
  const notAccepted = ['not_sent', 'sent'] as const;
  const tiles: Tile[] = [
    {
      label: 'Invitations to send',
      n: view.invitations.toSend,
      href: planLink({ invitation: [...notAccepted], invite_from: today, invite_to: week.end }),
      // On the week's last day the range is that one day.
      hint:
        today === week.end ? (
          <>
            invite by <span class="nw">{today}</span>
          </>
        ) : (
          <>
            invite by <span class="nw">{today}</span> – <span class="nw">{week.end}</span>
          </>
        ),
      tone: 'info',
    },
    {
      label: 'Invitations overdue',
      n: view.invitations.overdue,
      href: planLink({ invitation: [...notAccepted], invite_to: addDays(today, -1) }),
      hint: 'invite-by day has passed',
      tone: 'warn',
    },
    {
      label: 'Moves due',
      n: view.movesDue,
      href: planLink({ invitation: ['accepted'], state: ['planned'], move_to: week.end }),
      hint: (
        <>
          accepted, to provision by <span class="nw">{week.end}</span>
        </>
      ),
      tone: 'info',
    },
    {
      label: RISK_INFO.at_risk.label,
      n: view.atRisk,
      href: planLink({ risk: ['at_risk'] }),
      hint: RISK_INFO.at_risk.meaning,
      tone: 'at_risk',
    },
    {
      label: RISK_INFO.expired_grace.label,
      n: view.expired.grace,
      href: planLink({ risk: ['expired_grace'] }),
      hint: RISK_INFO.expired_grace.meaning,
      tone: 'expired_grace',
    },
    {
      label: RISK_INFO.lapsed.label,
      n: view.expired.lapsed,
      href: planLink({ risk: ['lapsed'] }),
      hint: RISK_INFO.lapsed.meaning,
      tone: 'lapsed',
    },
  ];
  return (
    <>
      <p class="lede">
        Week of <span class="nw">{week.start}</span> to <span class="nw">{week.end}</span>; today is <span class="nw">{today}</span>.
      </p>
      {view.plan.updating ? (
        <p class="notice notice-info" role="status">
          The plan is updating: recent changes show on each row now, and in these counts once the plan has been redone.
        </p>
      ) : (
        <p class="muted">Planned {dateTime(view.plan.plannedAt)}.</p>
      )}
      <section aria-labelledby="glance">
        <h2 id="glance" class="sr-only">
          At a glance
        </h2>
        <ul class="tiles">
          {tiles.map((t) => (
            <li
              key={t.label}
              class={`tile tone-${t.tone}`}
              style={t.tone in RISK_INFO ? { '--risk': RISK_INFO[t.tone as keyof typeof RISK_INFO].color } : undefined}
            >
              <a href={t.href}>
                <span class="tile-n">{count(t.n)}</span>
                <span class="tile-l">{t.label}</span>
                <span class="tile-h">{t.hint}</span>
              </a>
            </li>
          ))}
        </ul>
      </section>
      <section class="card" aria-labelledby="moves-per-week">
        <h2 id="moves-per-week">Moves per week</h2>
        <WeekChart weeks={view.weeks} later={view.later} dailyCapacity={view.dailyCapacity} />
      </section>
    </>
  );
}
