/** Uploads: every file the partner uploaded, newest first, with its status and counts. */
import type { UploadView } from '../../../shared/console/contract.js';
import { api, seg } from '../api.js';
import { ErrorNote, Loading, PageHeading, TableScroll, useLoad } from '../components/ui.js';
import { UploadStatus } from '../components/upload-summary.js';
import { count, dateTime } from '../words.js';

export function UploadsPage() {
  const uploads = useLoad<UploadView[]>('uploads', () => api.get<UploadView[]>('/uploads'));
  const list = uploads.data;
  return (
    <>
      <PageHeading title="Uploads">Uploads</PageHeading>
      <p class="button-row">
        <a class="button primary" href="/upload">
          Upload a CSV file
        </a>
        <button type="button" class="button" onClick={uploads.reload} disabled={uploads.loading}>
          Refresh
        </button>
      </p>
      {uploads.loading && !list && <Loading what="the uploads" />}
      <ErrorNote error={uploads.error} />
      {list && list.length === 0 && <p class="muted">No uploads yet.</p>}
      {list && list.length > 0 && (
        <TableScroll label="Uploads table">
          <table class="stack">
            <caption id="uploads-caption" class="sr-only">
              Uploads, newest first
            </caption>
            <thead>
              <tr>
                <th scope="col">File</th>
                <th scope="col">Uploaded</th>
                <th scope="col">Status</th>
                <th scope="col" class="num">
                  Planned
                </th>
                <th scope="col" class="num">
                  Rejected
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((u) => (
                <tr key={u.uploadId}>
                  <th scope="row" data-label="File">
                    <a href={`/uploads/${seg(u.uploadId)}`} class="wrap">
                      {u.fileName}
                    </a>
                  </th>
                  <td data-label="Uploaded" class="nw">
                    {dateTime(u.uploadedAt)}
                  </td>
                  <td data-label="Status">
                    <UploadStatus status={u.status} />
                  </td>
                  <td data-label="Planned" class="num">
                    {u.planned === undefined ? '—' : count(u.planned)}
                  </td>
                  <td data-label="Rejected" class="num">
                    {u.rejected === undefined ? '—' : count(u.rejected)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </>
  );
}
