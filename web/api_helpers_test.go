package web

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"helpline/store"
)

// apiSpec is the served OpenAPI document of one test app, loaded and
// validated once, that every API answer in the tests is checked against.
type apiSpec struct {
	doc    *openapi3.T
	router routers.Router
}

var apiSpecs sync.Map // *testApp -> *apiSpec

func (a *testApp) apiSpec() *apiSpec {
	a.t.Helper()
	if sp, ok := apiSpecs.Load(a); ok {
		return sp.(*apiSpec)
	}
	res, err := http.Get(a.ts.URL + apiPrefix + "/openapi.json")
	if err != nil {
		a.t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		a.t.Fatalf("openapi.json: status %d", res.StatusCode)
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(b)
	if err != nil {
		a.t.Fatalf("openapi.json does not load: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		a.t.Fatalf("openapi.json is not a valid OpenAPI document: %v", err)
	}
	doc.Servers = openapi3.Servers{{URL: a.ts.URL + apiPrefix}}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		a.t.Fatal(err)
	}
	sp := &apiSpec{doc: doc, router: router}
	apiSpecs.Store(a, sp)
	return sp
}

// apiClient calls the API with one token.
type apiClient struct {
	app    *testApp
	secret string
}

// apiToken gives agent a token made through the store.
func (a *testApp) apiToken(agent store.Agent) *apiClient {
	a.t.Helper()
	_, secret, err := a.st.CreateAPIToken(context.Background(), agent.ID, "test", time.Time{}, "")
	if err != nil {
		a.t.Fatal(err)
	}
	return &apiClient{app: a, secret: secret}
}

type apiResponse struct {
	status int
	header http.Header
	body   []byte
	t      testing.TB
}

// call sends body (nil: none) as JSON with the token and checks the answer
// against the OpenAPI document.
func (c *apiClient) call(method, path string, body any, headers ...string) *apiResponse {
	c.app.t.Helper()
	var raw []byte
	if body != nil {
		if s, ok := body.(string); ok {
			raw = []byte(s)
		} else {
			raw, _ = json.Marshal(body)
		}
	}
	req, err := http.NewRequest(method, c.app.ts.URL+apiPrefix+path, bytes.NewReader(raw))
	if err != nil {
		c.app.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.secret != "" {
		req.Header.Set("Authorization", "Bearer "+c.secret)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		c.app.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	r := &apiResponse{status: res.StatusCode, header: res.Header, body: b, t: c.app.t}
	c.app.validate(req, r)
	return r
}

// validate checks an answer against the OpenAPI document: the operation
// exists, and the status, content type and body are what it documents.
func (a *testApp) validate(req *http.Request, r *apiResponse) {
	a.t.Helper()
	sp := a.apiSpec()
	route, params, err := sp.router.FindRoute(req)
	if err != nil {
		if r.status == http.StatusNotFound || r.status == http.StatusMethodNotAllowed {
			return // no such operation: echo's own answer
		}
		a.t.Fatalf("%s %s is not in the OpenAPI document: %v", req.Method, req.URL.Path, err)
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 r.status, Header: r.header, Options: &openapi3filter.Options{IncludeResponseStatus: true},
	}
	in.SetBodyBytes(r.body)
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		a.t.Fatalf("%s %s answered %d, not as the OpenAPI document says: %v\n%s", req.Method, req.URL.Path, r.status, err, r.body)
	}
}

func (c *apiClient) get(path string) *apiResponse { return c.call(http.MethodGet, path, nil) }

func (r *apiResponse) wantStatus(want int) *apiResponse {
	r.t.Helper()
	if r.status != want {
		r.t.Fatalf("status %d, want %d; body:\n%.2000s", r.status, want, r.body)
	}
	return r
}

// decode reads the JSON body into v.
func (r *apiResponse) decode(v any) {
	r.t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		r.t.Fatalf("body %q: %v", r.body, err)
	}
}

// problem reads an error answer and checks it is problem+json.
func (r *apiResponse) problem() apiProblem {
	r.t.Helper()
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		r.t.Fatalf("error answer as %q, want application/problem+json", ct)
	}
	var p apiProblem
	r.decode(&p)
	if p.Status != r.status {
		r.t.Fatalf("problem says status %d, answer %d", p.Status, r.status)
	}
	return p
}
