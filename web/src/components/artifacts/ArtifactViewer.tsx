// One artifact's preview: text in the log viewer, images inline (through a
// blob URL, since the view route needs the bearer token), anything else as
// a download.
import { useEffect, useState } from 'react';
import { Alert, Button, Flex, FlexItem, Title } from '@patternfly/react-core';
import { DownloadIcon } from '@patternfly/react-icons';
import { apiBlob } from '../../api/client';
import type { Artifact } from '../../api/types';
import { formatDate } from '../format';
import { Empty, ErrorState, Loading } from '../states';
import { downloadArtifact, formatBytes } from './download';
import { isImageType, isTextType } from './logSearch';
import { LogViewer } from './LogViewer';
import './artifacts.css';

type Loaded = { kind: 'text'; text: string; size: number } | { kind: 'image'; url: string; size: number } | { kind: 'other'; type: string; size: number };

export function ArtifactViewer({ artifact, initialQuery }: { artifact: Artifact; initialQuery?: string }) {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [tick, setTick] = useState(0);
  const [downloading, setDownloading] = useState(false);
  const [downloadError, setDownloadError] = useState<unknown>(null);
  const [small, setSmall] = useState(false);

  useEffect(() => {
    const ctrl = new AbortController();
    let url: string | null = null;
    setLoaded(null);
    setError(null);
    apiBlob(`artifact/${artifact.id}/view`, ctrl.signal)
      .then(async (blob) => {
        const type = blob.type || '';
        if (isImageType(type, artifact.filename)) {
          url = URL.createObjectURL(blob);
          if (!ctrl.signal.aborted) setLoaded({ kind: 'image', url, size: blob.size });
        } else if (isTextType(type, artifact.filename)) {
          const text = await blob.text();
          if (!ctrl.signal.aborted) setLoaded({ kind: 'text', text, size: blob.size });
        } else if (!ctrl.signal.aborted) {
          setLoaded({ kind: 'other', type, size: blob.size });
        }
      })
      .catch((e) => {
        if (!ctrl.signal.aborted) setError(e);
      });
    return () => {
      ctrl.abort();
      if (url) URL.revokeObjectURL(url);
    };
  }, [artifact.id, artifact.filename, tick]);

  const download = async () => {
    setDownloading(true);
    setDownloadError(null);
    try {
      await downloadArtifact(artifact.id, artifact.filename);
    } catch (e) {
      setDownloadError(e);
    } finally {
      setDownloading(false);
    }
  };

  return (
    <div data-testid={`artifact-${artifact.filename}`}>
      <Flex alignItems={{ default: 'alignItemsCenter' }} spaceItems={{ default: 'spaceItemsMd' }} style={{ marginBottom: 'var(--pf-t--global--spacer--md)' }}>
        <FlexItem>
          <Title headingLevel="h3" size="md" className="ibutsu-mono">
            {artifact.filename}
          </Title>
        </FlexItem>
        <FlexItem className="ibutsu-small ibutsu-subtle">
          {loaded ? formatBytes(loaded.size) + ' · ' : ''}uploaded {formatDate(artifact.upload_date)}
        </FlexItem>
        <FlexItem align={{ default: 'alignRight' }}>
          <Button variant="secondary" icon={<DownloadIcon />} onClick={download} isLoading={downloading} aria-label={`Download ${artifact.filename}`}>
            Download
          </Button>
        </FlexItem>
      </Flex>
      {downloadError ? (
        <Alert isInline variant="danger" title="Download failed" style={{ marginBottom: 'var(--pf-t--global--spacer--md)' }}>
          {String((downloadError as Error).message ?? downloadError)}
        </Alert>
      ) : null}
      {error ? (
        <ErrorState error={error} onRetry={() => setTick((t) => t + 1)} />
      ) : !loaded ? (
        <Loading label={`Loading ${artifact.filename}`} />
      ) : loaded.kind === 'text' ? (
        <LogViewer text={loaded.text} label={artifact.filename} initialQuery={initialQuery} />
      ) : loaded.kind === 'image' ? (
        <>
          <img
            className={`ibutsu-artifact-image${small ? ' ibutsu-artifact-image--small' : ''}`}
            src={loaded.url}
            alt={artifact.filename}
            data-testid="artifact-image"
            onLoad={(e) => setSmall(e.currentTarget.naturalWidth > 0 && e.currentTarget.naturalWidth < 96)}
          />
          {small && <div className="ibutsu-subtle ibutsu-small">Shown enlarged; the image is tiny.</div>}
        </>
      ) : (
        <Empty title="No preview for this file">
          {loaded.type || 'Unknown type'}, {formatBytes(loaded.size)}. Use Download to open it.
        </Empty>
      )}
    </div>
  );
}
