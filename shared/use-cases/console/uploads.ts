/**
 * The partner's uploads: the list (GET /api/uploads), one with its problems (GET
 * /api/uploads/{uploadId}), a form to upload a file (POST /api/uploads) and a link to download a
 * report file (GET /api/uploads/{uploadId}/files/{file}). Only the partner's own: another
 * partner's upload id is not found.
 */
import type { Readable } from 'node:stream';
import Papa from 'papaparse';
import { MAX_UPLOAD_BYTES } from '../../config/service.js';
import type { DownloadLink, NewUpload, UploadDetail, UploadView } from '../../console/contract.js';
import { MAX_ERROR_ROWS } from '../../console/contract.js';
import { parseUploadKey, type ReportFile, uploadKey } from '../../storage/bucket-layout.js';
import { planStore as store } from '../../storage/dynamodb/dynamodb-plan-store.js';
import { downloadLink, openReport, uploadForm } from '../../storage/object-store.js';
import type { UploadRecord } from '../../storage/plan-store.js';
import { type Answer, answer, type ConsoleRequest, invalid, notFound } from './context.js';

/** How long an upload form and a download link work: long enough to start, short enough not to be passed around. */
export const UPLOAD_FORM_SECONDS = 10 * 60;
export const DOWNLOAD_LINK_SECONDS = 5 * 60;

/** The partner's uploads, newest first; with `key`, the upload(s) of that object only. */
export async function listUploads({ identity }: Pick<ConsoleRequest, 'identity'>, key?: string): Promise<UploadView[]> {
  const views: UploadView[] = [];
  for await (const record of store.uploads(identity.partnerId)) {
    if (key === undefined || record.key === key) views.push(uploadView(record));
  }
  return views.sort((a, b) => (b.uploadedAt ?? '').localeCompare(a.uploadedAt ?? ''));
}

export async function uploadDetail({ identity }: Pick<ConsoleRequest, 'identity'>, uploadId: string): Promise<Answer<UploadDetail>> {
  // 1. The upload, among the partner's.
  const ref = { partnerId: identity.partnerId, uploadId };
  const record = await store.findUpload(ref);
  if (!record) return notFound(`You have no upload "${uploadId}".`);
  const upload = uploadView(record);

  // 2. Its problems: errors.csv, the first rows of it and how many there are.
  const errors = upload.files.includes('errors.csv') ? await firstRows(await openReport(ref, 'errors.csv')) : undefined;
  return answer({ upload, errors: errors ?? { columns: [], rows: [], total: 0 } });
}

export async function newUpload(
  { identity, now }: Pick<ConsoleRequest, 'identity' | 'now'>,
  request: { fileName: string; size: number },
): Promise<Answer<NewUpload>> {
  // 1. A file S3 takes and the pipeline plans: its name, stamped with the time (a key of its own,
  //    so the page follows this upload and never an earlier one of the same name), one segment of
  //    the partner's upload key.
  const key = uploadKey(identity.partnerId, stampedName(request.fileName, now));
  if (!isSafeName(request.fileName) || parseUploadKey(key) === undefined) {
    return invalid('The file name cannot be used as it is.', [
      { path: 'fileName', message: 'must be a plain file name: no "/", "\\" or control characters, not starting with "."' },
    ]);
  }
  if (request.size > MAX_UPLOAD_BYTES) {
    return invalid('The file is too large.', [{ path: 'size', message: `must be at most ${MAX_UPLOAD_BYTES / 1024 / 1024} MiB` }]);
  }

  // 2. A form for that key only, of that size range, for minutes.
  const form = await uploadForm(key, MAX_UPLOAD_BYTES, UPLOAD_FORM_SECONDS);
  return answer({ url: form.url, fields: form.fields, key, expiresAt: form.expiresAt });
}

/** `customers.csv` uploaded at 2026-12-03T15:10:07Z → `customers-20261203-151007.csv`. */
export function stampedName(fileName: string, at: Date): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return fileName.replace(/(\.csv)?$/i, (ext) => `-${stamp}${ext}`);
}

export async function reportDownload(
  { identity }: Pick<ConsoleRequest, 'identity'>,
  uploadId: string,
  file: string,
): Promise<Answer<DownloadLink>> {
  // 1. The upload, among the partner's, and a file it has.
  const ref = { partnerId: identity.partnerId, uploadId };
  const record = await store.findUpload(ref);
  if (!record) return notFound(`You have no upload "${uploadId}".`);
  const files = filesOf(record);
  if (!(files as string[]).includes(file)) return notFound(`The upload has no ${file}.`);

  // 2. A link of minutes, saved under a name that says which upload it is from.
  const base = record.fileName.replace(/\.csv$/i, '');
  return answer(await downloadLink(ref, file as ReportFile, `${base}-${file}`, DOWNLOAD_LINK_SECONDS));
}

export function uploadView(record: UploadRecord): UploadView {
  return {
    uploadId: record.uploadId,
    fileName: record.fileName,
    key: record.key,
    uploadedAt: record.uploadedAt,
    status: record.status,
    planned: record.planned,
    rejected: record.rejected,
    code: record.code,
    message: record.message,
    files: filesOf(record),
  };
}

/** The report files an upload has: all three once planned; errors.csv and report.html once rejected. */
function filesOf(record: UploadRecord): ReportFile[] {
  if (record.status === 'planned') return ['plan.csv', 'errors.csv', 'report.html'];
  if (record.status === 'rejected') return ['errors.csv', 'report.html'];
  return [];
}

/** Printable, one path segment, not hidden: the name as S3 and the upload key keep it. */
function isSafeName(name: string): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  return !/[/\\\u0000-\u001f\u007f]/.test(name) && !name.startsWith('.') && Buffer.byteLength(uploadKey('x', name)) <= 1024;
}

/** The header and the first MAX_ERROR_ROWS rows of a CSV, and how many rows it has. */
async function firstRows(body: Readable | undefined): Promise<UploadDetail['errors'] | undefined> {
  if (!body) return undefined;
  const parser = Papa.parse(Papa.NODE_STREAM_INPUT, { skipEmptyLines: true });
  body.pipe(parser);
  let columns: string[] | undefined;
  const rows: string[][] = [];
  let total = 0;
  for await (const row of parser as AsyncIterable<string[]>) {
    if (!columns) columns = row;
    else if (total++ < MAX_ERROR_ROWS) rows.push(row);
  }
  return { columns: columns ?? [], rows, total };
}
