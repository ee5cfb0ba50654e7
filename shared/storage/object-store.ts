/**
 * The planner's bucket on S3: uploads are read as streams (never buffered whole), reports written
 * as streams through multipart Upload, so a 1M-row plan.csv never sits in memory. Keys come from
 * bucket-layout.ts.
 */
import { PassThrough, type Readable, type Writable } from 'node:stream';
import type * as S3 from '@aws-sdk/client-s3';
import type * as S3Upload from '@aws-sdk/lib-storage';
import type * as S3PresignedPost from '@aws-sdk/s3-presigned-post';
import type * as S3Presigner from '@aws-sdk/s3-request-presigner';
import { clientConfig, resourceNames } from '../aws/client-config.js';
import { requireSdk } from '../aws/sdk.js';
import { FileError } from '../domain/codes.js';
import { type ReportFile, reportKey, UPLOADS_PREFIX } from './bucket-layout.js';
import type { UploadRef } from './plan-store.js';

const { GetObjectCommand, PutObjectCommand, S3Client } = requireSdk<typeof S3>('@aws-sdk/client-s3');
const { Upload } = requireSdk<typeof S3Upload>('@aws-sdk/lib-storage');
const { getSignedUrl } = requireSdk<typeof S3Presigner>('@aws-sdk/s3-request-presigner');

const s3 = new S3Client(clientConfig());

/**
 * The client every request of this module goes through. The application never needs it; tests
 * and tools use it to observe requests or inject faults (`objectStoreClient().middlewareStack.add`).
 */
export function objectStoreClient(): S3.S3Client {
  return s3;
}

/** An uploaded object, as its S3 event names it. */
export interface UploadedObject {
  bucket: string;
  /** The object key, decoded (S3 events carry it URL-encoded). */
  key: string;
  versionId?: string | undefined;
  eTag?: string | undefined;
  size?: number | undefined;
}

/**
 * The uploaded object's bytes. An object deleted before it could be read (S3 answers NoSuchKey,
 * or NoSuchVersion for the event's version) will not come back on a retry: that is a final
 * `unreadable`, reported like any file-level failure, not an error Lambda retries.
 */
export async function openUpload(object: UploadedObject, fileName: string): Promise<Readable> {
  try {
    const result = await s3.send(new GetObjectCommand({ Bucket: object.bucket, Key: object.key, VersionId: object.versionId }));
    return result.Body as Readable;
  } catch (error) {
    const { name, $metadata } = error as { name?: string; $metadata?: { httpStatusCode?: number } };
    if (name === 'NoSuchKey' || name === 'NoSuchVersion' || $metadata?.httpStatusCode === 404) {
      throw new FileError('unreadable', `The file ${fileName} was deleted before it could be read; upload it again.`);
    }
    throw error;
  }
}

const CONTENT_TYPES: Record<ReportFile, string> = {
  'plan.csv': 'text/csv; charset=utf-8',
  'errors.csv': 'text/csv; charset=utf-8',
  'report.html': 'text/html; charset=utf-8',
};

/** Writes a whole report file of an upload. */
export async function putReport(upload: UploadRef, file: ReportFile, body: string): Promise<void> {
  const Key = reportKey(upload.partnerId, upload.uploadId, file);
  await s3.send(new PutObjectCommand({ Bucket: resourceNames().bucket, Key, Body: body, ContentType: CONTENT_TYPES[file] }));
}

export interface ReportWriter {
  /** Write the file here, then end it. */
  stream: Writable;
  /** Resolves once the object is stored. */
  done: Promise<void>;
  /** The text written, when it came to at most `keepUpTo` bytes (for e-mail attachments). */
  kept(): string | undefined;
}

/** A stream into a report file of an upload, keeping a copy of the text while it is small. */
export function reportWriter(upload: UploadRef, file: ReportFile, keepUpTo = 0): ReportWriter {
  const stream = new KeepSmall(keepUpTo);
  const Key = reportKey(upload.partnerId, upload.uploadId, file);
  const writer = new Upload({
    client: s3,
    params: { Bucket: resourceNames().bucket, Key, Body: stream, ContentType: CONTENT_TYPES[file] },
  });
  return { stream, done: writer.done().then(() => undefined), kept: () => stream.text() };
}

/** Passes bytes through and keeps a copy while they total at most `limit`. */
class KeepSmall extends PassThrough {
  private kept: Buffer[] | undefined = [];
  /** Not `size`: lib-storage's Upload reads a Body's `size` as its length. */
  private written = 0;

  constructor(private readonly limit: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null, data?: unknown) => void): void {
    if (this.kept) {
      this.written += chunk.length;
      if (this.written > this.limit) this.kept = undefined;
      else this.kept.push(Buffer.from(chunk));
    }
    done(null, chunk);
  }

  /** The text written, or undefined when it was over the limit. */
  text(): string | undefined {
    return this.kept && Buffer.concat(this.kept).toString('utf8');
  }
}

/** A link to a report file valid for a week (the SigV4 maximum), for e-mails. */
export function reportLink(upload: UploadRef, file: ReportFile): Promise<string> {
  const Key = reportKey(upload.partnerId, upload.uploadId, file);
  return getSignedUrl(s3, new GetObjectCommand({ Bucket: resourceNames().bucket, Key }), { expiresIn: 7 * 86_400 });
}

/** A report file of an upload as a stream; undefined when the upload has no such file. */
export async function openReport(upload: UploadRef, file: ReportFile): Promise<Readable | undefined> {
  const Key = reportKey(upload.partnerId, upload.uploadId, file);
  try {
    return (await s3.send(new GetObjectCommand({ Bucket: resourceNames().bucket, Key }))).Body as Readable;
  } catch (error) {
    const { name, $metadata } = error as { name?: string; $metadata?: { httpStatusCode?: number } };
    if (name === 'NoSuchKey' || $metadata?.httpStatusCode === 404) return undefined;
    throw error;
  }
}

/**
 * A link to download a report file, valid for `expiresIn` seconds; the browser saves it under
 * `saveAs` rather than showing it.
 */
export async function downloadLink(
  upload: UploadRef,
  file: ReportFile,
  saveAs: string,
  expiresIn: number,
): Promise<{ url: string; expiresAt: string }> {
  const Key = reportKey(upload.partnerId, upload.uploadId, file);
  const disposition = `attachment; filename="${saveAs.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(saveAs)}`;
  const url = await getSignedUrl(
    s3,
    new GetObjectCommand({ Bucket: resourceNames().bucket, Key, ResponseContentDisposition: disposition }),
    {
      expiresIn,
    },
  );
  // S3 counts from the signing time the link states (the wall clock's), not from any simulated now.
  const signed = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(new URL(url).searchParams.get('X-Amz-Date') ?? '');
  const at = signed ? Date.UTC(+signed[1]!, +signed[2]! - 1, +signed[3]!, +signed[4]!, +signed[5]!, +signed[6]!) : Number.NaN;
  return { url, expiresAt: new Date(at + expiresIn * 1000).toISOString() };
}

export interface UploadForm {
  url: string;
  fields: Record<string, string>;
  /** When S3 stops accepting the form (ISO time, as the signed policy states it). */
  expiresAt: string;
}

/**
 * A presigned POST for a browser to upload one file to `key`, which must be an upload key: the
 * signed policy allows exactly that key and a size of 1 to `maxBytes`, for `expiresIn` seconds.
 */
export async function uploadForm(key: string, maxBytes: number, expiresIn: number): Promise<UploadForm> {
  if (!key.startsWith(UPLOADS_PREFIX)) throw new Error(`Not an upload key: ${key}`);
  // Loaded here: only the console API signs forms, so the other functions never load it.
  const { createPresignedPost } = requireSdk<typeof S3PresignedPost>('@aws-sdk/s3-presigned-post');
  const { url, fields } = await createPresignedPost(s3, {
    Bucket: resourceNames().bucket,
    Key: key,
    Conditions: [
      ['eq', '$key', key],
      ['content-length-range', 1, maxBytes],
    ],
    Expires: expiresIn,
  });
  const policy = JSON.parse(Buffer.from(fields.Policy ?? '', 'base64').toString('utf8')) as { expiration: string };
  return { url, fields, expiresAt: policy.expiration };
}
