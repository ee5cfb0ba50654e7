/** One upload: status, counts, problems and its report files (a fresh link per click). */

import { useEffect } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import type { UploadDetail } from '../../../shared/console/contract.js';
import { api, seg } from '../api.js';
import { ErrorNote, Loading, PageHeading, useLoad } from '../components/ui.js';
import { UploadProblems, UploadSummary } from '../components/upload-summary.js';

export function UploadDetailPage() {
  const { params } = useRoute();
  const id = params.id ?? '';
  const detail = useLoad<UploadDetail>(`upload:${id}`, () => api.get<UploadDetail>(`/uploads/${seg(id)}`));
  const upload = detail.data?.upload;
  const processing = upload?.status === 'processing';
  const { reload } = detail;
  // A file still being planned: look again in a few seconds.
  useEffect(() => {
    if (!processing) return;
    const timer = window.setTimeout(reload, 3000);
    return () => window.clearTimeout(timer);
  }, [processing, reload, detail.data]);
  return (
    <>
      <p class="breadcrumb">
        <a href="/uploads">Uploads</a>
      </p>
      <PageHeading title={upload ? `Upload ${upload.fileName}` : 'Upload'}>
        {upload ? (
          <>
            Upload <span class="wrap">{upload.fileName}</span>
          </>
        ) : (
          'Upload'
        )}
      </PageHeading>
      {detail.loading && !detail.data && <Loading what="the upload" />}
      <ErrorNote error={detail.error} />
      {processing && (
        <p class="notice notice-info" role="status">
          <span class="spinner" aria-hidden="true" /> This file is being planned. The page updates by itself.
        </p>
      )}
      {detail.data && (
        <>
          <UploadSummary upload={detail.data.upload} />
          {!processing && <UploadProblems errors={detail.data.errors} />}
        </>
      )}
    </>
  );
}
