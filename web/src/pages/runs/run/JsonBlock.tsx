// An object as pretty-printed JSON in a CodeBlock with a copy button (the
// run and result pages' "JSON" tabs).
import { useState } from 'react';
import { ClipboardCopyButton, CodeBlock, CodeBlockAction, CodeBlockCode } from '@patternfly/react-core';

export function JsonBlock({ value, id }: { value: unknown; id: string }) {
  const [copied, setCopied] = useState(false);
  const text = JSON.stringify(value, null, 2);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
      window.setTimeout(() => setCopied(false), 2000);
    } catch {
      setCopied(false);
    }
  };
  return (
    <CodeBlock
      actions={
        <CodeBlockAction>
          <ClipboardCopyButton
            id={`${id}-copy`}
            textId={`${id}-code`}
            aria-label="Copy JSON to clipboard"
            onClick={copy}
            exitDelay={copied ? 1500 : 600}
            variant="plain"
          >
            {copied ? 'Copied' : 'Copy to clipboard'}
          </ClipboardCopyButton>
        </CodeBlockAction>
      }
    >
      <CodeBlockCode id={`${id}-code`}>{text}</CodeBlockCode>
    </CodeBlock>
  );
}
