package artifact

import (
	"errors"

	"github.com/ibutsu-go/ibutsu/pkg/platform/apperr"
	"github.com/ibutsu-go/ibutsu/pkg/platform/objstore"
)

// unavailable turns a failure of the object store itself (down,
// unreachable, its bucket gone: objstore.ErrUnavailable) into a 503
// problem that says so, instead of an opaque 500. The cause (bucket,
// endpoint, the store's answer) is logged here, since the response does
// not carry it and WriteError logs no apperr error. A missing object
// (objstore.ErrNotFound) and any other error pass unchanged.
func (o *Objects) unavailable(err error) error {
	if o == nil || !errors.Is(err, objstore.ErrUnavailable) {
		return err
	}
	o.log.Warn("object store unavailable", "bucket", o.s.Name(), "endpoint", o.s.Endpoint(), "error", err)
	return apperr.Unavailable("The object store is unavailable at the moment; retry shortly.").AsProblem()
}
