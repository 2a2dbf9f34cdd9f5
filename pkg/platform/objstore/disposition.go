package objstore

import "mime"

// contentDisposition is an attachment header naming filename.
func contentDisposition(filename string) string {
	return mime.FormatMediaType("attachment", map[string]string{"filename": filename})
}
