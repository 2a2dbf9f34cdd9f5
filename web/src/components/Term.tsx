// One term of a description list and what it describes.
import { DescriptionListDescription, DescriptionListGroup, DescriptionListTerm } from '@patternfly/react-core';

export function Term({ term, className, children }: { term: React.ReactNode; className?: string; children: React.ReactNode }) {
  return (
    <DescriptionListGroup>
      <DescriptionListTerm>{term}</DescriptionListTerm>
      <DescriptionListDescription className={className}>{children}</DescriptionListDescription>
    </DescriptionListGroup>
  );
}
