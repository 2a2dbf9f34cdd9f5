package importer

import (
	"io"
	"strings"

	"github.com/ibutsu-go/ibutsu/pkg/importer/ingest"
)

// TypeImport is the task of every format read through the format-neutral
// path (the format's name is in the import's data); JUnit and Ibutsu
// archives keep upstream's task names.
const TypeImport = "importers.run_import"

// formatKey is the import data key naming the detected format.
const formatKey = "format"

// Format is one kind of report POST /api/import reads. A format read
// through the neutral path sets Parse and task TypeImport; the two
// upstream formats keep their own importers and task types.
type Format struct {
	// Name is the format's stable id (the import's metadata.format and
	// GET /api/import/formats).
	Name string
	// Title is what the UI shows.
	Title string
	// Detect says from the file's first bytes whether it is this format.
	Detect func(h *ingest.Head) ingest.Match
	// Parse reads the file as a stream and hands its cases to the sink.
	Parse func(r io.Reader, sink ingest.Sink, opt ingest.Options) error
	// ParseReopen is Parse for a format that may need to read the file
	// more than once (TRX with its definitions after the results, Cucumber
	// with a feature's name after its scenarios, Allure with attachments
	// anywhere in the archive): open starts a new read from the first byte.
	ParseReopen func(open func() (io.Reader, error), sink ingest.Sink, opt ingest.Options) error

	task string
}

// FormatInfo is a format as GET /api/import/formats lists it.
type FormatInfo struct {
	Name  string `json:"name"`
	Title string `json:"title"`
}

// Formats lists the formats in detection order.
func Formats() []FormatInfo {
	out := make([]FormatInfo, len(registry))
	for i, f := range registry {
		out[i] = FormatInfo{Name: f.Name, Title: f.Title}
	}
	return out
}

func formatTitles() string {
	t := make([]string, len(registry))
	for i, f := range registry {
		t[i] = f.Title
	}
	return strings.Join(t, ", ")
}

// formatByName finds a registered format.
func formatByName(name string) *Format {
	for i := range registry {
		if registry[i].Name == name {
			return &registry[i]
		}
	}
	return nil
}

// detect picks the format of a file from its head: the strongest match,
// the first registered among equals. Only when nothing matches do
// upstream's two file-name suffixes count (.xml → JUnit, .tar.gz → Ibutsu
// archive), so an upstream client's broken file still ends as a failed
// import with the parser's message instead of a 415.
func detect(h *ingest.Head, filename string) *Format {
	var best *Format
	bestM := ingest.No
	for i := range registry {
		if m := registry[i].Detect(h); m > bestM {
			best, bestM = &registry[i], m
		}
	}
	if best != nil {
		return best
	}
	switch {
	case strings.HasSuffix(filename, ".xml"):
		return formatByName(FormatJUnit)
	case strings.HasSuffix(filename, ".tar.gz"):
		return formatByName(FormatArchive)
	}
	return nil
}

// Names of the upstream formats.
const (
	FormatJUnit   = "junit"
	FormatArchive = "ibutsu-archive"
)

func detectJUnit(h *ingest.Head) ingest.Match {
	switch root, _ := h.XMLRoot(); root {
	case "testsuites", "testsuite":
		return ingest.Sure
	}
	if h.LooksXML() {
		return ingest.Weak // the JUnit parser says what is wrong with it
	}
	return ingest.No
}

func detectArchive(h *ingest.Head) ingest.Match {
	if !h.Gzip() {
		return ingest.No
	}
	for _, n := range h.TarNames() {
		if strings.HasSuffix(n, "/run.json") || strings.HasSuffix(n, "/result.json") {
			return ingest.Sure
		}
	}
	return ingest.Weak
}
