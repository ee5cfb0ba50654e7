/** P7's filtered page (bench/workers/plan-view.ts): a risk and invitation filter, a country, a name search, sorted by end date. */
export const FILTERED_VIEW_QUERY = {
  risk: 'ok,at_risk',
  invitation: 'not_sent',
  country: 'US',
  q: 'fabrikam',
  sort: 'end_date',
  order: 'desc',
  page: 2,
  size: 200,
};
