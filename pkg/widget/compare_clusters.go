package widget

import (
	"context"
	"slices"
	"strings"

	"github.com/google/uuid"
)

// maxClusterTests bounds the test ids listed per compared cluster.
const maxClusterTests = 50

// clusterSide is what one run has of a fingerprint.
type clusterSide struct {
	exception, normalised string
	base, target          map[string]bool // test ids
	baseN, targetN        int
}

// diffClusters compares the two runs per failure cluster (docs/triage.md):
//
//	new            fingerprints only the target run has
//	fixed          fingerprints only the base run has
//	still_failing  fingerprints both runs have
//	flaky          still-failing fingerprints of which a test passed in
//	               one run and failed in the other (flips)
//
// each item {"fingerprint", "exception", "message", "base_count",
// "target_count", "test_ids" (at most 50), "flaky"}, largest first; and
// "counts" of each list.
func diffClusters(ctx context.Context, q store, base, target uuid.UUID, flips map[string]bool) (map[string]any, error) {
	byFP := map[string]*clusterSide{}
	var order []string
	err := q.runFingerprints(ctx, base, target, func(r fingerprintRow) {
		c := byFP[r.fingerprint]
		if c == nil {
			c = &clusterSide{exception: r.exception, normalised: r.normalised, base: map[string]bool{}, target: map[string]bool{}}
			byFP[r.fingerprint] = c
			order = append(order, r.fingerprint)
		}
		if r.runID == base.String() {
			c.base[r.testID] = true
			c.baseN++
		} else {
			c.target[r.testID] = true
			c.targetN++
		}
	})
	if err != nil {
		return nil, err
	}
	lists := map[string][]map[string]any{"new": {}, "fixed": {}, "still_failing": {}, "flaky": {}}
	for _, fp := range order {
		c := byFP[fp]
		tests := map[string]bool{}
		flaky := false
		for t := range c.base {
			tests[t] = true
		}
		for t := range c.target {
			tests[t] = true
		}
		if c.baseN > 0 && c.targetN > 0 {
			for t := range tests {
				flaky = flaky || flips[t]
			}
		}
		ids := make([]string, 0, len(tests))
		for t := range tests {
			ids = append(ids, t)
		}
		slices.Sort(ids)
		if len(ids) > maxClusterTests {
			ids = ids[:maxClusterTests]
		}
		item := map[string]any{"fingerprint": fp, "exception": c.exception, "message": clusterMessage(c.normalised),
			"base_count": c.baseN, "target_count": c.targetN, "test_ids": ids, "flaky": flaky}
		switch {
		case c.baseN == 0:
			lists["new"] = append(lists["new"], item)
		case c.targetN == 0:
			lists["fixed"] = append(lists["fixed"], item)
		default:
			lists["still_failing"] = append(lists["still_failing"], item)
		}
		if flaky {
			lists["flaky"] = append(lists["flaky"], item)
		}
	}
	counts := map[string]any{}
	out := map[string]any{"counts": counts}
	for k, l := range lists {
		slices.SortStableFunc(l, func(x, y map[string]any) int {
			nx, ny := x["base_count"].(int)+x["target_count"].(int), y["base_count"].(int)+y["target_count"].(int)
			if nx != ny {
				return ny - nx
			}
			return strings.Compare(x["fingerprint"].(string), y["fingerprint"].(string))
		})
		out[k] = l
		counts[k] = len(l)
	}
	return out, nil
}

// clusterMessage is the message line of a normalised failure text (its
// second line), or "".
func clusterMessage(normalised string) string {
	lines := strings.Split(normalised, "\n")
	if len(lines) > 1 {
		return lines[1]
	}
	return ""
}

// emptyClusters is the clusters part of an empty comparison.
func emptyClusters() map[string]any {
	return map[string]any{"new": []any{}, "fixed": []any{}, "still_failing": []any{}, "flaky": []any{},
		"counts": map[string]any{"new": 0, "fixed": 0, "still_failing": 0, "flaky": 0}}
}
