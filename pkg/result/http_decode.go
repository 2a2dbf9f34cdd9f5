package result

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/ibutsu-go/ibutsu/pkg/platform/httpx"
)

// DecodeRequest fills dst, a request struct, from a body the shared decoding
// already read and checked against s. Only the keys s declares are copied,
// matched exactly (encoding/json alone would also take "Metadata" for
// "metadata"); numbers in objects stay json.Number.
func DecodeRequest(body map[string]any, s httpx.Schema, dst any) error {
	known := make(map[string]any, len(s))
	for k := range s {
		if v, ok := body[k]; ok {
			known[k] = v
		}
	}
	raw, err := json.Marshal(known)
	if err != nil {
		return fmt.Errorf("encode request body: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(dst); err != nil {
		return fmt.Errorf("decode request body: %w", err)
	}
	return nil
}
