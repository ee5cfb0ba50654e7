/** A path the console has no page for. */
import { PageHeading } from '../components/ui.js';

export function NotFoundPage() {
  return (
    <>
      <PageHeading title="Page not found">Page not found</PageHeading>
      <p>
        This address is not a page of the console. <a href="/">Go to the home page</a>.
      </p>
    </>
  );
}
