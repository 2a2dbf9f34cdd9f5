// The failure clusters of a run as GET /api/run/{id}/clusters returns them
// (docs/triage.md), and the small decisions the tab makes about them.

/** What the project knew of a fingerprint before this run. */
export interface KnownCluster {
  first_seen: string;
  last_seen: string;
  runs: number;
  classification: string | null;
  classifications: Record<string, number>;
}

/** One cluster: the run's failures that share a fingerprint. */
export interface FailureCluster {
  fingerprint: string;
  exception: string;
  normalised: string;
  count: number;
  example: { id: string; test_id: string | null; message: string | null };
  test_ids: string[];
  result_ids: string[];
  status: 'new' | 'known';
  known: KnownCluster | null;
  /** This run's results of the cluster by classification. */
  classified?: Record<string, number>;
  /** The known classification, while some of this run's results lack it. */
  suggested_classification?: string | null;
}

export interface RunClusters {
  run_id: string;
  failures: number;
  truncated: boolean;
  clusters: FailureCluster[];
}

/** The line above the table: "12 failures in 3 clusters, 1 new". */
export function clustersSummary(c: RunClusters): string {
  const n = c.clusters.length;
  const fresh = c.clusters.filter((x) => x.status === 'new').length;
  const failures = `${c.failures} ${c.failures === 1 ? 'failure' : 'failures'}`;
  const clusters = `${n}${c.truncated ? '+' : ''} ${n === 1 ? 'cluster' : 'clusters'}`;
  return `${failures} in ${clusters}, ${fresh} new`;
}

/** A cluster's title: its exception type, or what it is when none is known. */
export function clusterTitle(c: FailureCluster): string {
  return c.exception || 'No exception type';
}

/** How many of the cluster's tests the row does not list (the API sends at most 100). */
export function hiddenTests(c: FailureCluster): number {
  return Math.max(0, c.count - c.test_ids.length);
}

/** The request body that classifies every result of a cluster of a run. */
export function classifyClusterBody(runId: string, c: FailureCluster, classification: string) {
  return { cluster: { run_id: runId, fingerprint: c.fingerprint }, metadata: { classification } };
}
