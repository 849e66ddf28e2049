package web

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestAPI_IdempotencyKeyGivesTheFirstAnswerAndNoSecondTicket(t *testing.T) {
	w := newAPIWorld(t)
	api := w.app.apiToken(w.alice)
	body := map[string]any{"department_id": w.sales, "contact_name": "Carl", "contact_email": "carl@example.com",
		"subject": "Order 88", "body": "Where is it?"}
	before := w.countTickets(t)
	first := api.call(http.MethodPost, "/tickets", body, "Idempotency-Key", "order-88").wantStatus(http.StatusCreated)
	again := api.call(http.MethodPost, "/tickets", body, "Idempotency-Key", "order-88").wantStatus(http.StatusCreated)
	if string(first.body) != strings.TrimSpace(string(again.body)) && strings.TrimSpace(string(first.body)) != string(again.body) {
		t.Fatalf("the replay differs:\n%s\n%s", first.body, again.body)
	}
	if again.header.Get("Idempotent-Replayed") != "true" {
		t.Fatal("the replay does not say so")
	}
	if n := w.countTickets(t); n != before+1 {
		t.Fatalf("%d tickets made, want 1", n-before)
	}
	// The same key with another body is a mistake no retry fixes: 422.
	body["subject"] = "Order 89"
	p := api.call(http.MethodPost, "/tickets", body, "Idempotency-Key", "order-88").wantStatus(http.StatusUnprocessableEntity).problem()
	if !strings.Contains(p.Detail, "Idempotency-Key") {
		t.Fatalf("problem %+v", p)
	}
	// Keys are the token's own: another token's same key is a new request.
	other := w.app.apiToken(w.alice)
	other.call(http.MethodPost, "/tickets", body, "Idempotency-Key", "order-88").wantStatus(http.StatusCreated)
	if n := w.countTickets(t); n != before+2 {
		t.Fatalf("%d tickets made, want 2", n-before)
	}
	// Past 24 hours the key is free again.
	w.app.st.SetClock(func() time.Time { return time.Now().Add(25 * time.Hour) })
	api.call(http.MethodPost, "/tickets", body, "Idempotency-Key", "order-88").wantStatus(http.StatusCreated)
	if n := w.countTickets(t); n != before+3 {
		t.Fatalf("%d tickets made, want 3", n-before)
	}
}

// Ten requests with one key at the same moment make one ticket.
func TestAPI_IdempotencyKeyHoldsUnderConcurrentRetries(t *testing.T) {
	w := newAPIWorld(t)
	api := w.app.apiToken(w.alice)
	body := map[string]any{"department_id": w.sales, "contact_name": "Carl", "contact_email": "carl@example.com",
		"subject": "Order 90", "body": "Retry storm"}
	before := w.countTickets(t)
	var wg sync.WaitGroup
	statuses := make([]int, 10)
	for i := range statuses {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses[i] = api.call(http.MethodPost, "/tickets", body, "Idempotency-Key", "storm").status
		}()
	}
	wg.Wait()
	for _, st := range statuses {
		if st != http.StatusCreated && st != http.StatusConflict {
			t.Fatalf("statuses %v: want 201 or 409 (still running)", statuses)
		}
	}
	if n := w.countTickets(t); n != before+1 {
		t.Fatalf("%d tickets made, want 1; statuses %v", n-before, statuses)
	}
}

func TestAPI_RateLimitPerTokenWithHeadersAnd429(t *testing.T) {
	w := newAPIWorld(t)
	now := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	w.app.srv.apiRate.now = func() time.Time { return now }
	api := w.app.apiToken(w.alice)
	other := w.app.apiToken(w.tm.owner)
	r := api.get("/departments").wantStatus(http.StatusOK)
	if r.header.Get("RateLimit-Policy") != `"token";q=600;w=60` || !strings.HasPrefix(r.header.Get("RateLimit"), `"token";r=599;t=`) {
		t.Fatalf("headers %q %q", r.header.Get("RateLimit-Policy"), r.header.Get("RateLimit"))
	}
	for i := 1; i < defaultAPIRateLimit; i++ {
		w.app.srv.apiRate.take(mustTokenID(t, w, api))
	}
	p := api.get("/departments").wantStatus(http.StatusTooManyRequests).problem()
	if p.Status != 429 || r.header.Get("Retry-After") == "" && api.get("/departments").header.Get("Retry-After") == "" {
		t.Fatalf("429 without Retry-After: %+v", p)
	}
	other.get("/departments").wantStatus(http.StatusOK) // each token has its own count
	now = now.Add(time.Minute)
	api.get("/departments").wantStatus(http.StatusOK)
}

func mustTokenID(t *testing.T, w *apiWorld, c *apiClient) int64 {
	t.Helper()
	tok, _, err := w.app.st.AuthenticateAPIToken(t.Context(), c.secret)
	if err != nil {
		t.Fatal(err)
	}
	return tok.ID
}
