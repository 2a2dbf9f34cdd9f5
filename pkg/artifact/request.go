package artifact

// ListRequest is GET /artifact's query: the page and the optional result or
// run the artifacts must hang on (checked to be UUIDs, kept as sent).
type ListRequest struct {
	Page, PageSize int
	ResultID       *string
	RunID          *string
}

// UploadRequest is a read POST /artifact form. Fields the client left out
// or sent empty are nil; ResultID and RunID are the raw references (their
// UUID check is a rule with its own message, applied in order).
type UploadRequest struct {
	HasFile  bool
	TooLarge bool
	File     []byte
	ResultID *string
	RunID    *string
	Filename *string
	// size is the byte count of a file still to arrive (Prepare), when
	// File is not read yet.
	size int64
}
