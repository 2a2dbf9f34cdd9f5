package webhook

import (
	"context"
	"errors"
	"net/netip"
	"strings"
	"testing"
	"time"
)

// TestGuardAddressForms: the guard refuses loopback and private
// destinations in every spelling an attacker can give an address: IPv6
// forms that embed an IPv4 address (mapped, compatible, translated, 6to4),
// deprecated site-local, and, at save time, the legacy IPv4 forms the C
// resolver accepts (decimal, octal, hexadecimal, short) and a trailing-dot
// localhost. Public addresses and names that merely start with digits
// stay allowed.
func TestGuardAddressForms(t *testing.T) {
	g, err := newGuard(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []string{"::ffff:127.0.0.1", "::ffff:10.1.2.3", "::127.0.0.1", "::10.0.0.1", "::ffff:0:127.0.0.1",
		"fec0::1", "2002:7f00:1::1", "2002:c0a8:101::1", "2002:a9fe:a9fe::1", "64:ff9b::7f00:1", "::", "ff02::1"} {
		if err := g.check(netip.MustParseAddr(a)); !errors.Is(err, errRefused) {
			t.Errorf("%s allowed", a)
		}
	}
	for _, a := range []string{"2002:808:808::1", "2001:4860:4860::8888", "1.1.1.1"} {
		if err := g.check(netip.MustParseAddr(a)); err != nil {
			t.Errorf("%s refused: %v", a, err)
		}
	}
	for _, u := range []string{
		"http://2130706433/", "http://0177.0.0.1/", "http://0x7f000001/", "http://0x7f.1/", "http://127.1/",
		"http://127.000.000.001/", "http://0/", "http://10.0.0.1./", "http://localhost./", "http://LOCALHOST/",
		"http://a.localhost/", "http://[::ffff:7f00:1]/", "http://[::127.0.0.1]:8080/", "http://[fe80::1%25eth0]/",
		"http://169.254.169.254/latest/meta-data/", "http://[fd00:ec2::254]/", "http://[::]/",
		"ftp://example.com/", "javascript:alert(1)", "http://user:pw@example.com/", "//example.com/x", "http:///x",
	} {
		if err := g.checkURL(u); err == nil {
			t.Errorf("%s accepted", u)
		}
	}
	for _, u := range []string{"https://hooks.example.com/x", "http://1.example.com/", "https://8.8.8.8/", "https://example.com./",
		"https://0x.example/", "https://[2001:4860:4860::8888]/"} {
		if err := g.checkURL(u); err != nil {
			t.Errorf("%s refused: %v", u, err)
		}
	}
}

// TestDialRefusesLegacyAddressForms: a URL saved before the save-time
// check (or written to the database directly) still never reaches a
// loopback receiver: whatever the resolver makes of the name, the
// connection's address is checked when it is dialled.
func TestDialRefusesLegacyAddressForms(t *testing.T) {
	rcv := newReceiver(t)
	port := rcv.URL[strings.LastIndex(rcv.URL, ":"):]
	g, _ := newGuard(nil)
	s := newSender(g, 2*time.Second, 1024)
	for _, host := range []string{"2130706433", "0177.0.0.1", "0x7f000001", "127.1", "localhost", "localhost.", "[::ffff:127.0.0.1]", "127.0.0.1"} {
		out := s.send(context.Background(), "http://"+host+port+"/", secret, EventTest, "k-"+host, []byte(`{}`))
		if out.ok() || out.code != 0 {
			t.Errorf("%s: %+v", host, out)
		}
	}
	if got := rcv.requests(); len(got) != 0 {
		t.Errorf("the loopback receiver was reached %d times", len(got))
	}
}
