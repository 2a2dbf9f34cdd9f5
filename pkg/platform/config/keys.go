package config

// key describes one setting: its viper key (also its name in the YAML file),
// the environment variables that may set it (first one set wins), its default,
// and whether it is a secret that must be redacted when logged.
type key struct {
	name   string
	envs   []string
	def    any
	secret bool
}

// keys lists every setting the binaries read. Every key has a default, or
// viper would silently ignore its environment variable. The env names are the
// upstream Ibutsu ones where they exist, so existing OpenShift secrets keep
// working unchanged.
var keys = []key{
	{name: "http.host", envs: []string{"HOST", "IBUTSU_HOST"}, def: "0.0.0.0"},
	{name: "http.port", envs: []string{"PORT"}, def: "8080"},
	{name: "http.read_header_timeout", envs: []string{"HTTP_READ_HEADER_TIMEOUT"}, def: "10s"},
	{name: "http.read_timeout", envs: []string{"HTTP_READ_TIMEOUT"}, def: "5m"},
	{name: "http.write_timeout", envs: []string{"HTTP_WRITE_TIMEOUT"}, def: "5m"},
	{name: "http.idle_timeout", envs: []string{"HTTP_IDLE_TIMEOUT"}, def: "2m"},
	{name: "http.shutdown_timeout", envs: []string{"SHUTDOWN_TIMEOUT"}, def: "25s"},
	// Loopback and the private ranges: the OpenShift/Kubernetes routers and
	// ingress controllers in front of the backend. Not "*" (upstream's
	// gunicorn default): believing every peer's X-Forwarded-For lets any
	// client pick the address the login throttle counts.
	{name: "http.trusted_proxies", envs: []string{"TRUSTED_PROXIES", "FORWARDED_ALLOW_IPS"}, def: DefaultTrustedProxies},

	{name: "database.url", envs: []string{"DATABASE_URL", "SQLALCHEMY_DATABASE_URI"}, def: "", secret: true},
	{name: "database.host", envs: []string{"POSTGRESQL_HOST", "POSTGRES_HOST"}, def: ""},
	{name: "database.port", envs: []string{"POSTGRESQL_PORT", "POSTGRES_PORT"}, def: "5432"},
	{name: "database.name", envs: []string{"POSTGRESQL_DATABASE", "POSTGRESQL_DB", "POSTGRES_DATABASE", "POSTGRES_DB"}, def: "ibutsu"},
	{name: "database.user", envs: []string{"POSTGRESQL_USER", "POSTGRES_USER"}, def: "ibutsu"},
	{name: "database.password", envs: []string{"POSTGRESQL_PASSWORD", "POSTGRES_PASSWORD"}, def: "", secret: true},
	{name: "database.sslmode", envs: []string{"POSTGRESQL_SSLMODE", "POSTGRES_SSLMODE"}, def: ""},
	{name: "database.max_open_conns", envs: []string{"DB_MAX_OPEN_CONNS"}, def: "20"},
	{name: "database.max_idle_conns", envs: []string{"DB_MAX_IDLE_CONNS"}, def: "20"},
	{name: "database.conn_max_lifetime", envs: []string{"DB_CONN_MAX_LIFETIME"}, def: "30m"},
	{name: "database.statement_timeout", envs: []string{"DB_STATEMENT_TIMEOUT"}, def: "25s"},
	{name: "database.migrate_on_start", envs: []string{"DB_MIGRATE_ON_START"}, def: "true"},
	{name: "database.sqlite_path", envs: []string{"SQLITE_PATH"}, def: ""},

	{name: "data_dir", envs: []string{"IBUTSU_DATA_DIR"}, def: "./var"},

	{name: "redis.url", envs: []string{"REDIS_URL", "CELERY_BROKER_URL"}, def: "", secret: true},

	{name: "jwt.secret", envs: []string{"JWT_SECRET"}, def: "", secret: true},
	{name: "jwt.issuer", envs: []string{"JWT_ISSUER"}, def: "org.ibutsu-project.server"},
	{name: "jwt.lifetime", envs: []string{"JWT_LIFETIME_SECONDS"}, def: "2592000"},

	{name: "frontend_url", envs: []string{"FRONTEND_URL"}, def: "http://127.0.0.1:3000"},
	{name: "backend_url", envs: []string{"BACKEND_URL"}, def: ""}, // "" → http://127.0.0.1:PORT (setup.go)
	{name: "user_login_enabled", envs: []string{"USER_LOGIN_ENABLED"}, def: "true"},
	{name: "bcrypt_rounds", envs: []string{"BCRYPT_LOG_ROUNDS"}, def: "12"},

	{name: "superadmin.email", envs: []string{"IBUTSU_SUPERADMIN_EMAIL"}, def: ""},
	{name: "superadmin.password", envs: []string{"IBUTSU_SUPERADMIN_PASSWORD"}, def: "", secret: true},
	{name: "superadmin.name", envs: []string{"IBUTSU_SUPERADMIN_NAME"}, def: "Ibutsu Admin"},
	{name: "superadmin.own_project", envs: []string{"IBUTSU_SUPERADMIN_OWN_PROJECT"}, def: ""},

	{name: "login.max_failures_per_email", envs: []string{"LOGIN_MAX_FAILURES_PER_EMAIL"}, def: "10"},
	{name: "login.max_failures_per_ip", envs: []string{"LOGIN_MAX_FAILURES_PER_IP"}, def: "50"},
	{name: "login.failure_window", envs: []string{"LOGIN_FAILURE_WINDOW"}, def: "15m"},
	{name: "login.max_failures_per_account", envs: []string{"LOGIN_MAX_FAILURES_PER_ACCOUNT"}, def: "100"},
	{name: "login.max_delay", envs: []string{"LOGIN_MAX_DELAY"}, def: "10s"},
	{name: "login.code_lifetime", envs: []string{"LOGIN_CODE_LIFETIME"}, def: "24h"},

	{name: "log.format", envs: []string{"LOG_FORMAT"}, def: "auto"},
	{name: "log.level", envs: []string{"LOG_LEVEL"}, def: "info"},

	{name: "limits.artifact_max_bytes", envs: []string{"ARTIFACT_MAX_SIZE"}, def: "5242880"},
	{name: "limits.json_body_max_bytes", envs: []string{"JSON_BODY_MAX_SIZE"}, def: "16777216"},
	{name: "limits.max_page_size", envs: []string{"MAX_PAGE_SIZE"}, def: "500"},
	{name: "limits.count_estimate_threshold", envs: []string{"COUNT_ESTIMATE_LIMIT"}, def: "1000"},
	{name: "limits.import_max_bytes", envs: []string{"IMPORT_MAX_SIZE"}, def: "536870912"},
	{name: "limits.archive_max_bytes", envs: []string{"IMPORT_ARCHIVE_MAX_BYTES"}, def: "4294967296"},
	{name: "limits.archive_max_entries", envs: []string{"IMPORT_ARCHIVE_MAX_ENTRIES"}, def: "200000"},
	{name: "limits.expensive_filter_timeout", envs: []string{"EXPENSIVE_FILTER_TIMEOUT"}, def: "5s"},
	{name: "limits.expensive_filters_per_user", envs: []string{"EXPENSIVE_FILTERS_PER_USER"}, def: "2"},
	{name: "limits.expensive_filters_total", envs: []string{"EXPENSIVE_FILTERS_TOTAL"}, def: "4"},

	{name: "tasks.concurrency", envs: []string{"WORKER_CONCURRENCY", "CELERY_WORKER_CONCURRENCY"}, def: "4"},
	{name: "tasks.result_retention", envs: []string{"TASK_RESULT_RETENTION", "CELERY_RESULT_EXPIRES"}, def: "24h"},
	{name: "tasks.queue", envs: []string{"TASK_QUEUE"}, def: "default"},

	{name: "live.quiet_period", envs: []string{"LIVE_QUIET_PERIOD"}, def: "30m"},
	{name: "live.heartbeat", envs: []string{"LIVE_HEARTBEAT"}, def: "15s"},
	{name: "live.client_buffer", envs: []string{"LIVE_CLIENT_BUFFER"}, def: "256"},
	{name: "live.backlog", envs: []string{"LIVE_BACKLOG"}, def: "500"},
	{name: "live.ticket_lifetime", envs: []string{"LIVE_TICKET_LIFETIME"}, def: "60s"},
	{name: "live.streams_per_user", envs: []string{"LIVE_STREAMS_PER_USER"}, def: "20"},
	{name: "live.streams_total", envs: []string{"LIVE_STREAMS_TOTAL"}, def: "2000"},

	{name: "worker.health_port", envs: []string{"WORKER_HEALTH_PORT"}, def: "8082"},
	{name: "scheduler.health_port", envs: []string{"SCHEDULER_HEALTH_PORT"}, def: "8083"},
	{name: "monitor.port", envs: []string{"MONITOR_PORT"}, def: "8081"},
	{name: "monitor.basic_auth", envs: []string{"MONITOR_BASIC_AUTH", "FLOWER_BASIC_AUTH"}, def: "", secret: true},

	// Widgets: upstream's hard caps (constants.py), tunable per deployment.
	{name: "webhooks.allow", envs: []string{"WEBHOOK_ALLOW"}, def: ""},
	{name: "webhooks.timeout", envs: []string{"WEBHOOK_TIMEOUT"}, def: "10s"},
	{name: "webhooks.max_response_bytes", envs: []string{"WEBHOOK_MAX_RESPONSE_BYTES"}, def: "65536"},
	{name: "webhooks.backoff_base", envs: []string{"WEBHOOK_BACKOFF_BASE"}, def: "10s"},
	{name: "webhooks.backoff_max", envs: []string{"WEBHOOK_BACKOFF_MAX"}, def: "1h"},
	{name: "webhooks.max_attempts", envs: []string{"WEBHOOK_MAX_ATTEMPTS"}, def: "30"},
	{name: "webhooks.base_url", envs: []string{"WEBHOOK_BASE_URL"}, def: ""},
	{name: "webhooks.concurrency", envs: []string{"WEBHOOK_CONCURRENCY"}, def: "2"},
	{name: "webhooks.keep_deliveries", envs: []string{"WEBHOOK_KEEP_DELIVERIES"}, def: "200"},
	{name: "webhooks.keep_deliveries_for", envs: []string{"WEBHOOK_KEEP_DELIVERIES_FOR"}, def: "720h"},
	{name: "webhooks.test_interval", envs: []string{"WEBHOOK_TEST_INTERVAL"}, def: "10s"},
	{name: "widgets.heatmap_max_builds", envs: []string{"WIDGET_HEATMAP_MAX_BUILDS"}, def: "40"},
	{name: "widgets.barchart_max_builds", envs: []string{"WIDGET_BARCHART_MAX_BUILDS"}, def: "150"},
	{name: "widgets.heatmap_run_limit", envs: []string{"WIDGET_HEATMAP_RUN_LIMIT"}, def: "3000"},
	{name: "widgets.job_view_run_limit", envs: []string{"WIDGET_JJV_RUN_LIMIT"}, def: "8000"},
	{name: "widgets.filter_mode_limit", envs: []string{"WIDGET_FILTER_MODE_LIMIT"}, def: "200"},
	{name: "widgets.run_matrix_max_runs", envs: []string{"WIDGET_RUN_MATRIX_MAX_RUNS"}, def: "100"},

	// Periodic schedule (upstream's Celery beat table): a UTC cron spec (or
	// "@every <duration>") and an on/off switch per entry.
	{name: "schedule.prune_old_import_files.spec", envs: []string{"SCHEDULE_PRUNE_OLD_IMPORT_FILES"}, def: "0 2 * * *"},
	{name: "schedule.prune_old_import_files.enabled", envs: []string{"SCHEDULE_PRUNE_OLD_IMPORT_FILES_ENABLED"}, def: "true"},
	{name: "schedule.prune_old_artifact_files.spec", envs: []string{"SCHEDULE_PRUNE_OLD_ARTIFACT_FILES"}, def: "0 4 * * 6"},
	{name: "schedule.prune_old_artifact_files.enabled", envs: []string{"SCHEDULE_PRUNE_OLD_ARTIFACT_FILES_ENABLED"}, def: "true"},
	{name: "schedule.prune_old_results.spec", envs: []string{"SCHEDULE_PRUNE_OLD_RESULTS"}, def: "0 5 * * 6"},
	{name: "schedule.prune_old_results.enabled", envs: []string{"SCHEDULE_PRUNE_OLD_RESULTS_ENABLED"}, def: "true"},
	{name: "schedule.prune_old_runs.spec", envs: []string{"SCHEDULE_PRUNE_OLD_RUNS"}, def: "0 6 * * 6"},
	{name: "schedule.prune_old_runs.enabled", envs: []string{"SCHEDULE_PRUNE_OLD_RUNS_ENABLED"}, def: "true"},
	{name: "schedule.sync_aborted_runs.spec", envs: []string{"SCHEDULE_SYNC_ABORTED_RUNS"}, def: "@every 30m"},
	{name: "schedule.sync_aborted_runs.enabled", envs: []string{"SCHEDULE_SYNC_ABORTED_RUNS_ENABLED"}, def: "true"},
	{name: "schedule.compact_result_counts.spec", envs: []string{"SCHEDULE_COMPACT_RESULT_COUNTS"}, def: "@every 10m"},
	{name: "schedule.compact_result_counts.enabled", envs: []string{"SCHEDULE_COMPACT_RESULT_COUNTS_ENABLED"}, def: "true"},
	{name: "schedule.repair_stuck_imports.spec", envs: []string{"SCHEDULE_REPAIR_STUCK_IMPORTS"}, def: "@every 15m"},
	{name: "schedule.repair_stuck_imports.enabled", envs: []string{"SCHEDULE_REPAIR_STUCK_IMPORTS_ENABLED"}, def: "true"},
	{name: "schedule.fingerprint_backfill.spec", envs: []string{"SCHEDULE_FINGERPRINT_BACKFILL"}, def: "@every 1h"},
	{name: "schedule.fingerprint_backfill.enabled", envs: []string{"SCHEDULE_FINGERPRINT_BACKFILL_ENABLED"}, def: "true"},
	{name: "schedule.webhook_sweep.spec", envs: []string{"SCHEDULE_WEBHOOK_SWEEP"}, def: "@every 1m"},
	{name: "schedule.webhook_sweep.enabled", envs: []string{"SCHEDULE_WEBHOOK_SWEEP_ENABLED"}, def: "true"},
	{name: "schedule.webhook_prune.spec", envs: []string{"SCHEDULE_WEBHOOK_PRUNE"}, def: "@every 1h"},
	{name: "schedule.webhook_prune.enabled", envs: []string{"SCHEDULE_WEBHOOK_PRUNE_ENABLED"}, def: "true"},
	{name: "schedule.finish_quiet_runs.spec", envs: []string{"SCHEDULE_FINISH_QUIET_RUNS"}, def: "@every 1m"},
	{name: "schedule.finish_quiet_runs.enabled", envs: []string{"SCHEDULE_FINISH_QUIET_RUNS_ENABLED"}, def: "true"},
	{name: "schedule.flaky_refresh.spec", envs: []string{"SCHEDULE_FLAKY_REFRESH"}, def: "@every 30m"},
	{name: "schedule.flaky_refresh.enabled", envs: []string{"SCHEDULE_FLAKY_REFRESH_ENABLED"}, def: "true"},
	{name: "schedule.artifact_objects.spec", envs: []string{"SCHEDULE_ARTIFACT_OBJECTS"}, def: "@every 15m"},
	{name: "schedule.artifact_objects.enabled", envs: []string{"SCHEDULE_ARTIFACT_OBJECTS_ENABLED"}, def: "true"},
	{name: "schedule.s3_watch.spec", envs: []string{"SCHEDULE_S3_WATCH"}, def: "@every 1m"},
	{name: "schedule.s3_watch.enabled", envs: []string{"SCHEDULE_S3_WATCH_ENABLED"}, def: "true"},

	// Accounts: e-mail for registration and recovery, external login providers.
	{name: "mail.server", envs: []string{"MAIL_SERVER"}, def: ""},
	{name: "mail.port", envs: []string{"MAIL_PORT"}, def: "25"},
	{name: "mail.username", envs: []string{"MAIL_USERNAME"}, def: ""},
	{name: "mail.password", envs: []string{"MAIL_PASSWORD"}, def: "", secret: true},
	{name: "mail.use_tls", envs: []string{"MAIL_USE_TLS"}, def: "false"},
	{name: "mail.use_ssl", envs: []string{"MAIL_USE_SSL"}, def: "false"},
	{name: "mail.default_sender", envs: []string{"MAIL_DEFAULT_SENDER"}, def: "ibutsu@localhost"},
	{name: "mail.timeout", envs: []string{"MAIL_TIMEOUT"}, def: "30s"},
	{name: "oauth.google.client_id", envs: []string{"GOOGLE_CLIENT_ID"}, def: ""},
	{name: "oauth.google.client_secret", envs: []string{"GOOGLE_CLIENT_SECRET"}, def: "", secret: true},
	{name: "oauth.google.base_url", envs: []string{"GOOGLE_BASE_URL"}, def: ""},
	{name: "oauth.google.auth_url", envs: []string{"GOOGLE_AUTH_URL"}, def: ""},
	{name: "oauth.google.token_url", envs: []string{"GOOGLE_TOKEN_URL"}, def: ""},
	{name: "oauth.google.user_url", envs: []string{"GOOGLE_USER_URL"}, def: ""},
	{name: "oauth.google.certs_url", envs: []string{"GOOGLE_CERTS_URL"}, def: "https://www.googleapis.com/oauth2/v3/certs"},
	{name: "oauth.github.client_id", envs: []string{"GITHUB_CLIENT_ID"}, def: ""},
	{name: "oauth.github.client_secret", envs: []string{"GITHUB_CLIENT_SECRET"}, def: "", secret: true},
	{name: "oauth.github.base_url", envs: []string{"GITHUB_BASE_URL"}, def: ""},
	{name: "oauth.github.auth_url", envs: []string{"GITHUB_AUTH_URL"}, def: ""},
	{name: "oauth.github.token_url", envs: []string{"GITHUB_TOKEN_URL"}, def: ""},
	{name: "oauth.github.user_url", envs: []string{"GITHUB_USER_URL"}, def: ""},
	{name: "oauth.github.email_url", envs: []string{"GITHUB_EMAIL_URL"}, def: ""},
	{name: "oauth.gitlab.client_id", envs: []string{"GITLAB_CLIENT_ID"}, def: ""},
	{name: "oauth.gitlab.client_secret", envs: []string{"GITLAB_CLIENT_SECRET"}, def: "", secret: true},
	{name: "oauth.gitlab.base_url", envs: []string{"GITLAB_BASE_URL"}, def: "https://gitlab.com"},
	{name: "oauth.gitlab.auth_url", envs: []string{"GITLAB_AUTH_URL"}, def: ""},
	{name: "oauth.gitlab.token_url", envs: []string{"GITLAB_TOKEN_URL"}, def: ""},
	{name: "oauth.gitlab.user_url", envs: []string{"GITLAB_USER_URL"}, def: ""},
	{name: "oauth.facebook.app_id", envs: []string{"FACEBOOK_APP_ID"}, def: ""},
	{name: "oauth.keycloak.client_id", envs: []string{"KEYCLOAK_CLIENT_ID"}, def: ""},
	{name: "oauth.keycloak.client_secret", envs: []string{"KEYCLOAK_CLIENT_SECRET"}, def: "", secret: true},
	{name: "oauth.keycloak.base_url", envs: []string{"KEYCLOAK_BASE_URL"}, def: ""},
	{name: "oauth.keycloak.auth_path", envs: []string{"KEYCLOAK_AUTH_PATH"}, def: ""},
	{name: "oauth.keycloak.realm", envs: []string{"KEYCLOAK_REALM"}, def: ""},
	{name: "oauth.keycloak.icon", envs: []string{"KEYCLOAK_ICON"}, def: ""},
	{name: "oauth.keycloak.name", envs: []string{"KEYCLOAK_NAME"}, def: ""},
	{name: "oauth.keycloak.verify_ssl", envs: []string{"KEYCLOAK_VERIFY_SSL"}, def: ""},
	{name: "oauth.oidc.issuer_url", envs: []string{"OIDC_ISSUER_URL"}, def: ""},
	{name: "oauth.oidc.client_id", envs: []string{"OIDC_CLIENT_ID"}, def: ""},
	{name: "oauth.oidc.client_secret", envs: []string{"OIDC_CLIENT_SECRET"}, def: "", secret: true},
	{name: "oauth.oidc.scopes", envs: []string{"OIDC_SCOPES"}, def: "openid email profile"},
	{name: "oauth.oidc.name", envs: []string{"OIDC_NAME"}, def: ""},
	{name: "oauth.http_timeout", envs: []string{"OAUTH_HTTP_TIMEOUT"}, def: "30s"},

	// The object store for artifacts and the S3 watcher (objstore.go).
	{name: "object_store.endpoint", envs: []string{"OBJECT_STORE_ENDPOINT", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"}, def: ""},
	{name: "object_store.bucket", envs: []string{"OBJECT_STORE_BUCKET"}, def: ""},
	{name: "object_store.region", envs: []string{"OBJECT_STORE_REGION", "AWS_REGION", "AWS_DEFAULT_REGION"}, def: "us-east-1"},
	{name: "object_store.access_key", envs: []string{"OBJECT_STORE_ACCESS_KEY", "AWS_ACCESS_KEY_ID"}, def: "", secret: true},
	{name: "object_store.secret_key", envs: []string{"OBJECT_STORE_SECRET_KEY", "AWS_SECRET_ACCESS_KEY"}, def: "", secret: true},
	{name: "object_store.session_token", envs: []string{"AWS_SESSION_TOKEN"}, def: "", secret: true},
	{name: "object_store.path_style", envs: []string{"OBJECT_STORE_PATH_STYLE"}, def: "false"},
	{name: "object_store.prefix", envs: []string{"OBJECT_STORE_PREFIX"}, def: "artifacts/"},
	{name: "object_store.threshold_bytes", envs: []string{"OBJECT_STORE_THRESHOLD"}, def: "0"},
	{name: "object_store.redirect", envs: []string{"OBJECT_STORE_REDIRECT"}, def: "false"},
	{name: "object_store.redirect_lifetime", envs: []string{"OBJECT_STORE_REDIRECT_LIFETIME"}, def: "5m"},
	{name: "object_store.watch", envs: []string{"S3_WATCH"}, def: ""},
}
