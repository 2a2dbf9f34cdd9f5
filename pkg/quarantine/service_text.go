package quarantine

import (
	"context"
	"fmt"
	"strings"
	"unicode"

	"github.com/google/uuid"

	"github.com/ibutsu-go/ibutsu/pkg/model"
)

// Text is GET /api/project/{id}/quarantine.txt: the active entries as
// pytest node ids, one a line, for `pytest --deselect`. Each exact entry
// is preceded by a comment with its pattern, reason, owner and expiry and
// followed by the node id of the project's latest result of that test
// (metadata.node_id, else metadata.fspath joined with the test_id as
// pytest-ibutsu writes them); an entry without one, and every glob, is a
// comment only (docs/triage.md#quarantinetxt).
func (s *Service) Text(ctx context.Context, u *model.User, id uuid.UUID) (string, error) {
	p, err := s.readable(ctx, u, id)
	if err != nil {
		return "", err
	}
	rows, err := s.store.active(ctx, []uuid.UUID{id}, s.now())
	if err != nil {
		return "", err
	}
	var b strings.Builder
	name := ""
	if p.Name != nil {
		name = *p.Name
	}
	fmt.Fprintf(&b, "# Quarantined tests of project %s (%s): %d active entries, %s.\n", oneLine(name), id, len(rows), model.FormatTime(s.now()))
	b.WriteString("# One pytest node id a line for --deselect; lines starting with # are comments.\n")
	seen := map[string]bool{}
	for i := range rows {
		e := &rows[i]
		b.WriteString("\n")
		fmt.Fprintf(&b, "# %s — %s", oneLine(e.Pattern), oneLine(e.Reason))
		if e.Owner != nil {
			fmt.Fprintf(&b, " (owner: %s)", oneLine(*e.Owner))
		}
		if e.Expires != nil {
			fmt.Fprintf(&b, " until %s", model.FormatTime(*e.Expires))
		}
		b.WriteString("\n")
		if e.IsGlob {
			b.WriteString("# glob: not expanded; see docs/triage.md for deselecting it with -k\n")
			continue
		}
		n, err := s.store.node(ctx, id, e.Pattern)
		if err != nil {
			return "", err
		}
		node := NodeID(e.Pattern, n)
		switch {
		case node == "":
			b.WriteString("# no node id known: no result of this test records metadata.node_id or metadata.fspath\n")
		case seen[node]:
		default:
			seen[node] = true
			b.WriteString(node + "\n")
		}
	}
	return b.String(), nil
}

// NodeID is the pytest node id of testID from what its latest result
// recorded: metadata.node_id as is, else metadata.fspath + "::" + the
// test_id with the dots of its name (not of its parameters) turned into
// "::" (pytest-ibutsu's test_id is the item's location name,
// "TestClass.test_method[param]"). "" when neither is known or usable.
func NodeID(testID string, n *nodeRow) string {
	if n == nil {
		return ""
	}
	if n.NodeID != nil && usable(*n.NodeID) {
		return *n.NodeID
	}
	if n.FSPath == nil || !usable(*n.FSPath) || !usable(testID) {
		return ""
	}
	name, params := testID, ""
	if i := strings.IndexByte(testID, '['); i >= 0 {
		name, params = testID[:i], testID[i:]
	}
	return *n.FSPath + "::" + strings.ReplaceAll(name, ".", "::") + params
}

func usable(s string) bool {
	return strings.TrimSpace(s) != "" && strings.IndexFunc(s, unicode.IsControl) < 0
}

// oneLine keeps a comment on its line.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
}
