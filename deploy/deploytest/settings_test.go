package deploytest

import (
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
)

// scaleOutSetting reports whether a setting belongs to the object store,
// the S3 watcher, live updates or webhooks: the settings a multi-replica
// deployment tunes, which the manifests must offer.
func scaleOutSetting(s config.Setting) bool {
	env := s.Envs[0]
	for _, p := range []string{"OBJECT_STORE_", "S3_WATCH", "SCHEDULE_S3_WATCH", "SCHEDULE_ARTIFACT_OBJECTS", "LIVE_", "WEBHOOK_"} {
		if strings.HasPrefix(env, p) {
			return true
		}
	}
	return false
}

// credentialEnvs are the object store credentials the backend and the
// worker take from the operator's Secret. AWS_SESSION_TOKEN is left to the
// AWS chain: temporary credentials come from a pod role, not a Secret.
var credentialEnvs = []string{"OBJECT_STORE_ACCESS_KEY", "OBJECT_STORE_SECRET_KEY"}

// TestScaleOutSettingsAreOffered: every object store, S3 watcher, live and
// webhook setting is a key of ibutsu-config in both flavours — in the
// OpenShift template a parameter of the same name — except the
// credentials, which no ConfigMap may carry and which the backend and
// the worker read from a Secret.
func TestScaleOutSettingsAreOffered(t *testing.T) {
	ocp := loadOCP(t)
	for _, s := range sets(t) {
		cm := mapOf(s.find("ConfigMap", "ibutsu-config"), "data")
		n := 0
		for _, st := range config.Settings() {
			if !scaleOutSetting(st) {
				continue
			}
			env := st.Envs[0]
			if st.Secret {
				if _, ok := cm[env]; ok {
					t.Errorf("%s: secret setting %s is in the ConfigMap", s.flavour, env)
				}
				continue
			}
			n++
			v, ok := cm[env]
			if !ok {
				t.Errorf("%s: ibutsu-config lacks %s (%s)", s.flavour, env, st.Key)
				continue
			}
			if _, isString := v.(string); !isString {
				t.Errorf("%s: ibutsu-config %s is %T, ConfigMap values are strings", s.flavour, env, v)
			}
			if s.flavour == "ocp" {
				if v != "${"+env+"}" {
					t.Errorf("ocp: ibutsu-config %s = %v, want ${%s}", env, v, env)
				}
				if _, ok := ocp.params["config.yaml"][env]; !ok {
					t.Errorf("ocp: config.yaml has no parameter %s", env)
				}
			}
		}
		if n < 20 {
			t.Fatalf("only %d scale-out settings found; did config keys move?", n)
		}
		for _, d := range []string{"ibutsu-backend", "ibutsu-worker"} {
			c := container(podSpec(s.find("Deployment", d)), strings.TrimPrefix(d, "ibutsu-"))
			got := map[string]bool{}
			for _, e := range list(c, "env") {
				if ref := mapOf(e, "valueFrom", "secretKeyRef"); ref != nil && str(ref, "name") == "ibutsu-object-store" {
					got[str(e, "name")] = true
				}
			}
			for _, want := range credentialEnvs {
				if !got[want] {
					t.Errorf("%s: %s does not read %s from Secret ibutsu-object-store", s.flavour, d, want)
				}
			}
		}
	}
}

// TestConfigMapValuesAreStrings: Kubernetes refuses a ConfigMap whose
// data holds a number or a boolean.
func TestConfigMapValuesAreStrings(t *testing.T) {
	for _, s := range sets(t) {
		for _, cm := range s.byKind("ConfigMap") {
			for k, v := range mapOf(cm, "data") {
				if _, ok := v.(string); !ok {
					t.Errorf("%s: ConfigMap %s key %s is %T, want a string", s.flavour, name(cm), k, v)
				}
			}
		}
	}
}

// TestConfigMapDefaultsAreBuiltIns: the scale-out keys of ibutsu-config as
// shipped (the template's parameter defaults) load without error and give
// every setting the value the binaries have without them, so an operator
// who sets nothing gets the documented defaults — an empty value falls
// through to the AWS_* alternatives and the built-in default.
func TestConfigMapDefaultsAreBuiltIns(t *testing.T) {
	ocp := loadOCP(t)
	param := regexp.MustCompile(`^\$\{([A-Z0-9_]+)\}$`)
	for _, s := range sets(t) {
		data := map[string]string{}
		for _, st := range config.Settings() {
			if !scaleOutSetting(st) || st.Secret {
				continue
			}
			v, _ := mapOf(s.find("ConfigMap", "ibutsu-config"), "data")[st.Envs[0]].(string)
			if m := param.FindStringSubmatch(v); m != nil {
				v = ocp.params["config.yaml"][m[1]]
			}
			data[st.Envs[0]] = v
		}
		load := func(env map[string]string) map[string]string {
			for k, v := range env {
				t.Setenv(k, v)
			}
			c, err := config.Load("")
			if err != nil {
				t.Fatalf("%s: load with %v: %v", s.flavour, env, err)
			}
			return c.Redacted()
		}
		unset := map[string]string{}
		for k := range data {
			unset[k] = "" // empty reads as not set
		}
		builtIn := load(unset)
		shipped := load(data)
		for _, k := range slices.Sorted(maps.Keys(builtIn)) {
			if builtIn[k] != shipped[k] {
				t.Errorf("%s: %s is %q with the shipped ConfigMap, %q built in", s.flavour, k, shipped[k], builtIn[k])
			}
		}
	}
}
