// The import's transport: a multipart upload with progress through
// XMLHttpRequest (fetch reports no upload progress), with the bearer token
// like every other API call, and helpers for the import status it returns.
import { ApiError, getToken } from '../../api/client';
import type { ImportStatus } from '../../api/types';

/** A report format the server reads (GET /api/import/formats). */
export interface ImportFormat {
  name: string;
  title: string;
}

/** The sentence listing the formats, for the dialog's help text. */
export function formatsSentence(formats: ImportFormat[] | null | undefined): string {
  if (!formats?.length) return 'The format is recognised from the file’s content.';
  return `Recognised from the file’s content: ${formats.map((f) => f.title).join(', ')}.`;
}

/** The run an import created: metadata.run_id is a one-element array (or a string). */
export function importRunId(imp: ImportStatus | null | undefined): string | null {
  const v = imp?.metadata?.run_id;
  if (Array.isArray(v)) return typeof v[0] === 'string' ? v[0] : null;
  return typeof v === 'string' && v ? v : null;
}

export function isFinished(status: string | undefined): boolean {
  return status === 'done' || status === 'error' || status === 'failed';
}

/** The error text the server left on a failed import, if any. */
export function importError(imp: ImportStatus | null | undefined): string | null {
  const md = imp?.metadata ?? {};
  for (const k of ['error', 'errors', 'message', 'detail', 'traceback']) {
    const v = md[k];
    if (typeof v === 'string' && v) return v;
    if (Array.isArray(v) && v.length) return v.map(String).join('\n');
  }
  return null;
}

export interface UploadHandle {
  promise: Promise<ImportStatus>;
  abort: () => void;
}

/** POSTs the file to /api/import; onProgress gets 0..100. */
export function uploadImport(file: File, projectId: string | null, onProgress: (pct: number) => void): UploadHandle {
  const xhr = new XMLHttpRequest();
  const promise = new Promise<ImportStatus>((resolve, reject) => {
    const fd = new FormData();
    fd.append('importFile', file, file.name);
    if (projectId) fd.append('project', projectId);
    xhr.open('POST', '/api/import');
    xhr.setRequestHeader('Accept', 'application/json');
    const token = getToken();
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(Math.round((e.loaded / e.total) * 100));
    };
    xhr.onload = () => {
      let body: unknown = xhr.responseText;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        /* not JSON */
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(100);
        resolve(body as ImportStatus);
        return;
      }
      const msg =
        typeof body === 'string' && body
          ? body
          : body && typeof body === 'object' && typeof (body as Record<string, unknown>).detail === 'string'
            ? String((body as Record<string, unknown>).detail)
            : `Upload failed with status ${xhr.status}`;
      reject(new ApiError(xhr.status, msg, body));
    };
    xhr.onerror = () => reject(new ApiError(0, 'The upload failed: network error', null));
    xhr.onabort = () => reject(new ApiError(0, 'The upload was cancelled', null));
    xhr.send(fd);
  });
  return { promise, abort: () => xhr.abort() };
}
