package mail

import (
	"bufio"
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/ibutsu-go/ibutsu/pkg/platform/config"
)

// fakeSMTP accepts one message and returns the transcript of what the
// client sent.
func fakeSMTP(t *testing.T) (port int, got chan string) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	got = make(chan string, 1)
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		defer func() { _ = conn.Close() }()
		r, w := bufio.NewReader(conn), conn
		var transcript strings.Builder
		reply := func(s string) { _, _ = w.Write([]byte(s + "\r\n")) }
		reply("220 fake ESMTP")
		inData := false
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				got <- transcript.String()
				return
			}
			transcript.WriteString(line)
			cmd := strings.ToUpper(strings.TrimSpace(line))
			switch {
			case inData:
				if cmd == "." {
					inData = false
					reply("250 queued")
				}
			case strings.HasPrefix(cmd, "EHLO"):
				reply("250-fake\r\n250 AUTH PLAIN")
			case strings.HasPrefix(cmd, "AUTH"):
				reply("235 ok")
			case strings.HasPrefix(cmd, "MAIL"), strings.HasPrefix(cmd, "RCPT"):
				reply("250 ok")
			case cmd == "DATA":
				inData = true
				reply("354 go ahead")
			case cmd == "QUIT":
				reply("221 bye")
				got <- transcript.String()
				return
			default:
				reply("502 unknown")
			}
		}
	}()
	return ln.Addr().(*net.TCPAddr).Port, got
}

func TestSMTPDelivers(t *testing.T) {
	port, got := fakeSMTP(t)
	m := NewSMTP(config.Mail{Server: "127.0.0.1", Port: port, Username: "u", Password: "p",
		DefaultSender: "Ibutsu <ibutsu@example.com>", Timeout: 5 * time.Second})
	err := m.Send(context.Background(), Message{To: []string{"a@example.com"}, Subject: "Hi\r\nBcc: x@evil", Body: "line1\nhttp://x/reset-password/abc\n"})
	if err != nil {
		t.Fatal(err)
	}
	tr := <-got
	for _, want := range []string{"AUTH PLAIN", "MAIL FROM:<ibutsu@example.com>", "RCPT TO:<a@example.com>", "To: a@example.com", "http://x/reset-password/abc\r\n", "QUIT"} {
		if !strings.Contains(tr, want) {
			t.Errorf("transcript lacks %q:\n%s", want, tr)
		}
	}
	if strings.Contains(tr, "\r\nBcc:") {
		t.Errorf("header injection:\n%s", tr)
	}
}

func TestSMTPUnreachableIsAnError(t *testing.T) {
	m := NewSMTP(config.Mail{Server: "127.0.0.1", Port: 1, Timeout: time.Second})
	if err := m.Send(context.Background(), Message{To: []string{"a@example.com"}}); err == nil {
		t.Fatal("expected an error")
	}
}
