package importer

import (
	"github.com/ibutsu-go/ibutsu/pkg/importer/ctrf"
	"github.com/ibutsu-go/ibutsu/pkg/importer/gotest"
	"github.com/ibutsu-go/ibutsu/pkg/importer/tap"
)

// registry lists every format POST /api/import reads, in detection order
// (docs/architecture.md, "Add an import format"; docs/importing.md).
var registry = []Format{
	{Name: FormatJUnit, Title: "JUnit XML", Detect: detectJUnit, task: TypeJUnitImport},
	{Name: FormatArchive, Title: "Ibutsu archive (.tar.gz)", Detect: detectArchive, task: TypeArchiveImport},
	// Formats read through the neutral path (service_cases.go) follow:
	// {Name: ..., Title: ..., Detect: pkg.Detect, Parse: pkg.Parse, task: TypeImport},
	{Name: "gotest", Title: "go test -json", Detect: gotest.Detect, Parse: gotest.Parse, task: TypeImport},
	{Name: "tap", Title: "TAP (Test Anything Protocol)", Detect: tap.Detect, Parse: tap.Parse, task: TypeImport},
	{Name: "ctrf", Title: "CTRF JSON", Detect: ctrf.Detect, Parse: ctrf.Parse, task: TypeImport},
	{Name: FormatNUnit, Title: "NUnit 3 XML", Detect: detectXMLRoot("test-run"), Parse: parseNUnit, task: TypeImport},
	{Name: FormatXUnit, Title: "xUnit.net v2 XML", Detect: detectXMLRoot("assemblies", "assembly"), Parse: parseXUnit, task: TypeImport},
	{Name: FormatTRX, Title: "TRX (Visual Studio, dotnet test)", Detect: detectXMLRoot("TestRun"), ParseReopen: parseTRX, task: TypeImport},
	{Name: FormatCucumber, Title: "Cucumber JSON", Detect: detectCucumber, ParseReopen: parseCucumber, task: TypeImport},
	{Name: FormatPlaywright, Title: "Playwright JSON", Detect: detectPlaywright, Parse: parsePlaywright, task: TypeImport},
	{Name: FormatAllure, Title: "Allure results (.tar.gz)", Detect: detectAllure, ParseReopen: parseAllure, task: TypeImport},
}
