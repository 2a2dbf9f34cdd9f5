package login

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
	"github.com/ibutsu-go/ibutsu/pkg/user"
)

func (h *Handler) register(c *gin.Context) {
	req, err := h.credentials(c)
	if err != nil {
		h.Fail(c, err)
		return
	}
	activation, err := h.svc.Register(c.Request.Context(), req.Email, req.Password, c.ClientIP())
	if err != nil {
		h.failAccount(c, err)
		return
	}
	httpx.JSON(c, http.StatusCreated, gin.H{"activation": activation})
}

// activate answers the e-mailed activation link by sending the browser to
// the UI's login page with the outcome.
func (h *Handler) activate(c *gin.Context) {
	loginURL := h.cfg.FrontendURL + "/login"
	err := h.svc.Activate(c.Request.Context(), c.Param("code"))
	if errors.Is(err, user.ErrCodeNotValid) {
		c.Redirect(http.StatusFound, loginURL+"?st=error&msg=Invalid+activation+code,+please+check+the+link+in+your+email.")
		return
	}
	if err != nil {
		h.Fail(c, err)
		return
	}
	c.Redirect(http.StatusFound, loginURL+"?st=success&msg=Account+activated,+please+log+in.")
}

// recoverRequest is the AccountRecovery body.
type recoverRequest struct{ Email string }

// decodeRecover reads an {email} body: a required string.
func (h *Handler) decodeRecover(c *gin.Context) (recoverRequest, error) {
	v, _, err := h.readStrings(c, "email")
	if err != nil {
		return recoverRequest{}, err
	}
	return recoverRequest{Email: v[0]}, nil
}

func (h *Handler) recover(c *gin.Context) {
	req, err := h.decodeRecover(c)
	if err != nil {
		h.Fail(c, err)
		return
	}
	if err := h.svc.Recover(c.Request.Context(), req.Email, c.ClientIP()); err != nil {
		h.failAccount(c, err)
		return
	}
	httpx.JSON(c, http.StatusCreated, gin.H{})
}

// resetRequest is the AccountReset body.
type resetRequest struct{ Code, Password string }

// decodeReset reads an {activation_code, password} body: required strings.
func (h *Handler) decodeReset(c *gin.Context) (resetRequest, error) {
	v, _, err := h.readStrings(c, "activation_code", "password")
	if err != nil {
		return resetRequest{}, err
	}
	return resetRequest{Code: v[0], Password: v[1]}, nil
}

func (h *Handler) resetPassword(c *gin.Context) {
	req, err := h.decodeReset(c)
	if err != nil {
		h.Fail(c, err)
		return
	}
	if err := h.svc.ResetPassword(c.Request.Context(), req.Code, req.Password, c.ClientIP()); err != nil {
		h.failAccount(c, err)
		return
	}
	httpx.JSON(c, http.StatusCreated, gin.H{})
}

// failAccount answers a refused sign-up, recovery or reset: a throttled one
// is a 429 with Retry-After, anything else as usual.
func (h *Handler) failAccount(c *gin.Context, err error) {
	var throttled *Throttled
	if errors.As(err, &throttled) {
		h.tooMany(c, throttled, "Too many account requests from this address, please try again later")
		return
	}
	h.Fail(c, err)
}
