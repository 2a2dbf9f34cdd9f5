package login

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/auth"
	"github.com/ibutsu-go/ibutsu/pkg/mail"
	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
	"github.com/ibutsu-go/ibutsu/pkg/platform/queue"
	"github.com/ibutsu-go/ibutsu/pkg/user"
)

// TypeAccountMail is the task that sends an activation or password-reset
// e-mail. The HTTP request only queues it, so a slow or unreachable SMTP
// server never holds up registration or recovery, and a failed delivery is
// retried.
const TypeAccountMail = "login.account_mail"

// MailKind says which account e-mail to send.
type MailKind string

// The account e-mails.
const (
	// MailActivation carries the link that activates a registered account.
	MailActivation MailKind = "activation"
	// MailRecovery carries the link to the frontend's reset-password page.
	MailRecovery MailKind = "recovery"
)

// kindPurpose is the code purpose each e-mail carries.
var kindPurpose = map[MailKind]user.CodePurpose{MailActivation: user.PurposeActivation, MailRecovery: user.PurposeReset}

// mailPayload is what the task carries: no address and no code, so neither
// Redis, the monitor UI nor a failure log ever holds the secret link. The
// handler reads the user's current e-mail and code when it runs.
type mailPayload struct {
	Kind   MailKind  `json:"kind"`
	UserID uuid.UUID `json:"user_id"`
}

// AccountMail queues and sends the account e-mails.
type AccountMail struct {
	users  *user.Store
	cfg    *config.Config
	mailer mail.Mailer
	log    *slog.Logger
	q      queue.Queue
}

// NewAccountMail builds the service; mailer delivers (SMTP, or the log
// without MAIL_SERVER) and q is the queue it enqueues into.
func NewAccountMail(users *user.Store, cfg *config.Config, mailer mail.Mailer, q queue.Queue, log *slog.Logger) *AccountMail {
	return &AccountMail{users: users, cfg: cfg, mailer: mailer, q: q, log: log}
}

// Register adds the task: a few retries with the queue's backoff (an SMTP
// server may be briefly down), each attempt bounded by the SMTP timeout.
func (m *AccountMail) Register(reg *queue.Registry) {
	timeout := m.cfg.Mail.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	// Durable: while Redis is unreachable the e-mail waits in the outbox
	// instead of being dropped.
	reg.Register(TypeAccountMail, m.handle, queue.MaxRetry(5), queue.Timeout(timeout+15*time.Second), queue.Retention(time.Hour), queue.Durable())
}

// Queue enqueues kind's e-mail to user id and returns at once.
func (m *AccountMail) Queue(ctx context.Context, kind MailKind, id uuid.UUID) error {
	if m.q == nil {
		return errors.New("account mail: no queue")
	}
	payload, err := json.Marshal(mailPayload{Kind: kind, UserID: id})
	if err != nil {
		return fmt.Errorf("account mail payload: %w", err)
	}
	if _, err := m.q.Enqueue(ctx, TypeAccountMail, payload); err != nil {
		return fmt.Errorf("queue %s e-mail: %w", kind, err)
	}
	return nil
}

// handle sends the e-mail with the user's current code. A user who is gone
// or whose code was used (or replaced and used) meanwhile gets nothing: the
// link would not work. Delivery errors are returned for a retry.
func (m *AccountMail) handle(ctx context.Context, payload []byte) ([]byte, error) {
	var p mailPayload
	if err := queue.DecodePayload("account mail", payload, &p); err != nil {
		return nil, err
	}
	msg, ok, err := m.message(ctx, p)
	if err != nil || !ok {
		return nil, err
	}
	if err := m.mailer.Send(ctx, msg); err != nil {
		return nil, fmt.Errorf("send %s e-mail to user %s: %w", p.Kind, p.UserID, err)
	}
	m.log.InfoContext(ctx, "account e-mail sent", "kind", string(p.Kind), "user_id", p.UserID.String())
	return json.Marshal("sent")
}

// message builds the e-mail, or reports there is none to send.
func (m *AccountMail) message(ctx context.Context, p mailPayload) (mail.Message, bool, error) {
	u, err := m.users.ByID(ctx, p.UserID)
	if errors.Is(err, auth.ErrUserNotFound) {
		m.log.InfoContext(ctx, "account e-mail skipped: user gone", "kind", string(p.Kind), "user_id", p.UserID.String())
		return mail.Message{}, false, nil
	}
	if err != nil {
		return mail.Message{}, false, err
	}
	if u.ActivationCode == nil || *u.ActivationCode == "" {
		m.log.InfoContext(ctx, "account e-mail skipped: code already used", "kind", string(p.Kind), "user_id", p.UserID.String())
		return mail.Message{}, false, nil
	}
	// The link must carry a code of the e-mail's own purpose: a reset code
	// in an activation e-mail would not work (and the other way round), so
	// an e-mail whose code was replaced by one of the other kind is skipped.
	purpose, err := m.users.CodePurposeOf(ctx, u)
	if err != nil {
		return mail.Message{}, false, err
	}
	if want := kindPurpose[p.Kind]; purpose != want {
		m.log.InfoContext(ctx, "account e-mail skipped: the account's code is for another purpose", "kind", string(p.Kind), "user_id", p.UserID.String())
		return mail.Message{}, false, nil
	}
	code := *u.ActivationCode
	switch p.Kind {
	case MailActivation:
		link := apiBase(m.cfg.BackendURL) + "/login/activate/" + code
		return mail.Message{To: []string{u.Email}, Subject: "[Ibutsu] Registration Confirmation", Body: strings.Replace(activationMail, "%s", link, 1)}, true, nil
	case MailRecovery:
		link := m.cfg.FrontendURL + "/reset-password/" + code
		return mail.Message{To: []string{u.Email}, Subject: "[Ibutsu] Password Recovery", Body: strings.Replace(recoveryMail, "%s", link, 1)}, true, nil
	}
	return mail.Message{}, false, fmt.Errorf("account mail kind %q: %w", p.Kind, queue.ErrSkipRetry)
}

const activationMail = `Thank you for registering!

To activate your account, please click on the link below:

    %s

Ibutsu
`

const recoveryMail = `Somebody (hopefully you) asked to reset the password of your Ibutsu account.

To choose a new password, please click on the link below:

    %s

If you did not ask for this, you can ignore this e-mail: your password stays unchanged.

Ibutsu
`
