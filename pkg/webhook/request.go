package webhook

import "github.com/ibutsu-go/ibutsu/pkg/platform/httpx"

// bodySchema declares the create and update bodies (pkg/openapi,
// WebhookInput).
var bodySchema = httpx.Schema{
	"name": {Kind: httpx.String}, "url": {Kind: httpx.String}, "secret": {Kind: httpx.String},
	"events": {Kind: httpx.Array}, "format": {Kind: httpx.String, Enum: Formats}, "enabled": {Kind: httpx.Boolean},
}

// inputOf reads a validated body.
func inputOf(body map[string]any) (Input, error) {
	in := Input{Name: httpx.Str(body, "name"), URL: httpx.Str(body, "url"), Secret: httpx.Str(body, "secret"), Format: httpx.Str(body, "format")}
	if b, ok := body["enabled"].(bool); ok {
		in.Enabled = &b
	}
	if raw, ok := body["events"].([]any); ok {
		in.Events = []string{}
		for _, e := range raw {
			s, ok := e.(string)
			if !ok {
				return in, errEventsStrings
			}
			in.Events = append(in.Events, s)
		}
	}
	return in, nil
}
