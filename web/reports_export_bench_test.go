package web

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"helpline/views"
)

// countingWriter is a response that keeps only its status and line count,
// so the benchmark times the export, not a growing buffer.
type countingWriter struct {
	header http.Header
	status int
	lines  int
}

func (w *countingWriter) Header() http.Header  { return w.header }
func (w *countingWriter) WriteHeader(code int) { w.status = code }
func (w *countingWriter) Write(p []byte) (int, error) {
	w.lines += bytes.Count(p, []byte{'\n'})
	return len(p), nil
}
func (w *countingWriter) Flush() {}

// BenchmarkExportTickets_Year downloads Reports → Export tickets of the
// last year of the bench desk as an Administrator, through the whole
// handler (CSV, labels, time zone), and reports rows/s.
func BenchmarkExportTickets_Year(b *testing.B) {
	s := newBenchSite(b)
	now := time.Now().UTC()
	q := url.Values{"period": {"custom"}, "from": {now.AddDate(-1, 0, 0).Format("2006-01-02")}, "to": {now.Format("2006-01-02")}}
	path := views.PathReportsTicketsCSV + "?" + q.Encode()
	rows := 0
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("Cookie", s.adminCookie)
		w := &countingWriter{header: http.Header{}, status: http.StatusOK}
		s.app.srv.Handler().ServeHTTP(w, req)
		if w.status != http.StatusOK || w.lines < benchTickets/2 {
			b.Fatalf("GET %s: status %d, %d lines", path, w.status, w.lines)
		}
		rows += w.lines - 1
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(rows)/float64(b.N), "rows/op")
}
