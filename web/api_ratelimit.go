package web

import (
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
)

// defaultAPIRateLimit is how many requests one token may make in a minute
// unless Config.APIRateLimit says otherwise.
const defaultAPIRateLimit = 600

// apiWindow counts a token's requests in fixed one-minute windows.
//
// The count is per instance, by design (SPEC §7 allows it): counting in the
// database would add a write to every read of the API, and a desk that
// runs n instances behind a load balancer lets a token make at most n times
// the limit, which still stops a runaway script. The README says so.
type apiWindow struct {
	limit  int
	mu     sync.Mutex
	start  time.Time
	counts map[int64]int
	now    func() time.Time
}

func newAPIWindow(limit int) *apiWindow {
	if limit <= 0 {
		limit = defaultAPIRateLimit
	}
	return &apiWindow{limit: limit, counts: map[int64]int{}, now: time.Now}
}

// take counts one request of token and returns how many remain in this
// window, -1 when none did, and when the window ends.
func (w *apiWindow) take(token int64) (remaining int, reset time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	now := w.now()
	if start := now.Truncate(time.Minute); !start.Equal(w.start) {
		w.start, w.counts = start, map[int64]int{}
	}
	reset = w.start.Add(time.Minute)
	if w.counts[token] >= w.limit {
		return -1, reset
	}
	w.counts[token]++
	return w.limit - w.counts[token], reset
}

// apiRateLimit counts the request against its token and sets the RateLimit
// headers (draft-ietf-httpapi-ratelimit-headers); past the limit it is 429
// with Retry-After.
func (s *Server) apiRateLimit(c echo.Context, ac *apiCall) *apiProblem {
	remaining, reset := s.apiRate.take(ac.token.ID)
	secs := int(time.Until(reset).Round(time.Second) / time.Second)
	if secs < 1 {
		secs = 1
	}
	h := c.Response().Header()
	h.Set("RateLimit-Policy", `"token";q=`+strconv.Itoa(s.apiRate.limit)+`;w=60`)
	h.Set("RateLimit", `"token";r=`+strconv.Itoa(max(remaining, 0))+`;t=`+strconv.Itoa(secs))
	if remaining < 0 {
		h.Set("Retry-After", strconv.Itoa(secs))
		return newProblem(http.StatusTooManyRequests, t(c, "ErrorTooMany"))
	}
	return nil
}
