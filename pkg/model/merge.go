package model

import "fmt"

// DeepMerge applies a PUT's metadata onto stored metadata
// (docs/api-compatibility.md#update-merge-semantics):
// keys the update lacks or sends as null keep their stored value, objects
// merge recursively, anything else (scalars, arrays) is replaced. It returns
// a new map and leaves both inputs untouched.
func DeepMerge(stored, update map[string]any) map[string]any {
	out := make(map[string]any, len(stored)+len(update))
	for k, v := range stored {
		out[k] = v
	}
	for k, v := range update {
		if v == nil {
			if _, kept := out[k]; kept {
				continue
			}
			out[k] = nil
			continue
		}
		if sub, ok := v.(map[string]any); ok {
			if old, ok := out[k].(map[string]any); ok {
				out[k] = DeepMerge(old, sub)
				continue
			}
		}
		out[k] = v
	}
	return out
}

// FillMissing adds the keys of extra that dst lacks or holds as null,
// merging nested objects with the same rule: existing values always win.
// It is how metadata.user_properties is flattened and how bulk updates add
// metadata "under" a run's own.
func FillMissing(dst, extra map[string]any) map[string]any {
	out := make(map[string]any, len(dst)+len(extra))
	for k, v := range dst {
		out[k] = v
	}
	for k, v := range extra {
		cur, present := out[k]
		switch {
		case !present || cur == nil:
			out[k] = v
		default:
			a, aok := cur.(map[string]any)
			b, bok := v.(map[string]any)
			if aok && bok {
				out[k] = FillMissing(a, b)
			}
		}
	}
	return out
}

// FlattenUserProperties removes metadata.user_properties (when it is an
// object) and fills its keys into metadata, as upstream does for results.
func FlattenUserProperties(md map[string]any) map[string]any {
	up, ok := md["user_properties"].(map[string]any)
	if !ok {
		return md
	}
	rest := make(map[string]any, len(md))
	for k, v := range md {
		if k != "user_properties" {
			rest[k] = v
		}
	}
	return FillMissing(rest, up)
}

// MetaString reads metadata[k] for a denormalised text column (env,
// component, run): strings as they are, other JSON values rendered as text,
// absent or null as NULL.
func MetaString(md map[string]any, k string) *string {
	switch v := md[k].(type) {
	case nil:
		return nil
	case string:
		return &v
	default:
		s := fmt.Sprint(v)
		return &s
	}
}
