// Saving an artifact: the download route needs the bearer token, so the
// bytes are fetched with it and handed to the browser as a blob link.
import { apiBlob } from '../../api/client';

/** Downloads /api/artifact/{id}/download as filename. */
export async function downloadArtifact(id: string, filename: string): Promise<void> {
  const blob = await apiBlob(`artifact/${id}/download`);
  saveBlob(blob, filename);
}

export function saveBlob(blob: Blob, filename: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** 1536 → "1.5 KiB". */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}
