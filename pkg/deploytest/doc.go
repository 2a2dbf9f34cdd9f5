// Package deploytest holds no code: its tests read the container build files
// (../../Dockerfile.*), the deployment manifests (../../deploy/ocp-templates,
// ../../deploy/kubernetes) and ../../Makefile, and check them against what the
// binaries actually serve and read: probe paths and ports, environment
// variable names (config.EnvNames), image streams, the migration init
// container, the single scheduler replica, and the version ldflags.
package deploytest
