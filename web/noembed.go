//go:build !embedui

package web

import "io/fs"

// Dist returns nil: this binary was built without the `embedui` tag.
func Dist() fs.FS { return nil }
