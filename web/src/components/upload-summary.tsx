/** One upload: its status and counts, its report files (a fresh link per click), and its problems. */
import { useState } from 'preact/hooks';
import type { DownloadLink, UploadDetail, UploadView } from '../../../shared/console/contract.js';
import { api, seg } from '../api.js';
import { count, dateTime, plural, UPLOAD_STATUS_WORDS } from '../words.js';
import { asApiError, ErrorNote, TableScroll, useAnnounce } from './ui.js';

const FILE_WORDS: Record<UploadView['files'][number], string> = {
  'plan.csv': 'the plan (CSV)',
  'errors.csv': 'the problems (CSV)',
  'report.html': 'the report (HTML)',
};

export function UploadStatus({ status }: { status: UploadView['status'] }) {
  return <span class={`badge upload-${status}`}>{UPLOAD_STATUS_WORDS[status] ?? status}</span>;
}

export function UploadSummary({ upload, headingLevel = 2 }: { upload: UploadView; headingLevel?: 2 | 3 }) {
  const H = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <section class="card" aria-labelledby="upload-summary">
      <H id="upload-summary">Summary</H>
      <dl class="facts">
        <div>
          <dt>File</dt>
          <dd class="wrap">{upload.fileName}</dd>
        </div>
        <div>
          <dt>Uploaded</dt>
          <dd>{dateTime(upload.uploadedAt)}</dd>
        </div>
        <div>
          <dt>Status</dt>
          <dd>
            <UploadStatus status={upload.status} />
          </dd>
        </div>
        {upload.planned !== undefined && (
          <div>
            <dt>Rows planned</dt>
            <dd>{count(upload.planned)}</dd>
          </div>
        )}
        {upload.rejected !== undefined && (
          <div>
            <dt>Rows rejected</dt>
            <dd>{count(upload.rejected)}</dd>
          </div>
        )}
      </dl>
      {(upload.status === 'rejected' || upload.status === 'failed') && (
        <div class="notice notice-error">
          <p>
            {upload.status === 'rejected' ? 'The file was not planned' : 'Planning this file failed'}
            {upload.message ? `: ${upload.message}` : '.'}
            {upload.code && (
              <>
                {' '}
                <code>{upload.code}</code>
              </>
            )}
          </p>
        </div>
      )}
      <Downloads upload={upload} />
    </section>
  );
}

function Downloads({ upload }: { upload: UploadView }) {
  const [busy, setBusy] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  const announce = useAnnounce();
  if (!upload.files.length) return null;
  const download = async (file: UploadView['files'][number]) => {
    setBusy(file);
    setError(undefined);
    try {
      // A link of minutes, made now: one kept from earlier may have expired.
      const link = await api.get<DownloadLink>(`/uploads/${seg(upload.uploadId)}/files/${seg(file)}`);
      announce(`Downloading ${file}.`);
      window.location.assign(link.url);
    } catch (e) {
      setError(`${file} could not be downloaded. ${asApiError(e).message}`);
    } finally {
      setBusy(undefined);
    }
  };
  return (
    <div class="downloads">
      <h3 class="small-heading">Download</h3>
      <ul class="button-row">
        {upload.files.map((file) => (
          <li key={file}>
            <button type="button" class="button" disabled={busy === file} onClick={() => void download(file)}>
              {file}
              <span class="sr-only">: {FILE_WORDS[file]}</span>
            </button>
          </li>
        ))}
      </ul>
      <ErrorNote error={error} />
    </div>
  );
}

/** errors.csv's columns in the console's words; a column not named here shows as it is. */
const PROBLEM_COLUMNS: Record<string, string> = {
  row: 'Row',
  column: 'Column',
  value: 'Value',
  code: 'Code',
  message: 'Problem',
};

/** errors.csv as a table: each row a problem of the file. */
export function UploadProblems({ errors }: { errors: UploadDetail['errors'] }) {
  return (
    <section class="card" aria-labelledby="upload-problems">
      <h2 id="upload-problems">Problems</h2>
      {errors.total === 0 ? (
        <p class="muted">No problems found.</p>
      ) : (
        <>
          <p>
            {plural(errors.total, 'problem', 'problems')}
            {errors.rows.length < errors.total && `; the first ${count(errors.rows.length)} are shown, errors.csv has them all`}.
          </p>
          <TableScroll label="Problems table">
            <table class="stack problems">
              <thead>
                <tr>
                  {errors.columns.map((c) => (
                    <th key={c} scope="col" class={`col-${c}`}>
                      {PROBLEM_COLUMNS[c] ?? c}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {errors.rows.map((row, i) => (
                  <tr key={i}>
                    {row.map((cell, j) => {
                      const column = errors.columns[j] ?? '';
                      return (
                        <td key={j} class={`col-${column}`} data-label={PROBLEM_COLUMNS[column] ?? column}>
                          {cell}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        </>
      )}
    </section>
  );
}
