# Sourced by the gen.sh of the importers' fixtures that a Node.js test tool
# writes (pkg/importer/{allure,cucumber,playwright}/testdata): copies the
# sample project next to the calling gen.sh (its project/ directory) into a
# fresh temporary directory, runs `npm init` there and leaves the shell in
# it. Sets $here (the testdata directory) and $work (the copy, which the
# caller's sed replaces by /sample so that no fixture names a machine
# path); the copy is removed when the calling script exits.
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
work="$tmp/sample"
mkdir "$work"
cp -r "$here/project/." "$work/"
cd "$work"
npm init -y >/dev/null
