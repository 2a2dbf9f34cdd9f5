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
		h.fail(c, err)
		return
	}
	activation, err := h.svc.Register(c.Request.Context(), req.Email, req.Password)
	if err != nil {
		h.fail(c, err)
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
		h.fail(c, err)
		return
	}
	c.Redirect(http.StatusFound, loginURL+"?st=success&msg=Account+activated,+please+log+in.")
}

func (h *Handler) recover(c *gin.Context) {
	body, err := httpx.ReadJSONObject(c, h.maxBody)
	if err == nil {
		err = httpx.Required(body, "email")
	}
	if err == nil {
		err = httpx.Schema{"email": {Kind: httpx.String}}.Validate(body)
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	if err := h.svc.Recover(c.Request.Context(), body["email"].(string)); err != nil {
		h.fail(c, err)
		return
	}
	httpx.JSON(c, http.StatusCreated, gin.H{})
}

func (h *Handler) resetPassword(c *gin.Context) {
	body, err := httpx.ReadJSONObject(c, h.maxBody)
	if err == nil {
		err = httpx.Required(body, "activation_code", "password")
	}
	if err == nil {
		err = httpx.Schema{"activation_code": {Kind: httpx.String}, "password": {Kind: httpx.String}}.Validate(body)
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	if err := h.svc.ResetPassword(c.Request.Context(), body["activation_code"].(string), body["password"].(string)); err != nil {
		h.fail(c, err)
		return
	}
	httpx.JSON(c, http.StatusCreated, gin.H{})
}
