package web

import (
	"bytes"
	"context"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"helpline/authz"
	"helpline/store"
	"helpline/views"
)

// upload is a file of a multipart form.
type upload struct {
	name string
	data []byte
}

// postFiles sends a multipart form with files under "files", as a browser
// does, with the client's CSRF token.
func (c *client) postFiles(path string, form url.Values, files ...upload) *response {
	c.app.t.Helper()
	form = c.withCSRF(form)
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, vs := range form {
		for _, v := range vs {
			w.WriteField(k, v)
		}
	}
	for _, f := range files {
		fw, err := w.CreateFormFile("files", f.name)
		if err != nil {
			c.app.t.Fatal(err)
		}
		fw.Write(f.data)
	}
	w.Close()
	req, err := http.NewRequest(http.MethodPost, c.app.ts.URL+path, &buf)
	if err != nil {
		c.app.t.Fatal(err)
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	res, err := c.http.Do(req)
	if err != nil {
		c.app.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if m := csrfInput.FindSubmatch(b); m != nil {
		c.csrf = string(m[1])
	}
	return &response{status: res.StatusCode, header: res.Header, body: string(b), t: c.app.t}
}

func TestAttachments_CustomerAndAgentFilesAreListedAndDownloadedOnlyByThoseWhoMay(t *testing.T) {
	w := newTicketWorld(t)
	cust := w.app.client()
	code, path := customerLinkFromContactForm(t, w, cust, "Broken screen")
	photo := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{1}, 100)...)
	cust.postFiles(path, url.Values{"body": {"Photo attached."}}, upload{"../../screen.png", photo}).wantRedirect(path)

	ann := w.as("ann@example.com")
	page := ann.get(views.TicketPath(code)).wantStatus(http.StatusOK)
	link := page.doc().Find(".attachments a")
	href, _ := link.Attr("href")
	if link.Text() != "screen.png" || href == "" {
		t.Fatalf("the file under the message: %q %q", link.Text(), href)
	}
	r := ann.get(href).wantStatus(http.StatusOK)
	if r.body != string(photo) || r.header.Get("Content-Type") != "image/png" {
		t.Fatalf("download: type %q, %d bytes", r.header.Get("Content-Type"), len(r.body))
	}
	if d, params, _ := mime.ParseMediaType(r.header.Get("Content-Disposition")); d != "attachment" || params["filename"] != "screen.png" {
		t.Fatalf("Content-Disposition %q", r.header.Get("Content-Disposition"))
	}
	// Bob works in Support: the Sales ticket's file does not exist for him.
	w.as("bob@example.com").get(href).wantStatus(http.StatusNotFound)
	if r := w.app.client().get(href); r.status == http.StatusOK {
		t.Fatal("a stranger downloaded the file")
	}
	ann.get(views.TicketFilePath(w.salesCode, 1)).wantStatus(http.StatusNotFound)

	// The agent's reply carries an HTML file: it goes out as bytes to save.
	ann.postFiles(views.TicketActionPath(views.PathTicketMessages, code), url.Values{"kind": {"reply"}, "body": {"See the guide."}},
		upload{"guide.html", []byte("<script>alert(1)</script>")}).wantRedirect(views.TicketPath(code))
	cpage := cust.get(path).wantStatus(http.StatusOK)
	var guide string
	cpage.doc().Find(".attachments a").Each(func(_ int, s *goquery.Selection) {
		if s.Text() == "guide.html" {
			guide, _ = s.Attr("href")
		}
	})
	if guide == "" {
		t.Fatalf("the customer's page does not list the reply's file:\n%s", cpage.text("#customer-thread"))
	}
	r = cust.get(guide).wantStatus(http.StatusOK)
	if r.header.Get("Content-Type") != "application/octet-stream" || !strings.HasPrefix(r.header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("an HTML file is served as %q, %q", r.header.Get("Content-Type"), r.header.Get("Content-Disposition"))
	}
	// Another ticket's link does not open this ticket's files.
	_, other := customerLinkFromContactForm(t, w, w.app.client(), "Other")
	cust.get(strings.Replace(guide, path, other, 1)).wantStatus(http.StatusNotFound)
}

func TestAttachments_TooLargeIsRefusedAndNothingStored(t *testing.T) {
	w := newTicketWorld(t)
	w.app.srv.cfg.AttachmentLimit = 1 << 10
	cust := w.app.client()
	code, path := customerLinkFromContactForm(t, w, cust, "Big file")
	before := len(w.app.thread(code))
	r := cust.postFiles(path, url.Values{"body": {"Here."}}, upload{"big.bin", bytes.Repeat([]byte("x"), 2<<10)}).wantStatus(http.StatusUnprocessableEntity)
	if got := r.text("#f-files-error"); !strings.HasPrefix(got, "big.bin is larger than") {
		t.Fatalf("message %q", got)
	}
	if n := len(w.app.thread(code)); n != before {
		t.Fatal("a refused reply was stored")
	}
	// The contact form refuses it too, and stores no ticket.
	owner := authz.Viewer{Perms: authz.BuiltinPerms(authz.RoleOwner)}
	counts, _ := w.app.st.StatusCounts(context.Background(), owner, 0)
	cust.get(views.PathContact)
	r = cust.postFiles(views.PathContact, url.Values{"name": {"Carla"}, "email": {"carla@example.com"}, "department": {itoa(w.sales)},
		"subject": {"Another"}, "message": {"Hi"}}, upload{"big.bin", bytes.Repeat([]byte("x"), 2<<10)})
	r.wantStatus(http.StatusUnprocessableEntity)
	after, _ := w.app.st.StatusCounts(context.Background(), owner, 0)
	if after[store.TicketNew] != counts[store.TicketNew] {
		t.Fatal("the refused contact form stored a ticket")
	}
}
