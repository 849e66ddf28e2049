package mail

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"html"
	"io"
	"mime"
	"regexp"
	"strings"
	"unicode/utf8"

	_ "github.com/emersion/go-message/charset" // decodes the charsets mail arrives in
	gomessage "github.com/emersion/go-message/mail"
	"github.com/microcosm-cc/bluemonday"

	"helpline/desk"
	"helpline/store"
	"helpline/views"
)

// strictHTML keeps no markup at all: an email's HTML part becomes its text,
// so no script, handler or style of a sender ever reaches a page.
var strictHTML = bluemonday.StrictPolicy()

// Parse reads a raw email into what the desk files, and says whether to
// ignore it: auto-replies (Auto-Submitted, Precedence bulk/junk/list/
// auto_reply, X-Autoreply), bounces (multipart/report, mailer-daemon,
// postmaster) and mail from the desk's own addresses never start tickets or
// loops. A message without a Message-ID is known by a hash of its bytes.
// Attached files larger than fileLimit bytes (0: the default 10 MB) are left
// out, as the reply box and the customer's page refuse them.
func Parse(raw []byte, own []string, fileLimit int64) (store.IncomingEmail, bool, error) {
	if fileLimit <= 0 {
		fileLimit = store.DefaultAttachmentLimit
	}
	sum := sha256.Sum256(raw)
	in := store.IncomingEmail{MessageID: "sha256-" + hex.EncodeToString(sum[:16]) + "@helpline.invalid"}
	r, err := gomessage.CreateReader(bytes.NewReader(raw))
	if err != nil {
		return in, true, err
	}
	h := r.Header
	if id, err := h.MessageID(); err == nil && id != "" {
		in.MessageID = id
	}
	in.InReplyTo, _ = h.MsgIDList("In-Reply-To")
	in.References, _ = h.MsgIDList("References")
	// Newest reference first: the one it answers most directly.
	for i, j := 0, len(in.References)-1; i < j; i, j = i+1, j-1 {
		in.References[i], in.References[j] = in.References[j], in.References[i]
	}
	in.Subject, _ = h.Subject()
	if lang := strings.ToLower(strings.TrimSpace(h.Get("Content-Language"))); lang != "" {
		lang, _, _ = strings.Cut(lang, ",")
		lang, _, _ = strings.Cut(lang, "-")
		if views.IsLanguage(lang) {
			in.Lang = lang
		}
	}
	from, err := h.AddressList("From")
	if err != nil || len(from) == 0 {
		return in, true, nil
	}
	in.FromName, in.FromEmail = from[0].Name, strings.ToLower(from[0].Address)
	if automatic(h, in.FromEmail, own) {
		return in, true, nil
	}
	var text, htmlBody string
	for {
		p, err := r.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return in, true, err
		}
		if ah, ok := p.Header.(*gomessage.AttachmentHeader); ok {
			name, _ := ah.Filename()
			// One byte over the limit is enough to know it is too big:
			// such a file is left out, the message is kept.
			b, err := io.ReadAll(io.LimitReader(p.Body, fileLimit+1))
			if err != nil {
				return in, true, err
			}
			if int64(len(b)) <= fileLimit && len(in.Attachments) < store.MaxAttachments {
				in.Attachments = append(in.Attachments, store.NewAttachment{Filename: name, Data: b})
			}
			continue
		}
		ih, ok := p.Header.(*gomessage.InlineHeader)
		if !ok {
			continue
		}
		ct, _, _ := ih.ContentType()
		b, err := io.ReadAll(io.LimitReader(p.Body, 1<<20))
		if err != nil {
			return in, true, err
		}
		switch {
		case ct == "text/plain" && text == "":
			text = string(b)
		case ct == "text/html" && htmlBody == "":
			htmlBody = string(b)
		}
	}
	if strings.TrimSpace(text) == "" && htmlBody != "" {
		text = htmlToText(htmlBody)
	}
	in.Body = fit(text, desk.MaxBody)
	in.Subject = fit(oneLine(in.Subject), desk.MaxSubject)
	if in.Subject == "" {
		in.Subject = "(no subject)"
	}
	in.FromName = fit(oneLine(in.FromName), desk.MaxName)
	if in.FromName == "" {
		in.FromName, _, _ = strings.Cut(in.FromEmail, "@")
	}
	if strings.TrimSpace(in.Body) == "" {
		in.Body = "(no text)"
	}
	return in, false, nil
}

// automatic reports mail no person wrote, or the desk sent itself.
func automatic(h gomessage.Header, from string, own []string) bool {
	if v := strings.ToLower(strings.TrimSpace(h.Get("Auto-Submitted"))); v != "" && v != "no" {
		return true
	}
	switch strings.ToLower(strings.TrimSpace(h.Get("Precedence"))) {
	case "bulk", "junk", "list", "auto_reply":
		return true
	}
	if h.Get("X-Autoreply") != "" || h.Get("X-Autorespond") != "" || h.Get("X-Auto-Response-Suppress") == "All" {
		return true
	}
	if ct, _, err := mime.ParseMediaType(h.Get("Content-Type")); err == nil && ct == "multipart/report" {
		return true
	}
	local, _, _ := strings.Cut(from, "@")
	if local == "mailer-daemon" || local == "postmaster" {
		return true
	}
	for _, o := range own {
		if strings.EqualFold(o, from) {
			return true
		}
	}
	return false
}

var (
	blankLines = regexp.MustCompile(`\n[ \t]*(\n[ \t]*)+`)
	blockEnds  = regexp.MustCompile(`(?i)<br\s*/?>|</p>|</div>|</li>|</tr>|</h[1-6]>`)
)

// htmlToText strips every tag (bluemonday) and decodes entities: the
// result is shown as text, escaped like all text.
func htmlToText(s string) string {
	s = blockEnds.ReplaceAllString(s, "$0\n")
	t := html.UnescapeString(strictHTML.Sanitize(s))
	return strings.TrimSpace(blankLines.ReplaceAllString(t, "\n\n"))
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// fit cuts s to max characters and drops what desk.PlainText refuses.
func fit(s string, max int) string {
	s = strings.ToValidUTF8(strings.ReplaceAll(s, "\r\n", "\n"), "")
	s = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' || !desk.PlainText(string(r), false) {
			if r == '\n' || r == '\t' {
				return r
			}
			return -1
		}
		return r
	}, s)
	if utf8.RuneCountInString(s) > max {
		s = string([]rune(s)[:max])
	}
	return strings.TrimSpace(s)
}
