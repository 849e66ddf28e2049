package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"

	"github.com/labstack/echo/v4"

	"helpline/authz"
	"helpline/desk"
	"helpline/static"
	"helpline/store"
	"helpline/views"
)

// apiPrefix is where the HTTP API lives. Only API tokens open it: the
// console's cookies are never read there, so no page of another site can
// make a signed-in browser call it, and CSRF tokens do not apply.
const apiPrefix = "/api/v1"

// apiOp is one operation of the HTTP API: how it is called, the permission
// it needs, and the Go types of its body and answer. The handler decodes
// into In and answers Out, and the OpenAPI document is built from the same
// two types, so the document cannot drift from what is served.
type apiOp struct {
	method, path string // path in echo's form, :name for parameters
	perm         authz.Perm
	id, summary  string
	status       int // of a successful answer
	params       []apiParam
	in, out      reflect.Type // in nil: no body
	write        bool         // changes something: takes Idempotency-Key
	handle       func(ac *apiCall) (any, error)
}

// apiParam is a path or query parameter of an operation.
type apiParam struct {
	name, in, desc string // in: "path" or "query"
	integer        bool
}

func pathParam(name, desc string) apiParam { return apiParam{name: name, in: "path", desc: desc} }
func pathIDParam(name, desc string) apiParam {
	return apiParam{name: name, in: "path", desc: desc, integer: true}
}
func queryParam(name, desc string) apiParam { return apiParam{name: name, in: "query", desc: desc} }

// apiGet is a read: no body, answers Out with 200.
func apiGet[Out any](path string, perm authz.Perm, id, summary string, params []apiParam, h func(*apiCall) (Out, error)) apiOp {
	return apiOp{method: http.MethodGet, path: path, perm: perm, id: id, summary: summary, status: http.StatusOK, params: params,
		out: reflect.TypeFor[Out](), handle: func(ac *apiCall) (any, error) { return h(ac) }}
}

// apiWrite is a change with a JSON body In, answering Out with status.
func apiWrite[In, Out any](method, path string, perm authz.Perm, id, summary string, status int, params []apiParam,
	h func(*apiCall, In) (Out, error)) apiOp {
	return apiOp{method: method, path: path, perm: perm, id: id, summary: summary, status: status, params: params,
		in: reflect.TypeFor[In](), out: reflect.TypeFor[Out](), write: true,
		handle: func(ac *apiCall) (any, error) {
			var in In
			if err := ac.decode(&in); err != nil {
				return nil, err
			}
			return h(ac, in)
		}}
}

// apiDelete is a removal without a body, answering Out with 200.
func apiDelete[Out any](path string, perm authz.Perm, id, summary string, params []apiParam, h func(*apiCall) (Out, error)) apiOp {
	return apiOp{method: http.MethodDelete, path: path, perm: perm, id: id, summary: summary, status: http.StatusOK, params: params,
		out: reflect.TypeFor[Out](), write: true, handle: func(ac *apiCall) (any, error) { return h(ac) }}
}

// apiCall is one request to the API: its token's agent as they are now.
type apiCall struct {
	c     echo.Context
	agent store.Agent
	token store.APIToken
	body  []byte
	// idemKey is the Idempotency-Key this request claimed, if any.
	idemKey string
}

func (ac *apiCall) viewer() authz.Viewer { return ac.agent.Viewer() }

// decode reads the JSON body into v: unknown fields and trailing data are
// refused, so a misspelt field is an error and not silently ignored.
func (ac *apiCall) decode(v any) error {
	body := ac.body
	if len(strings.TrimSpace(string(body))) == 0 {
		body = []byte("{}") // a body with nothing to say may be left out
	}
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return apiBadRequest("the body is not the JSON this operation takes: " + err.Error())
	}
	if dec.More() {
		return apiBadRequest("the body holds more than one JSON value")
	}
	return nil
}

// apiProblem is an error answer, RFC 9457's application/problem+json.
type apiProblem struct {
	Type   string          `json:"type"`
	Title  string          `json:"title"`
	Status int             `json:"status"`
	Detail string          `json:"detail,omitempty"`
	Errors []apiFieldError `json:"errors,omitempty"`
}

// apiFieldError is what is wrong with one field of the body.
type apiFieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

func (p *apiProblem) Error() string { return fmt.Sprintf("%d %s", p.Status, p.Detail) }

func newProblem(status int, detail string) *apiProblem {
	return &apiProblem{Type: "about:blank", Title: http.StatusText(status), Status: status, Detail: detail}
}

func apiBadRequest(detail string) error { return newProblem(http.StatusBadRequest, detail) }

// apiInvalid is 422 with the message of each bad field.
func apiInvalid(errs []apiFieldError) error {
	p := newProblem(http.StatusUnprocessableEntity, "some fields are not valid")
	p.Errors = errs
	return p
}

// apiFieldErrors turns the intake rules' problems into field errors in the
// request's language, named as the body names them.
func apiFieldErrors(c echo.Context, problems desk.FieldErrors, names map[desk.Field]string) []apiFieldError {
	var out []apiFieldError
	for field, p := range problems {
		name := names[field]
		if name == "" {
			name = string(field)
		}
		out = append(out, apiFieldError{Field: name, Message: tf(c, p.MessageID, p.TemplateData())})
	}
	sortFieldErrors(out)
	return out
}

func sortFieldErrors(errs []apiFieldError) {
	for i := 1; i < len(errs); i++ {
		for j := i; j > 0 && errs[j].Field < errs[j-1].Field; j-- {
			errs[j], errs[j-1] = errs[j-1], errs[j]
		}
	}
}

// problemFor picks the answer to err with the console's status codes.
func (s *Server) problemFor(c echo.Context, err error) *apiProblem {
	var p *apiProblem
	var re store.RuleError
	var ce store.ErrConflict
	var he *echo.HTTPError
	switch {
	case errors.As(err, &p):
		return p
	case errors.Is(err, store.ErrNotFound):
		return newProblem(http.StatusNotFound, t(c, "ErrorNotFound"))
	case errors.As(err, &re):
		if m, ok := ruleMessages[re.Rule]; ok {
			return newProblem(m.status, t(c, m.msgID))
		}
		return newProblem(http.StatusConflict, string(re.Rule))
	case errors.As(err, &ce):
		p := newProblem(http.StatusConflict, "the value is taken")
		p.Errors = []apiFieldError{{Field: ce.Field, Message: "another one has this value already"}}
		return p
	case errors.As(err, &he):
		detail := http.StatusText(he.Code)
		if m, ok := he.Message.(string); ok && he.Code != http.StatusInternalServerError {
			detail = m
		}
		return newProblem(he.Code, detail)
	}
	s.log.Error("api request failed", "method", c.Request().Method, "path", c.Path(), "err", err)
	return newProblem(http.StatusInternalServerError, "the server could not answer; try again later")
}

func writeProblem(c echo.Context, p *apiProblem) error {
	b, _ := json.Marshal(p)
	return c.Blob(p.Status, "application/problem+json", b)
}

// apiServe runs one operation: the token, the permission table, the rate
// limit and Idempotency-Key, then the handler, and writes its answer or
// problem itself, so no API error ever reaches the console's error pages.
func (s *Server) apiServe(op apiOp) echo.HandlerFunc {
	return func(c echo.Context) error {
		ac, p := s.apiAuthenticate(c)
		if p != nil {
			if p.Status == http.StatusUnauthorized {
				c.Response().Header().Set("WWW-Authenticate", `Bearer realm="helpline"`)
			}
			return writeProblem(c, p)
		}
		if p := s.apiRateLimit(c, ac); p != nil {
			return writeProblem(c, p)
		}
		if !ac.agent.Perms.Has(op.perm) {
			return writeProblem(c, newProblem(http.StatusForbidden, t(c, "ErrorForbidden")))
		}
		if p := s.apiDeskEnded(c, op); p != nil {
			return writeProblem(c, p)
		}
		if op.write {
			b, err := io.ReadAll(c.Request().Body)
			if err != nil {
				return writeProblem(c, s.problemFor(c, err))
			}
			ac.body = b
			replayed, err := s.apiIdempotent(c, ac, op)
			if replayed {
				return nil
			}
			if err != nil {
				return writeProblem(c, s.problemFor(c, err))
			}
		}
		out, err := op.handle(ac)
		if err != nil {
			p := s.problemFor(c, err)
			s.apiRemember(c, ac, op, p.Status, "application/problem+json", p)
			return writeProblem(c, p)
		}
		s.apiRemember(c, ac, op, op.status, echo.MIMEApplicationJSON, out)
		return c.JSON(op.status, out)
	}
}

// apiAuthenticate reads the bearer token. Cookies are not looked at.
func (s *Server) apiAuthenticate(c echo.Context) (*apiCall, *apiProblem) {
	req := c.Request()
	lang := views.MatchLanguage(req.Header.Get("Accept-Language"))
	c.SetRequest(req.WithContext(views.WithEnv(req.Context(), &views.Env{Lang: lang, Localizer: views.Localizer(lang),
		Asset: static.URL, Path: req.URL.Path})))
	auth := req.Header.Get(echo.HeaderAuthorization)
	scheme, secret, ok := strings.Cut(auth, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(secret) == "" {
		return nil, newProblem(http.StatusUnauthorized, "send an API token: Authorization: Bearer <token> (Profile → API tokens)")
	}
	tok, agent, err := s.st.AuthenticateAPIToken(req.Context(), strings.TrimSpace(secret))
	if errors.Is(err, store.ErrNotFound) {
		return nil, newProblem(http.StatusUnauthorized, "the token is unknown, expired or revoked, or its agent can no longer sign in")
	}
	if err != nil {
		return nil, s.problemFor(c, err)
	}
	if agent.Language != "" && views.IsLanguage(agent.Language) && req.Header.Get("Accept-Language") == "" {
		lang = agent.Language
		c.SetRequest(c.Request().WithContext(views.WithEnv(c.Request().Context(), &views.Env{Lang: lang,
			Localizer: views.Localizer(lang), Asset: static.URL, Path: req.URL.Path})))
	}
	return &apiCall{c: c, agent: agent, token: tok}, nil
}

// isAPI reports whether the request is for the HTTP API, which the
// console's session, CSRF and first-run middleware leave alone.
func isAPI(c echo.Context) bool {
	p := c.Request().URL.Path
	return p == apiPrefix || strings.HasPrefix(p, apiPrefix+"/")
}

// registerAPI adds the API's operations and its OpenAPI document to the
// router. An operation without a permission stops the server starting.
func (s *Server) registerAPI(ops []apiOp) error {
	for _, op := range ops {
		if op.perm == 0 {
			return fmt.Errorf("web: API operation %s %s declares no permission", op.method, op.path)
		}
		s.e.Add(op.method, apiPrefix+op.path, s.apiServe(op))
	}
	doc, err := apiDocument(ops, s.apiRate.limit)
	if err != nil {
		return err
	}
	s.e.GET(apiPrefix+"/openapi.json", func(c echo.Context) error {
		c.Response().Header().Set("Cache-Control", "no-cache")
		return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, doc)
	})
	return nil
}
