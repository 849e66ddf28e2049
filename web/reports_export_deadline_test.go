package web

import (
	"encoding/csv"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"helpline/views"
)

// A download of Export tickets moves the server's write deadline on as it
// goes, so a big desk's year is not cut at the server's write timeout: under
// a timeout shorter than the export takes, the CSV still arrives whole.
func TestReports_ExportTicketsOutlastsTheWriteTimeout(t *testing.T) {
	w := newReportWorld(t)
	adam := w.as("adam@example.com")
	ts := httptest.NewUnstartedServer(w.app.srv.Handler())
	ts.Config.WriteTimeout = time.Millisecond
	ts.Start()
	defer ts.Close()
	req, _ := http.NewRequest(http.MethodGet, ts.URL+views.PathReportsTicketsCSV+"?period=today", nil)
	u, _ := url.Parse(w.app.ts.URL)
	for _, ck := range adam.http.Jar.Cookies(u) {
		req.AddCookie(ck)
	}
	res, err := ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	rows, err := csv.NewReader(res.Body).ReadAll()
	if err != nil || res.StatusCode != http.StatusOK || len(rows) != 3 {
		t.Fatalf("status %d, %d rows, %v", res.StatusCode, len(rows), err)
	}
}
