package mail

import (
	"bufio"
	"bytes"
	"io"
	netmail "net/mail"
	"net/textproto"
	"strings"

	gomessage "github.com/emersion/go-message/mail"
)

// Bounce reads a delivery report (multipart/report; report-type=
// delivery-status): the Message-IDs of the email it reports on (from the
// returned message or its headers, else the report's own In-Reply-To and
// References) and the receiving server's words. ok is false for anything
// else, or a report that every recipient was delivered to.
func Bounce(raw []byte) (ids []string, detail string, ok bool) {
	r, err := gomessage.CreateReader(bytes.NewReader(raw))
	if err != nil {
		return nil, "", false
	}
	if ct, params, err := r.Header.ContentType(); err != nil || ct != "multipart/report" || !strings.EqualFold(params["report-type"], "delivery-status") {
		return nil, "", false
	}
	failed := false
	for {
		p, err := r.NextPart()
		if err != nil {
			break
		}
		ct := ""
		if h, ok := p.Header.(*gomessage.InlineHeader); ok {
			ct, _, _ = h.ContentType()
		} else if h, ok := p.Header.(*gomessage.AttachmentHeader); ok {
			ct, _, _ = h.ContentType()
		}
		body, err := io.ReadAll(io.LimitReader(p.Body, 1<<20))
		if err != nil {
			break
		}
		switch ct {
		case "message/delivery-status", "message/global-delivery-status":
			// Groups of header fields: the message's, then one per recipient.
			tp := textproto.NewReader(bufio.NewReader(bytes.NewReader(body)))
			for {
				h, err := tp.ReadMIMEHeader()
				if action := strings.ToLower(h.Get("Action")); action == "failed" {
					failed = true
					if d := h.Get("Diagnostic-Code"); d != "" && detail == "" {
						detail = d
					} else if s := h.Get("Status"); s != "" && detail == "" {
						detail = "Status " + s
					}
				}
				if err != nil {
					break
				}
			}
		case "message/rfc822", "text/rfc822-headers", "message/rfc822-headers":
			if m, err := netmail.ReadMessage(bytes.NewReader(append(body, '\n', '\n'))); err == nil {
				if id := strings.Trim(strings.TrimSpace(m.Header.Get("Message-Id")), "<>"); id != "" {
					ids = append(ids, id)
				}
			}
		}
	}
	if !failed {
		return nil, "", false
	}
	if in, err := r.Header.MsgIDList("In-Reply-To"); err == nil {
		ids = append(ids, in...)
	}
	if refs, err := r.Header.MsgIDList("References"); err == nil {
		ids = append(ids, refs...)
	}
	return ids, detail, len(ids) > 0
}
