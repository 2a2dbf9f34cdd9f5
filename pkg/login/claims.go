package login

import (
	"fmt"
	"strings"
)

// claimBool reads a boolean claim; some providers send "true" as a string.
// A missing or null claim leaves the pointer that holds it nil.
type claimBool bool

func (b *claimBool) UnmarshalJSON(d []byte) error {
	s := string(d)
	*b = claimBool(s == "true" || s == `"true"`)
	return nil
}

// emailClaims are the OpenID Connect claims that name the person.
type emailClaims struct {
	Email         string     `json:"email"`
	EmailVerified *claimBool `json:"email_verified"`
	Name          string     `json:"name"`
}

// identity is verified only when email_verified is present and true: a
// provider that says nothing about the address has not vouched for it.
func (c emailClaims) identity(s *flowSpec) (identity, error) {
	if !strings.Contains(c.Email, "@") {
		return identity{}, failf(fmt.Sprintf(reasonNoEmail, s.label), "no e-mail address in the claims")
	}
	return identity{Email: c.Email, Name: c.Name, EmailVerified: c.EmailVerified != nil && bool(*c.EmailVerified)}, nil
}
