package backend

import (
	"log/slog"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/ibutsu-go/ibutsu/pkg/artifact"
	"github.com/ibutsu-go/ibutsu/pkg/auth"
	"github.com/ibutsu-go/ibutsu/pkg/classify"
	"github.com/ibutsu-go/ibutsu/pkg/cluster"
	"github.com/ibutsu-go/ibutsu/pkg/dashboard"
	"github.com/ibutsu-go/ibutsu/pkg/filter"
	"github.com/ibutsu-go/ibutsu/pkg/flaky"
	"github.com/ibutsu-go/ibutsu/pkg/group"
	"github.com/ibutsu-go/ibutsu/pkg/importer"
	"github.com/ibutsu-go/ibutsu/pkg/live"
	"github.com/ibutsu-go/ibutsu/pkg/openapi"
	"github.com/ibutsu-go/ibutsu/pkg/platform/costly"
	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
	"github.com/ibutsu-go/ibutsu/pkg/project"
	"github.com/ibutsu-go/ibutsu/pkg/quarantine"
	"github.com/ibutsu-go/ibutsu/pkg/query"
	"github.com/ibutsu-go/ibutsu/pkg/result"
	"github.com/ibutsu-go/ibutsu/pkg/run"
	"github.com/ibutsu-go/ibutsu/pkg/webhook"
	"github.com/ibutsu-go/ibutsu/pkg/webui"
	"github.com/ibutsu-go/ibutsu/pkg/widget"
	"github.com/ibutsu-go/ibutsu/pkg/widgetconfig"
)

// newRouter lays out every route in one place.
func newRouter(a *App, accessLog *slog.Logger) (*gin.Engine, error) {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.RedirectTrailingSlash = false // upstream is strict: /api/result/ is a 404
	r.RedirectFixedPath = false
	r.HandleMethodNotAllowed = true
	r.ForwardedByClientIP = true
	r.RemoteIPHeaders = []string{"X-Forwarded-For", "X-Real-IP"}
	if err := r.SetTrustedProxies(trustedProxies(a.Config.HTTP.TrustedProxies)); err != nil {
		return nil, err
	}
	r.Use(httpx.SecurityHeaders())
	r.Use(httpx.Recovery(a.Log), httpx.RequestIDs(), httpx.CORS(), a.Metrics.Middleware())
	r.Use(httpx.RejectNULQuery())
	r.Use(httpx.AccessLog(accessLog))
	ui, err := uiHandler(a)
	if err != nil {
		return nil, err
	}
	r.NoRoute(func(c *gin.Context) {
		if ui != nil && webui.Serves(c.Request) {
			ui.ServeHTTP(c.Writer, c.Request)
			return
		}
		httpx.Problem(c, http.StatusNotFound, "The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.")
	})
	r.NoMethod(func(c *gin.Context) {
		httpx.Problem(c, http.StatusMethodNotAllowed, "The method is not allowed for the requested URL.")
	})

	if ui == nil {
		r.GET("/", rootPage)
	}
	r.GET("/metrics", a.Metrics.Handler())
	doc, err := openapi.Load(MountedAreas...)
	if err != nil {
		return nil, err
	}
	doc.Register(r)
	a.OpenAPI = doc

	authn := auth.NewAuthenticator(a.Signer, a.Users, a.Log)
	pub := r.Group("/api", invalidateAccounts(authn))
	pub.GET("/health", a.Health.Live)
	pub.GET("/health/ready", a.Health.Readiness)

	// The expensive-filter timeout only ever shortens the pool's.
	costlyTimeout := a.Config.Limits.ExpensiveFilterTimeout
	if st := a.Config.Database.StatementTimeout; st > 0 && (costlyTimeout <= 0 || st < costlyTimeout) {
		costlyTimeout = st
	}
	costlyGate := costly.NewGate(costly.Limits{Timeout: costlyTimeout,
		PerUser: a.Config.Limits.ExpensiveFiltersPerUser, Total: a.Config.Limits.ExpensiveFiltersTotal}, a.Log)
	api := r.Group("/api", authn.Require(), invalidateAccounts(authn), costlyGate.Middleware(userKey, expensiveFilters))
	api.GET("/health/database", a.Health.Database)
	api.GET("/health/info", a.Health.Info)

	svc, lim := a.Services, a.Config.Limits
	async := svc.Queries
	project.NewHandler(a.DB, svc.Projects, a.Log, lim.JSONBodyMaxBytes).Register(api)
	result.NewHandler(svc.Results, async, a.Log, lim.JSONBodyMaxBytes, lim.MaxPageSize, lim.CountEstimateThreshold).Register(api)
	run.NewHandler(svc.Runs, async, a.Log, lim.JSONBodyMaxBytes, lim.MaxPageSize, lim.CountEstimateThreshold).Register(api)
	cluster.NewHandler(cluster.NewService(a.DB, svc.Runs), a.Log).Register(api)
	webhook.NewHandler(svc.Webhooks, a.Log, lim.JSONBodyMaxBytes).Register(api)
	quarantine.NewHandler(svc.Quarantine, a.Log, lim.JSONBodyMaxBytes).Register(api)
	flaky.NewHandler(svc.Flaky, a.Log, lim.JSONBodyMaxBytes, lim.MaxPageSize).Register(api)
	artifact.NewHandler(a.DB, svc.Projects, svc.Objects, a.Log, lim.ArtifactMaxBytes).Register(api)
	classify.NewHandler(classify.NewService(a.DB, svc.Results, svc.Projects), httpx.Failer{Log: a.Log}, lim.JSONBodyMaxBytes).Register(api)
	group.NewHandler(a.DB, a.Log, lim.JSONBodyMaxBytes).Register(api)
	query.NewHandler(svc.Queries, a.Log).Register(api)
	importer.NewHandler(svc.Imports, a.Log).Register(api)
	dashboard.NewHandler(a.DB, svc.Projects, a.Log, lim.JSONBodyMaxBytes).Register(api)
	widgetconfig.NewHandler(a.DB, svc.Projects, a.Log, lim.JSONBodyMaxBytes).Register(api)
	widget.NewHandler(a.DB, svc.Projects, a.Log, widget.WithLimits(a.Config.Widgets)).Register(api)
	a.Streams = live.NewSlots(a.Config.Live.StreamsPerUser, a.Config.Live.StreamsTotal)
	live.NewHandler(live.NewService(svc.Runs, svc.Projects, a.Signer, svc.Events, a.Config.Live.TicketLifetime),
		a.Log, a.Config.Live.Heartbeat, a.Streams).Register(pub, api, authn)
	if err := registerAccounts(a, pub, api); err != nil {
		return nil, err
	}
	return r, nil
}

// expensiveFilters tells the costly gate whether one filter parameter's
// values hold a filter no index serves.
func expensiveFilters(values []string) bool { return filter.Expensive(filter.Split(values)) }

// userKey names the authenticated caller for per-user limits.
func userKey(c *gin.Context) string {
	if u := auth.UserFrom(c.Request.Context()); u != nil {
		return u.ID.String()
	}
	return c.ClientIP()
}

// invalidateAccounts clears the authenticator's token cache after any
// successful write to accounts or tokens (/user*, /admin/user*, and the
// public password reset, which ends the user's login tokens), so a revoked
// token, a deactivated user or a replaced password is refused at once by
// this process.
func invalidateAccounts(authn *auth.Authenticator) gin.HandlerFunc {
	clearOnWrite := authn.InvalidateOnWrite()
	return func(c *gin.Context) {
		p := c.FullPath()
		if strings.HasPrefix(p, "/api/user") || strings.HasPrefix(p, "/api/admin/user") || p == "/api/login/reset-password" {
			clearOnWrite(c)
			return
		}
		c.Next()
	}
}

// MountedAreas are the OpenAPI fragments whose routes this router serves;
// the served document lists exactly these (a test checks both ways).
var MountedAreas = []string{
	openapi.AreaHealth, openapi.AreaResults, openapi.AreaRuns, openapi.AreaArtifacts, openapi.AreaProjects,
	openapi.AreaGroups, openapi.AreaTasks, openapi.AreaImports, openapi.AreaLogin, openapi.AreaUser, openapi.AreaAdmin,
	openapi.AreaDashboards, openapi.AreaWidgetConfigs, openapi.AreaWidgets, openapi.AreaWebhooks,
}

// trustedProxies maps "*" (upstream's forwarded_allow_ips default) to every
// address.
func trustedProxies(list []string) []string {
	for _, p := range list {
		if p == "*" {
			return []string{"0.0.0.0/0", "::/0"}
		}
	}
	return list
}

// uiHandler serves the App's web UI, or nil when the binary has none.
func uiHandler(a *App) (*webui.Handler, error) {
	if a.UI == nil {
		return nil, nil
	}
	return webui.New(a.UI)
}

// rootPage answers GET / with 200 when the binary carries no web UI: the
// liveness probe of upstream's templates hits it.
func rootPage(c *gin.Context) {
	c.Header("Content-Type", "text/html; charset=utf-8")
	c.String(http.StatusOK, `<!doctype html><html><head><title>Ibutsu</title></head><body><h1>Ibutsu</h1><p>The API is at <a href="/api/ui/">/api/ui/</a>.</p></body></html>`)
}
