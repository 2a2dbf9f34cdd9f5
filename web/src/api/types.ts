// The API's shapes, as the server sends them (see /api/openapi.json).

export interface Pagination {
  page: number;
  pageSize: number;
  totalItems: number;
  totalPages: number;
}

export interface Project {
  id: string;
  name: string;
  title: string;
  owner_id?: string | null;
  group_id?: string | null;
  default_dashboard_id?: string | null;
}

export interface RunSummary {
  passes?: number;
  failures?: number;
  errors?: number;
  skips?: number;
  xfailures?: number;
  xpasses?: number;
  tests?: number;
  collected?: number;
  not_run?: number;
  pass_percent?: number;
  [key: string]: unknown;
}

export interface Run {
  id: string;
  created?: string | null;
  start_time?: string | null;
  duration?: number | null;
  component?: string | null;
  env?: string | null;
  project_id?: string | null;
  source?: string | null;
  summary?: RunSummary | null;
  metadata?: Record<string, unknown> | null;
  data?: Record<string, unknown> | null;
  /** This server's count of the run's failures of quarantined tests (docs/triage.md). */
  quarantined?: number;
  /** Ours: running while results arrive, finished after POST /run/{id}/finish, an import or the quiet period. */
  state?: 'running' | 'finished';
  finished_at?: string | null;
  finished_by?: string | null;
  /** Our marker: present when results of this run are evidence of flaky tests. */
  flaky?: { tests: number };
}

export type ResultStatus = 'passed' | 'failed' | 'error' | 'skipped' | 'xfailed' | 'xpassed' | 'manual' | 'blocked' | string;

export interface Result {
  id: string;
  test_id: string;
  result: ResultStatus;
  start_time?: string | null;
  duration?: number | null;
  component?: string | null;
  env?: string | null;
  run_id?: string | null;
  project_id?: string | null;
  source?: string | null;
  params?: Record<string, unknown> | null;
  metadata?: Record<string, unknown> | null;
  /** This server's marker: a failure of a quarantined test (docs/triage.md). */
  quarantined?: boolean;
  /** Our marker: true when the result's test is currently flaky. */
  flaky?: boolean;
  /** Ours (docs/triage.md): the failure's fingerprint and whether the project had it before. */
  failure_cluster?: { fingerprint: string; status: 'new' | 'known' } | null;
  /** Ours: what other classified results with the same fingerprint suggest. */
  suggested_classification?: { classification: string; fingerprint: string; based_on: number } | null;
}

/** One quarantined pattern of a project (GET /project/{id}/quarantine). */
export interface QuarantineEntry {
  id: string;
  project_id: string;
  pattern: string;
  kind: 'exact' | 'glob';
  reason: string;
  owner: string | null;
  created: string;
  updated: string;
  expires: string | null;
  active: boolean;
}

/** One result that made a test flaky (GET /api/flaky). */
export interface FlakyEvidence {
  kind: 'retry_run' | 'retry_build' | 'flip' | string;
  result_id: string;
  run_id: string | null;
  result: ResultStatus;
  build: string | null;
  start_time: string;
}

/** A flaky test (GET /api/flaky; docs/triage.md#flaky-tests). */
export interface FlakyTest {
  id: string;
  project_id: string;
  test_id: string;
  component: string | null;
  env: string | null;
  job: string | null;
  score: number;
  flip_rate: number;
  flips: number;
  retries: number;
  runs: number;
  first_flake: string;
  last_flake: string;
  detected_at?: string;
  evidence?: FlakyEvidence[];
}

export interface ClassificationChange {
  old: string | null;
  new: string | null;
  by: 'user' | 'rule';
  user_id: string | null;
  user_name: string | null;
  fingerprint: string | null;
  changed_at: string;
}

export interface Artifact {
  id: string;
  filename: string;
  result_id?: string | null;
  run_id?: string | null;
  project_id?: string | null;
  upload_date?: string | null;
  additional_metadata?: Record<string, unknown> | null;
}

export interface User {
  id: string;
  email: string;
  name?: string | null;
  is_superadmin?: boolean;
  is_active?: boolean;
  group_id?: string | null;
  projects?: Project[];
}

export interface ImportStatus {
  id: string;
  filename: string;
  format: string;
  status: 'pending' | 'running' | 'done' | 'error' | 'failed' | string;
  metadata?: Record<string, unknown> | null;
}

export interface LoginSupport {
  user: boolean;
  keycloak: boolean;
  google: boolean;
  github: boolean;
  facebook: boolean;
  gitlab: boolean;
  redhat?: boolean;
  [provider: string]: boolean | undefined;
}

export interface Dashboard {
  id: string;
  title: string;
  description?: string | null;
  project_id?: string | null;
  user_id?: string | null;
  filters?: string | null;
}

export interface WidgetConfig {
  id: string;
  type: 'widget' | 'view' | string;
  widget: string;
  title?: string | null;
  params?: Record<string, unknown> | null;
  weight?: number | null;
  navigable?: boolean | null;
  project_id?: string | null;
  dashboard_id?: string | null;
}

export interface WidgetParamDef {
  name: string;
  description?: string;
  type: string;
  required?: boolean;
  default?: unknown;
  items?: { type: string };
}

export interface WidgetType {
  id: string;
  title: string;
  description?: string;
  type: 'widget' | 'view' | string;
  params: WidgetParamDef[];
}

export interface ListEnvelope<K extends string, T> {
  pagination: Pagination;
  // e.g. { runs: Run[] }
  [key: string]: T[] | Pagination | unknown;
  _key?: K;
}

// --- Admin, profile, compare and view pages ---

/** A project's retention overrides in days: null = server default, 0 = keep forever. */
export interface Retention {
  import_days: number | null;
  artifact_days: number | null;
  result_days: number | null;
  run_days: number | null;
}

/** A project as the admin routes return it (members, owner, retention). */
export interface AdminProject extends Project {
  users?: User[];
  owner?: User | null;
  defaultDashboard?: Dashboard | null;
  retention?: Retention | null;
}

export interface ApiToken {
  id: string;
  user_id?: string | null;
  name: string;
  token?: string;
  expires?: string | null;
}

/** One Jenkins build (jenkins-job-view). */
export interface JenkinsJob {
  _id: string;
  job_name: string | null;
  build_number: string | null;
  build_url?: string | null;
  duration?: number | null;
  env?: string | null;
  source?: string | null;
  start_time?: string | null;
  summary?: RunSummary | null;
  total_execution_time?: number | null;
}

/** One test in a compare-runs-view category. */
export interface CompareItem {
  test_id: string;
  base_result: string | null;
  target_result: string | null;
  base_result_id: string | null;
  target_result_id: string | null;
  /** Ours (docs/triage.md): the test is a flaky test of either run's project. */
  flaky?: boolean;
}

export interface DurationChange {
  test_id: string;
  base_duration: number;
  target_duration: number;
  delta: number;
  base_result_id: string | null;
  target_result_id: string | null;
}

export interface CompareRunRef {
  id: string;
  project_id: string | null;
  start_time: string | null;
}

export interface CompareCluster {
  fingerprint: string;
  exception: string;
  message: string;
  base_count: number;
  target_count: number;
  test_ids: string[];
  flaky: boolean;
}

export interface CompareClusters {
  new: CompareCluster[];
  fixed: CompareCluster[];
  still_failing: CompareCluster[];
  flaky: CompareCluster[];
  counts: { new: number; fixed: number; still_failing: number; flaky: number };
}

export interface CompareRunsData {
  results: [Result, Result][];
  pagination: { totalItems: number };
  base_run?: CompareRunRef | null;
  target_run?: CompareRunRef | null;
  new_failures?: CompareItem[];
  fixed?: CompareItem[];
  still_failing?: CompareItem[];
  duration_changes?: DurationChange[];
  /** Ours (docs/triage.md): the comparison per failure cluster. */
  clusters?: CompareClusters;
  counts?: {
    base_total: number;
    target_total: number;
    new_failures: number;
    fixed: number;
    still_failing: number;
    duration_changes: number;
    /** Ours: items of the per-test lists marked flaky. */
    flaky_tests?: number;
  };
}

/** GET /result and GET /run pagination: `estimated` is true when totalItems is the planner's estimate. */
export interface ListPagination extends Pagination {
  estimated?: boolean;
}

// --- Run and result pages ---

/** POST /api/results/bulk-update answer: how many results changed and their new state. */
export interface ResultBulkUpdateResponse {
  updated: number;
  results: Result[];
}

/** A project's webhook subscription (the secret is write-only). */
export interface Webhook {
  id: string;
  project_id: string;
  name: string;
  url: string;
  events: string[];
  format: 'json' | 'slack' | 'teams';
  enabled: boolean;
  has_secret: boolean;
  created: string;
  updated: string;
}

/** One entry of a webhook's delivery log. */
export interface WebhookDelivery {
  id: number;
  event_id: string;
  event: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  response_code: number | null;
  last_error: string | null;
  created: string;
  next_attempt: string | null;
  last_attempt: string | null;
  delivered: string | null;
}
