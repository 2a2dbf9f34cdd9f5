package config

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// Setting describes one configuration key for help texts: generated from
// the same table Load reads, so `--help` can never list a variable the
// binaries ignore or miss one they read.
type Setting struct {
	// Key is the name in the YAML file.
	Key string
	// Envs are the environment variables that set it, the first set one wins.
	Envs []string
	// Default is the built-in value ("" when none).
	Default string
	// Secret settings never show a default.
	Secret bool
}

// Settings lists every setting in the order of the key table.
func Settings() []Setting {
	out := make([]Setting, 0, len(keys))
	for _, k := range keys {
		def := fmt.Sprint(k.def)
		if k.secret {
			def = ""
		}
		if d, ok := derivedDefaults[k.name]; ok {
			def = d
		}
		out = append(out, Setting{Key: k.name, Envs: append([]string(nil), k.envs...), Default: def, Secret: k.secret})
	}
	return out
}

// WriteEnvHelp prints the environment variables the configuration reads,
// one setting a line: its variables, its YAML key and its default.
func WriteEnvHelp(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	_, _ = fmt.Fprintf(tw, "  %s\t(a YAML file with the keys below; --config wins over it)\n", ConfigFileEnv)
	for _, s := range Settings() {
		def := s.Default
		switch {
		case s.Secret:
			def = "secret"
		case def == "":
			def = "unset"
		default:
			def = "default " + def
		}
		_, _ = fmt.Fprintf(tw, "  %s\t%s (%s)\n", strings.Join(s.Envs, ", "), s.Key, def) // a failed write comes back from Flush
	}
	return tw.Flush()
}
