package junit

import (
	"encoding/xml"

	"github.com/ibutsu-go/ibutsu/pkg/importer/ingest"
)

// testcase reads one <testcase> and its children.
func (p *parser) testcase(se xml.StartElement, s *Suite) (*Case, error) {
	c := &Case{Suite: s}
	c.Name, _ = attr(se, "name")
	c.Classname, c.HasClassname = attr(se, "classname")
	c.File, _ = attr(se, "file")
	if v, ok := attr(se, "line"); ok {
		c.Line = &v
	}
	v, _ := attr(se, "time")
	t, err := parseSeconds(v)
	if err != nil {
		return nil, p.errorf("<testcase name=%q>: %v", c.Name, err)
	}
	c.Time = t
	var (
		failure, errored, skipped, xfailed, xpassed bool
		failureText, errorText, skipText, skipMsg   string
		failureAttrs, errorAttrs                    [2]string // message, type
	)
	err = p.children(func(t xml.StartElement) error {
		var txt string
		switch t.Name.Local {
		case "failure", "error", "skipped", "system-out", "system-err":
			var (
				cut bool
				err error
			)
			if txt, cut, err = p.text(); err != nil {
				return err
			}
			if cut {
				c.Truncated = append(c.Truncated, t.Name.Local)
			}
		case "properties":
			props, err := p.properties(propertiesSize(c.Properties))
			if err != nil {
				return err
			}
			c.Properties = append(c.Properties, props...)
			return nil
		default:
			if err := p.skip(); err != nil {
				return err
			}
		}
		switch t.Name.Local {
		case "failure":
			if !failure {
				failure, failureText = true, txt
				failureAttrs = messageAndType(t)
			}
		case "error":
			if !errored {
				errored, errorText = true, txt
				errorAttrs = messageAndType(t)
			}
		case "skipped":
			if !skipped {
				skipped, skipText = true, txt
				skipMsg, _ = attr(t, "message")
			}
		case "xfailure":
			xfailed = true
		case "xpassed":
			xpassed = true
		case "system-out":
			if c.SystemOut == nil {
				c.SystemOut = &txt
			}
		case "system-err":
			if c.SystemErr == nil {
				c.SystemErr = &txt
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	switch {
	case failure:
		c.Status, c.Traceback = ingest.Failed, failureText
		c.Message, c.Type = failureAttrs[0], failureAttrs[1]
	case errored:
		c.Status, c.Traceback = ingest.Errored, errorText
		c.Message, c.Type = errorAttrs[0], errorAttrs[1]
	case skipped:
		c.Status = ingest.Skipped
	case xfailed:
		c.Status = ingest.XFailed
	case xpassed:
		c.Status = ingest.XPassed
	default:
		c.Status = ingest.Passed
	}
	if skipped && c.Status == ingest.Skipped {
		c.SkipReason = skipText
		if c.SkipReason == "" {
			c.SkipReason = skipMsg
		}
	}
	return c, nil
}

// messageAndType reads a <failure>'s or <error>'s message and type
// attributes.
func messageAndType(se xml.StartElement) [2]string {
	m, _ := attr(se, "message")
	t, _ := attr(se, "type")
	return [2]string{m, t}
}
