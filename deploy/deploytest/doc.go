// Package deploytest holds no code: its tests read the container build files
// (../../Dockerfile.*, ../../.dockerignore), the deployment manifests
// (../ocp-templates, ../kubernetes), ../../Makefile and ../../go.work, and
// check them against what the binaries actually serve and read: probe paths
// and ports, environment variable names (config.EnvNames), image streams,
// the migration init container, the scheduler's gapless rollout, the version
// ldflags, and that every workspace module reaches the images' Go stage.
//
// It is a module of its own (in go.work) beside the manifests it checks,
// outside the production tree; `make test` runs it with the other packages.
package deploytest
