package bench

import (
	"io"

	"github.com/ibutsu-go/ibutsu/pkg/importer"
	"github.com/ibutsu-go/ibutsu/pkg/importer/ingest"
)

// viaImporter parses with a registered format's parser as the importer
// runs it (formats that read their file twice get the bytes again).
func viaImporter(format string) func(r io.Reader, sink ingest.Sink, opt ingest.Options) error {
	return func(r io.Reader, sink ingest.Sink, opt ingest.Options) error {
		b, err := io.ReadAll(r)
		if err != nil {
			return err
		}
		return importer.ParseReport(format, b, sink, opt)
	}
}
