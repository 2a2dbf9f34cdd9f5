package db

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
)

// upstreamDump is upstream's pg_dump at rev, byte for byte. Only the head's
// dump is stored whole (testdata/upstream/<head>.sql); each older revision is
// stored as the `diff` (normal format) from the next revision's dump to its
// own, and is rebuilt here by stepping back from the head. The result is
// checked against the SHA-256 of upstream's original dump (SHA256SUMS), so a
// rebuilt dump is the dump, not an approximation of it.
func upstreamDump(t *testing.T, rev string) []byte {
	t.Helper()
	pos := upstreamRevisionIndex(rev)
	if pos < 0 {
		t.Fatalf("%s is not a revision of upstream's chain", rev)
	}
	dump, err := os.ReadFile("testdata/upstream/" + UpstreamHead + ".sql")
	if err != nil {
		t.Fatal(err)
	}
	for i := len(upstreamChain) - 2; i >= pos; i-- {
		patch, err := os.ReadFile("testdata/upstream/" + upstreamChain[i] + ".diff")
		if err != nil {
			t.Fatal(err)
		}
		if dump, err = applyNormalDiff(dump, patch); err != nil {
			t.Fatalf("rebuild %s: %v", upstreamChain[i], err)
		}
	}
	sum := sha256.Sum256(dump)
	if got, want := hex.EncodeToString(sum[:]), upstreamDumpSums(t)[rev]; got != want {
		t.Fatalf("rebuilt dump of %s has SHA-256 %s, upstream's dump has %q", rev, got, want)
	}
	return dump
}

// upstreamDumpSums reads SHA256SUMS (`sha256sum` output over the original
// dumps): revision → hex digest.
func upstreamDumpSums(t *testing.T) map[string]string {
	t.Helper()
	raw, err := os.ReadFile("testdata/upstream/SHA256SUMS")
	if err != nil {
		t.Fatal(err)
	}
	sums := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
		sum, file, ok := strings.Cut(line, "  ")
		if !ok {
			t.Fatalf("SHA256SUMS: malformed line %q", line)
		}
		sums[strings.TrimSuffix(file, ".sql")] = sum
	}
	return sums
}

// applyNormalDiff applies the output of `diff old new` (normal format: "La R",
// "F,Tc R", "F,Td L" commands with "<" and ">" lines) to old and returns new.
// Every "<" line must match old where the command says, so a patch applied to
// the wrong text fails instead of producing something else.
func applyNormalDiff(old, patch []byte) ([]byte, error) {
	src := strings.SplitAfter(string(old), "\n")
	if src[len(src)-1] == "" {
		src = src[:len(src)-1]
	}
	var out []string
	next := 0 // index into src of the first line not yet copied
	sc := bufio.NewScanner(bytes.NewReader(patch))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	var cmd byte
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "< "), line == "<":
			if next >= len(src) || strings.TrimSuffix(src[next], "\n") != strings.TrimPrefix(strings.TrimPrefix(line, "<"), " ") {
				return nil, fmt.Errorf("line %d of the old text is not %q", next+1, line)
			}
			next++
		case strings.HasPrefix(line, "> "), line == ">":
			out = append(out, strings.TrimPrefix(strings.TrimPrefix(line, ">"), " ")+"\n")
		case line == "---" && cmd == 'c':
		case strings.HasPrefix(line, `\`):
			return nil, fmt.Errorf("unsupported: %q", line)
		default:
			from, c, err := parseDiffCommand(line)
			if err != nil {
				return nil, err
			}
			cmd = c
			if c == 'a' {
				from++ // "La": insert after old line L
			}
			if from-1 < next || from-1 > len(src) {
				return nil, fmt.Errorf("command %q out of order", line)
			}
			out = append(out, src[next:from-1]...)
			next = from - 1
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	out = append(out, src[next:]...)
	return []byte(strings.Join(out, "")), nil
}

// parseDiffCommand reads "12a13,15", "4,9c4", "7d6": the first old line and
// the command letter.
func parseDiffCommand(line string) (int, byte, error) {
	i := strings.IndexAny(line, "acd")
	if i <= 0 {
		return 0, 0, fmt.Errorf("not a diff command: %q", line)
	}
	first, _, _ := strings.Cut(line[:i], ",")
	n, err := strconv.Atoi(first)
	if err != nil {
		return 0, 0, fmt.Errorf("not a diff command: %q", line)
	}
	return n, line[i], nil
}

// TestUpstreamDumpsRebuild rebuilds every revision's dump from the head's and
// the stored differences and checks each against upstream's original digest.
func TestUpstreamDumpsRebuild(t *testing.T) {
	sums := upstreamDumpSums(t)
	if len(sums) != len(upstreamChain) {
		t.Fatalf("SHA256SUMS has %d dumps, upstream's chain %d revisions", len(sums), len(upstreamChain))
	}
	for _, rev := range upstreamChain {
		if len(upstreamDump(t, rev)) == 0 {
			t.Fatalf("%s: empty dump", rev)
		}
	}
}
