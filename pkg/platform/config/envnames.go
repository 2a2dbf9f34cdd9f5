package config

// EnvNames lists every environment variable the configuration reads (each
// key's names, plus ConfigFileEnv), for checks such as the deployment-manifest
// tests in deploy/deploytest.
func EnvNames() []string {
	names := []string{ConfigFileEnv}
	for _, k := range keys {
		names = append(names, k.envs...)
	}
	return names
}
