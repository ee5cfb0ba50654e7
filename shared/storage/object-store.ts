/**
 * S3 access: uploads are read as streams (never buffered whole), reports written as streams
 * through multipart Upload, so a 1M-row plan.csv never sits in memory.
 */
import { PassThrough, type Readable } from 'node:stream';
import type * as S3 from '@aws-sdk/client-s3';
import type * as S3Upload from '@aws-sdk/lib-storage';
import type * as S3Presigner from '@aws-sdk/s3-request-presigner';
import { clientConfig, resourceNames } from '../aws/client-config.js';
import { requireSdk } from '../aws/sdk.js';

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

export async function openObject(bucket: string, key: string, versionId?: string): Promise<Readable> {
  const result = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }));
  return result.Body as Readable;
}

export async function putText(key: string, body: string, contentType: string): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: resourceNames().bucket, Key: key, Body: body, ContentType: contentType }));
}

/** A writable stream into an S3 object; `done` resolves once the object is stored. */
export function objectWriter(key: string, contentType: string): { stream: PassThrough; done: Promise<void> } {
  const stream = new PassThrough();
  const upload = new Upload({ client: s3, params: { Bucket: resourceNames().bucket, Key: key, Body: stream, ContentType: contentType } });
  return { stream, done: upload.done().then(() => undefined) };
}

/** A link valid for a week (the SigV4 maximum), for e-mails. */
export function presignedUrl(key: string): Promise<string> {
  return getSignedUrl(s3, new GetObjectCommand({ Bucket: resourceNames().bucket, Key: key }), { expiresIn: 7 * 86_400 });
}
