package login

import (
	"fmt"
)

// failure is a provider login that did not complete. Reason is what the
// person reads on the login page; Cause (provider answers, e-mail
// addresses, token errors) goes to the log only.
type failure struct {
	Reason string
	Cause  error
}

func (f *failure) Error() string { return f.Reason + ": " + f.Cause.Error() }
func (f *failure) Unwrap() error { return f.Cause }

// failf builds a failure with a readable reason and a logged cause.
func failf(reason, format string, args ...any) error {
	return &failure{Reason: reason, Cause: fmt.Errorf(format, args...)}
}

// Reasons shown on the login page; %s is the provider's label.
const (
	reasonState       = "The sign-in was not started from this browser or took too long. Please try again."
	reasonDenied      = "The sign-in was cancelled or refused at %s."
	reasonUnreachable = "%s could not be reached. Please try again later."
	reasonFailed      = "Signing in with %s failed. Please try again."
	reasonNoEmail     = "%s did not share an e-mail address with us."
	reasonUnverified  = "%s has not verified your e-mail address. Verify it there, then sign in again."
	reasonInactive    = "User account is inactive"
	reasonUnavailable = "This sign-in method is not available."
)
