package token

// CreateRequest is the body of POST /user/token: both keys are required by
// the schema; Expires is nil when the client sent null.
type CreateRequest struct {
	Name    string
	Expires *string
}
