package webhook

import (
	"fmt"
	"strings"

	"github.com/ibutsu-go/ibutsu/pkg/model"
)

// render turns an event into the body of a subscription's format.
func render(format string, e *Envelope) ([]byte, error) {
	var v any
	switch format {
	case FormatSlack:
		v = slackMessage(e)
	case FormatTeams:
		v = teamsMessage(e)
	default:
		v = e
	}
	// A run summing a NaN or infinite duration stored before the API
	// bounded them is still announced, the duration clamped (NaN as 0).
	b, err := model.MarshalJSON(v)
	if err != nil {
		return nil, fmt.Errorf("render %s webhook body: %w", format, err)
	}
	return b, nil
}

// slackMessage is an incoming-webhook message Slack and Mattermost both
// read: `text` (markdown) and one legacy attachment with fields.
func slackMessage(e *Envelope) map[string]any {
	text := e.headline()
	if l := e.link(); l != "" {
		text = fmt.Sprintf("%s — <%s|open in Ibutsu>", text, l)
	}
	fields := []map[string]any{}
	for _, f := range e.facts() {
		fields = append(fields, map[string]any{"title": f[0], "value": f[1], "short": true})
	}
	att := map[string]any{"fallback": e.headline(), "color": color(e), "fields": fields}
	if lines := e.failureLines(); len(lines) > 0 {
		att["title"] = "New failures"
		att["text"] = "• " + strings.Join(lines, "\n• ")
	}
	if l := e.link(); l != "" {
		att["title_link"] = l
		if att["title"] == nil {
			att["title"] = "Open in Ibutsu"
		}
	}
	return map[string]any{"text": text, "attachments": []any{att}}
}

func color(e *Envelope) string {
	switch {
	case e.Type == EventImportFailed || e.Type == EventRunNewFailures || e.Type == EventTestFlaky:
		return "#c9190b"
	case e.Run != nil && e.Run.Summary["failures"]+e.Run.Summary["errors"] > 0:
		return "#f0ab00"
	}
	return "#3e8635"
}

// teamsMessage is a message with one Adaptive Card attachment, the shape
// Microsoft Teams incoming webhooks and Workflows ("Post to a channel when
// a webhook request is received") accept.
func teamsMessage(e *Envelope) map[string]any {
	body := []any{map[string]any{"type": "TextBlock", "text": e.headline(), "weight": "Bolder", "size": "Medium", "wrap": true}}
	if facts := e.facts(); len(facts) > 0 {
		fs := []any{}
		for _, f := range facts {
			fs = append(fs, map[string]any{"title": f[0], "value": f[1]})
		}
		body = append(body, map[string]any{"type": "FactSet", "facts": fs})
	}
	if lines := e.failureLines(); len(lines) > 0 {
		body = append(body, map[string]any{"type": "TextBlock", "text": "New failures", "weight": "Bolder", "wrap": true})
		for _, l := range lines {
			body = append(body, map[string]any{"type": "TextBlock", "text": "- " + l, "wrap": true})
		}
	}
	card := map[string]any{"$schema": "http://adaptivecards.io/schemas/adaptive-card.json", "type": "AdaptiveCard", "version": "1.4", "body": body}
	if l := e.link(); l != "" {
		card["actions"] = []any{map[string]any{"type": "Action.OpenUrl", "title": "Open in Ibutsu", "url": l}}
	}
	return map[string]any{"type": "message", "attachments": []any{map[string]any{
		"contentType": "application/vnd.microsoft.card.adaptive", "contentUrl": nil, "content": card}}}
}
