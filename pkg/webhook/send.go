package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/ibutsu-go/ibutsu/pkg/platform/version"
)

// Headers every delivery carries (docs/notifications.md, "Signing").
const (
	HeaderEvent       = "X-Ibutsu-Event"
	HeaderIdempotency = "Idempotency-Key"
	HeaderTimestamp   = "X-Ibutsu-Timestamp"
	HeaderSignature   = "X-Ibutsu-Signature"
)

// Sign is the signature header value of body sent at ts: "v1=" and the
// hex HMAC-SHA256, keyed with the secret, of "<ts>.<body>" (ts in Unix
// seconds).
func Sign(secret string, ts int64, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(strconv.FormatInt(ts, 10)))
	m.Write([]byte("."))
	m.Write(body)
	return "v1=" + hex.EncodeToString(m.Sum(nil))
}

// errRefused marks an address outbound safety refuses.
var errRefused = errors.New("address refused")

// guard decides which addresses deliveries may connect to.
type guard struct{ allow []netip.Prefix }

// newGuard reads the allowlist (CIDRs or single addresses).
func newGuard(allow []string) (guard, error) {
	g := guard{}
	for _, a := range allow {
		if p, err := netip.ParsePrefix(a); err == nil {
			g.allow = append(g.allow, p.Masked())
			continue
		}
		ip, err := netip.ParseAddr(a)
		if err != nil {
			return g, fmt.Errorf("webhooks.allow: %q is neither a CIDR nor an address", a)
		}
		g.allow = append(g.allow, netip.PrefixFrom(ip, ip.BitLen()))
	}
	return g, nil
}

// special are ranges that are neither private nor loopback by Go's
// predicates but reach no public host: this network, shared address space
// (carrier NAT), benchmarking, the IPv6 discard and NAT64 prefixes.
var special = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"), netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("192.0.0.0/24"), netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("240.0.0.0/4"), netip.MustParsePrefix("100::/64"),
	netip.MustParsePrefix("64:ff9b::/96"), netip.MustParsePrefix("64:ff9b:1::/48"),
	// IPv6 forms that carry an IPv4 address a translator or tunnel may
	// deliver locally: IPv4-compatible (::a.b.c.d, deprecated) and
	// IPv4-translated (::ffff:0:a.b.c.d); and deprecated site-local.
	netip.MustParsePrefix("::/96"), netip.MustParsePrefix("::ffff:0:0:0/96"),
	netip.MustParsePrefix("fec0::/10"),
}

// sixToFour is 6to4, whose addresses embed an IPv4 address (bytes 2-5).
var sixToFour = netip.MustParsePrefix("2002::/16")

// check refuses loopback, link-local, private, multicast, unspecified and
// special addresses unless the allowlist names them.
func (g guard) check(ip netip.Addr) error {
	ip = ip.Unmap()
	for _, p := range g.allow {
		if p.Contains(ip) {
			return nil
		}
	}
	bad := ip.IsLoopback() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() || ip.IsPrivate() ||
		ip.IsUnspecified() || ip.IsMulticast() || ip.IsInterfaceLocalMulticast()
	for _, p := range special {
		bad = bad || p.Contains(ip)
	}
	if !bad && sixToFour.Contains(ip) {
		b := ip.As16()
		if g.check(netip.AddrFrom4([4]byte{b[2], b[3], b[4], b[5]})) != nil {
			bad = true
		}
	}
	if bad {
		return fmt.Errorf("%w: %s is loopback, link-local or private (webhooks.allow may permit it)", errRefused, ip)
	}
	return nil
}

// checkURL is the save-time check: an http(s) URL with a host; a literal
// address must pass the guard (names are checked when dialled).
func (g guard) checkURL(raw string) error {
	u, err := parseURL(raw)
	if err != nil {
		return err
	}
	if ip, err := netip.ParseAddr(strings.Trim(u.Hostname(), "[]")); err == nil {
		return g.check(ip)
	}
	h := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return g.check(netip.MustParseAddr("127.0.0.1"))
	}
	if numericHost(h) {
		// 2130706433, 0177.0.0.1, 0x7f.1, 127.1: the C resolver reads them
		// as IPv4 addresses. The dial-time check would refuse a loopback
		// or private one anyway; here the owner gets a clear answer.
		return errors.New("an IPv4 address must be written as four decimal numbers (a.b.c.d)")
	}
	return nil
}

// numericHost reports whether a host name's last label is a number
// (decimal, or hexadecimal with 0x): such a host is an IPv4 address in
// one of the legacy forms, never a DNS name (the WHATWG URL standard's
// "ends in a number" rule).
func numericHost(h string) bool {
	last := h[strings.LastIndexByte(h, '.')+1:]
	if last == "" {
		return false
	}
	if hex, ok := strings.CutPrefix(last, "0x"); ok {
		last = strings.TrimLeft(hex, "0123456789abcdef")
		return last == ""
	}
	return strings.Trim(last, "0123456789") == ""
}

// control runs after name resolution, on the address about to be
// connected to: a name that resolves (or re-resolves, DNS rebinding) to a
// refused address is refused here.
func (g guard) control(_, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("%w: unreadable address %q", errRefused, address)
	}
	return g.check(ap.Addr())
}

// sender posts deliveries.
type sender struct {
	client  *http.Client
	maxResp int64
	now     func() time.Time
}

func newSender(g guard, timeout time.Duration, maxResp int64) *sender {
	d := &net.Dialer{Timeout: timeout, Control: g.control}
	tr := &http.Transport{
		Proxy:                 nil, // a proxy would connect for us, past the guard
		DialContext:           d.DialContext,
		TLSHandshakeTimeout:   timeout,
		ResponseHeaderTimeout: timeout,
		MaxIdleConnsPerHost:   2,
		IdleConnTimeout:       90 * time.Second,
	}
	return &sender{
		client: &http.Client{Transport: tr, Timeout: timeout,
			// Redirects are not followed: a 3xx is a failed attempt, so a
			// receiver cannot bounce a delivery to an address refused here.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
		maxResp: maxResp,
		now:     time.Now,
	}
}

// outcome is what one attempt got.
type outcome struct {
	code int
	err  string
}

func (o outcome) ok() bool { return o.err == "" }

// send makes one attempt: POST body to url, signed.
func (s *sender) send(ctx context.Context, url, secret, event, key string, body []byte) outcome {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return outcome{err: "bad URL: " + err.Error()}
	}
	ts := s.now().Unix()
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Ibutsu-Webhook/"+version.Version)
	req.Header.Set(HeaderEvent, event)
	req.Header.Set(HeaderIdempotency, key)
	req.Header.Set(HeaderTimestamp, strconv.FormatInt(ts, 10))
	req.Header.Set(HeaderSignature, Sign(secret, ts, body))
	resp, err := s.client.Do(req)
	if err != nil {
		return outcome{err: trim(err.Error())}
	}
	defer func() { _ = resp.Body.Close() }()
	head := make([]byte, 256)
	n, _ := io.ReadFull(io.LimitReader(resp.Body, s.maxResp), head)
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, s.maxResp-int64(n)))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		msg := fmt.Sprintf("HTTP %d", resp.StatusCode)
		if t := strings.TrimSpace(strings.ToValidUTF8(string(head[:n]), "")); t != "" {
			msg += ": " + t
		}
		return outcome{code: resp.StatusCode, err: trim(msg)}
	}
	return outcome{code: resp.StatusCode}
}

func trim(s string) string {
	if len(s) > 500 {
		return strings.ToValidUTF8(s[:500], "") + "…"
	}
	return s
}
