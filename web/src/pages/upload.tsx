/**
 * Upload: pick or drop a CSV, post it straight to S3 with the API's presigned POST (XMLHttpRequest,
 * for its progress events), then wait for the pipeline to plan it and show what came of it.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { NewUpload, UploadDetail, UploadView } from '../../../shared/console/contract.js';
import { api, seg } from '../api.js';
import { asApiError, ErrorNote, PageHeading, useAnnounce } from '../components/ui.js';
import { UploadProblems, UploadSummary } from '../components/upload-summary.js';
import { fileSize } from '../words.js';

/** The presigned policy's limit; refused here first, in words. */
const MAX_BYTES = 512 * 1024 * 1024;
const POLL_MS = [1000, 2000, 2000, 3000, 5000];

type Step =
  | { kind: 'pick' }
  | { kind: 'sending'; file: File; loaded: number }
  | { kind: 'planning'; file: File; key: string }
  | { kind: 'done'; detail: UploadDetail };

export function UploadPage() {
  const [file, setFile] = useState<File | undefined>();
  const [step, setStep] = useState<Step>({ kind: 'pick' });
  const [error, setError] = useState<string | undefined>();
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const alive = useRef(true);
  const announce = useAnnounce();
  useEffect(
    () => () => {
      alive.current = false;
    },
    [],
  );

  const choose = (picked: File | undefined) => {
    setError(undefined);
    setFile(picked);
    if (picked) announce(`${picked.name} chosen, ${fileSize(picked.size)}.`);
  };

  const start = async (event: Event) => {
    event.preventDefault();
    if (!file) return setError('Choose a CSV file first.');
    const problem = fileProblem(file);
    if (problem) return setError(problem);
    setError(undefined);
    try {
      const target = await api.post<NewUpload>('/uploads', { fileName: file.name, size: file.size });
      setStep({ kind: 'sending', file, loaded: 0 });
      announce(`Uploading ${file.name}.`);
      await send(target, file, (loaded) => alive.current && setStep({ kind: 'sending', file, loaded }));
      if (!alive.current) return;
      setStep({ kind: 'planning', file, key: target.key });
      announce('Uploaded. Planning the file.');
      const upload = await waitForPlanning(target.key, () => alive.current);
      if (!upload) return;
      const detail = await api.get<UploadDetail>(`/uploads/${seg(upload.uploadId)}`);
      if (!alive.current) return;
      setStep({ kind: 'done', detail });
      announce(doneWords(detail.upload));
    } catch (e) {
      if (!alive.current) return;
      setError(e instanceof SendError ? e.message : asApiError(e).message);
      setStep({ kind: 'pick' });
    }
  };

  const again = () => {
    setStep({ kind: 'pick' });
    choose(undefined);
    if (input.current) input.current.value = '';
  };

  return (
    <>
      <PageHeading title="Upload">Upload a CSV file</PageHeading>
      <p class="lede">
        One row per subscription: the customer, its country, the subscription ID, the offer, the seats and the end date. The console plans
        every row; the rows it cannot plan are listed with the reason.
      </p>
      <ErrorNote error={error} />
      {step.kind === 'pick' && (
        <form class="card" onSubmit={(e) => void start(e)}>
          {/* biome-ignore lint/a11y/noStaticElementInteractions: dropping is a shortcut; the file input is the way in for everyone */}
          <div
            class={dragging ? 'dropzone dragging' : 'dropzone'}
            onDragOver={(e) => {
              e.preventDefault();
              setDragging(true);
            }}
            onDragLeave={() => setDragging(false)}
            onDrop={(e) => {
              e.preventDefault();
              setDragging(false);
              choose(e.dataTransfer?.files[0]);
            }}
          >
            <label for="csv-file" class="field-label">
              CSV file
            </label>
            <p class="hint" id="csv-file-hint">
              Choose a file, or drop it here. A .csv file of at most 512 MB.
            </p>
            <input
              ref={input}
              id="csv-file"
              type="file"
              accept=".csv,text/csv"
              aria-describedby="csv-file-hint"
              onChange={(e) => choose(e.currentTarget.files?.[0])}
            />
            {file && (
              <p class="chosen">
                <span class="wrap">{file.name}</span>, {fileSize(file.size)}
              </p>
            )}
          </div>
          <button type="submit" class="button primary">
            Upload
          </button>
        </form>
      )}
      {step.kind === 'sending' && (
        <section class="card" aria-labelledby="sending">
          <h2 id="sending">Uploading {step.file.name}</h2>
          <label for="upload-progress" class="field-label">
            Sent {fileSize(step.loaded)} of {fileSize(step.file.size)}
          </label>
          <progress id="upload-progress" max={step.file.size} value={step.loaded} />
        </section>
      )}
      {step.kind === 'planning' && (
        <section class="card" aria-labelledby="planning" aria-busy="true">
          <h2 id="planning">Planning {step.file.name}</h2>
          <p>
            <span class="spinner" aria-hidden="true" /> The file is uploaded; the console is reading and planning it. This page updates by
            itself.
          </p>
        </section>
      )}
      {step.kind === 'done' && (
        <>
          <UploadSummary upload={step.detail.upload} />
          <UploadProblems errors={step.detail.errors} />
          <p class="button-row">
            <a class="button primary" href="/plan">
              Open the plan
            </a>
            <button type="button" class="button" onClick={again}>
              Upload another file
            </button>
          </p>
        </>
      )}
    </>
  );
}

function fileProblem(file: File): string | undefined {
  if (!/\.csv$/i.test(file.name)) return `${file.name} is not a .csv file. Save the sheet as CSV, then choose it again.`;
  if (file.size === 0) return `${file.name} is empty.`;
  if (file.size > MAX_BYTES) return `${file.name} is ${fileSize(file.size)}: the most is 512 MB.`;
  return undefined;
}

function doneWords(upload: UploadView): string {
  if (upload.status === 'planned') return `Planned: ${upload.planned ?? 0} rows planned, ${upload.rejected ?? 0} rejected.`;
  if (upload.status === 'rejected') return `The file was not planned${upload.message ? `: ${upload.message}` : '.'}`;
  return 'Planning the file failed.';
}

class SendError extends Error {}

/** The presigned POST: its fields, then the file (S3 wants it last); progress as it goes. */
function send(target: NewUpload, file: File, progress: (loaded: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    for (const [name, value] of Object.entries(target.fields)) form.append(name, value);
    form.append('file', file);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', target.url);
    xhr.upload.onprogress = (e) => progress(e.lengthComputable ? e.loaded : 0);
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        progress(file.size);
        resolve();
      } else if (xhr.status === 403 || xhr.status === 400) {
        reject(new SendError('The upload was refused: its permission may have expired, or the file is over the limit. Try again.'));
      } else reject(new SendError(`The upload failed (HTTP ${xhr.status}). Try again.`));
    };
    xhr.onerror = () => reject(new SendError('The file could not be sent. Check your connection, then try again.'));
    xhr.send(form);
  });
}

/** Polls the upload of this key until it is planned, rejected or failed; undefined if the page was left. */
async function waitForPlanning(key: string, stillWanted: () => boolean): Promise<UploadView | undefined> {
  for (let round = 0; stillWanted(); round++) {
    const [upload] = await api.get<UploadView[]>('/uploads', { key });
    // Until the pipeline records it, the upload is not listed yet: still processing.
    if (upload && upload.status !== 'processing') return upload;
    await new Promise((r) => window.setTimeout(r, POLL_MS[Math.min(round, POLL_MS.length - 1)]));
  }
  return undefined;
}
