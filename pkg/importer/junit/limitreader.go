package junit

import "io"

// LimitReader wraps r with the bounds of opt (see Options) for any XML
// format: text runs are cut at MaxText with the marker, a tag longer than
// MaxMarkup fails the read. With no bound set it returns r.
func LimitReader(r io.Reader, opt Options) io.Reader {
	if opt.MaxText <= 0 && opt.MaxMarkup <= 0 {
		return r
	}
	return newLimiter(r, opt)
}
