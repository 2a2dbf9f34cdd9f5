// The failure's text on a result page. pytest-ibutsu stores it in
// metadata.traceback; JUnit imports keep it only in the traceback.log
// artifact, so that artifact's start (at most MAX_INLINE_TRACEBACK bytes)
// is fetched and shown inline, with a download for the rest.
import { useEffect, useState } from 'react';
import { Button, CodeBlock, CodeBlockCode, HelperText, HelperTextItem } from '@patternfly/react-core';
import { api, errorText } from '../../api/client';
import type { Artifact, Pagination } from '../../api/types';
import { downloadArtifact } from '../artifacts/download';
import { MAX_INLINE_TRACEBACK, readTextHead } from './failure';

/** The artifact file that holds a JUnit failure's text. */
export const TRACEBACK_ARTIFACT = 'traceback.log';

interface Loaded {
  artifact: Artifact;
  text: string;
  truncated: boolean;
}

/** Shows the traceback.log artifact of a result inline; nothing when it has none. skip is text already shown. */
export function FailureText({ resultId, skip }: { resultId: string; skip?: string | null }) {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const ctrl = new AbortController();
    setLoaded(null);
    setError(null);
    (async () => {
      const list = await api<{ artifacts: Artifact[]; pagination: Pagination }>('artifact', {
        query: { resultId, pageSize: 100 },
        signal: ctrl.signal,
      });
      const a = (list.artifacts ?? []).find((x) => x.filename === TRACEBACK_ARTIFACT);
      if (!a) return;
      const { text, truncated } = await readTextHead(`artifact/${a.id}/view`, MAX_INLINE_TRACEBACK, ctrl.signal);
      if (!ctrl.signal.aborted) setLoaded({ artifact: a, text, truncated });
    })().catch((e: unknown) => {
      if (!ctrl.signal.aborted) setError(errorText(e));
    });
    return () => ctrl.abort();
  }, [resultId]);

  if (error)
    return (
      <HelperText>
        <HelperTextItem variant="warning">
          The failure text ({TRACEBACK_ARTIFACT}) could not be loaded: {error}
        </HelperTextItem>
      </HelperText>
    );
  if (!loaded || !loaded.text.trim() || loaded.text.trim() === skip?.trim()) return null;
  return (
    <>
      <CodeBlock className="ibutsu-traceback" aria-label="Failure text" data-testid="failure-text">
        <CodeBlockCode>{loaded.text}</CodeBlockCode>
      </CodeBlock>
      {loaded.truncated && (
        <HelperText>
          <HelperTextItem>
            Showing the first {MAX_INLINE_TRACEBACK / 1024} KiB of {TRACEBACK_ARTIFACT}.{' '}
            <Button variant="link" isInline onClick={() => void downloadArtifact(loaded.artifact.id, loaded.artifact.filename)}>
              Download all of it
            </Button>
          </HelperTextItem>
        </HelperText>
      )}
    </>
  );
}
