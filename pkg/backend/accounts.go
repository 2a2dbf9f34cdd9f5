package backend

import (
	"context"

	"github.com/gin-gonic/gin"

	"github.com/ibutsu-go/ibutsu/pkg/admin"
	"github.com/ibutsu-go/ibutsu/pkg/login"
	"github.com/ibutsu-go/ibutsu/pkg/mail"
	"github.com/ibutsu-go/ibutsu/pkg/platform/queue"
	"github.com/ibutsu-go/ibutsu/pkg/token"
	"github.com/ibutsu-go/ibutsu/pkg/user"
)

// registerAccounts mounts the account routes: login, registration and
// OAuth on the public group; the caller's account, API tokens and the
// admin routes on the authenticated one.
func registerAccounts(a *App, pub, api gin.IRouter) error {
	cfg, lim := a.Config, a.Config.Limits
	tokens := token.NewStore(a.DB)
	// With Redis, failed logins are counted there, so every replica
	// enforces one shared limit.
	var throttle login.Throttle
	if rq, ok := a.Queue.(*queue.RedisQueue); ok && rq.Client() != nil {
		throttle = login.NewRedisThrottle(rq.Client(), cfg.Tasks.Queue, cfg.LoginThrottle.Window, a.Log)
	}
	lh, err := login.NewHandler(cfg, a.Users, tokens, a.Signer, a.Services.AccountMail, throttle, a.Log)
	if err != nil {
		return err
	}
	lh.Register(pub)
	user.NewHandler(a.Users, a.Log, lim.JSONBodyMaxBytes, cfg.BcryptRounds).Register(api)
	token.NewHandler(tokens, a.Signer, a.Log, lim.JSONBodyMaxBytes).Register(api)
	admin.NewUsers(a.DB, a.Users, a.Services.Projects, a.Log, lim.JSONBodyMaxBytes, cfg.BcryptRounds).Register(api)
	admin.NewProjects(a.DB, a.Services.Projects, a.Log, lim.JSONBodyMaxBytes).Register(api)
	return nil
}

// appMailer sends through whatever App.Mailer holds at send time, so tests
// can swap in a recorder after the app is built; the account-mail task
// sends through it.
type appMailer struct{ a *App }

func (m appMailer) Send(ctx context.Context, msg mail.Message) error {
	return m.a.Mailer.Send(ctx, msg)
}
