// Package version reports what build is running. Version and Commit are set
// at link time (-ldflags "-X .../version.Version=v1.2.3 -X .../version.Commit=abc").
package version

import "runtime/debug"

// Version and Commit are stamped by the build; they are the only
// package-level variables in the project because the linker needs them.
var (
	Version = "dev"
	Commit  = ""
)

// Info describes the running build.
type Info struct {
	Version string `json:"version"`
	Commit  string `json:"commit"`
}

// Get returns the stamped version, falling back to the VCS revision Go
// embeds in binaries built from a checkout.
func Get() Info {
	i := Info{Version: Version, Commit: Commit}
	if i.Commit == "" {
		if bi, ok := debug.ReadBuildInfo(); ok {
			for _, s := range bi.Settings {
				if s.Key == "vcs.revision" {
					i.Commit = s.Value
				}
			}
		}
	}
	return i
}

// String is the one-line form --version prints.
func (i Info) String() string {
	if i.Commit == "" {
		return i.Version
	}
	c := i.Commit
	if len(c) > 12 {
		c = c[:12]
	}
	return i.Version + " (" + c + ")"
}
