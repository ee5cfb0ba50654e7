/**
 * The planner's bucket on S3: uploads are read as streams (never buffered whole), reports written
 * as streams through multipart Upload, so a 1M-row plan.csv never sits in memory. Keys come from
 * bucket-layout.ts.
 */
import { PassThrough, type Readable, type Writable } from 'node:stream';
import type * as S3 from '@aws-sdk/client-s3';
import type * as S3Upload from '@aws-sdk/lib-storage';
import type * as S3Presigner from '@aws-sdk/s3-request-presigner';
import { clientConfig, resourceNames } from '../aws/client-config.js';
import { requireSdk } from '../aws/sdk.js';
import { FileError } from '../domain/codes.js';
import { type ReportFile, reportKey } from './bucket-layout.js';
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
