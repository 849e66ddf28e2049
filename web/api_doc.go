package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3gen"
)

// apiDocument builds the OpenAPI 3.1 document of ops from the Go types
// their handlers decode and answer.
func apiDocument(ops []apiOp, rateLimit int) ([]byte, error) {
	doc := &openapi3.T{
		OpenAPI: "3.1.0",
		Info: &openapi3.Info{Title: "Helpline API", Version: "1",
			Description: "Every call acts as the agent whose token it sends (Authorization: Bearer), with that agent's " +
				"permissions and departments as they are at the moment of the call. Errors are application/problem+json " +
				"(RFC 9457). Writes accept an Idempotency-Key header. Each token may make " + strconv.Itoa(rateLimit) +
				" requests a minute; RateLimit headers say how many are left."},
		Servers: openapi3.Servers{{URL: apiPrefix}},
		Paths:   openapi3.NewPaths(),
		Components: &openapi3.Components{
			Schemas: openapi3.Schemas{},
			SecuritySchemes: openapi3.SecuritySchemes{"token": &openapi3.SecuritySchemeRef{Value: &openapi3.SecurityScheme{
				Type: "http", Scheme: "bearer", Description: "An API token from Profile → API tokens."}}},
		},
		Security: openapi3.SecurityRequirements{{"token": []string{}}},
	}
	gen := openapi3gen.NewGenerator(openapi3gen.SchemaCustomizer(requireUnlessOmitempty))
	schema := func(t reflect.Type) (*openapi3.SchemaRef, error) {
		ref, err := gen.NewSchemaRefForValue(reflect.New(t).Elem().Interface(), doc.Components.Schemas)
		if err != nil {
			return nil, fmt.Errorf("web: OpenAPI schema of %s: %w", t, err)
		}
		return ref, nil
	}
	problem, err := schema(reflect.TypeFor[apiProblem]())
	if err != nil {
		return nil, err
	}
	doc.Components.Schemas["Problem"] = problem
	problemRef := &openapi3.SchemaRef{Ref: "#/components/schemas/Problem"}
	for _, op := range ops {
		o := &openapi3.Operation{OperationID: op.id, Summary: op.summary, Responses: openapi3.NewResponses(),
			Tags: []string{strings.Split(strings.TrimPrefix(op.path, "/"), "/")[0]}}
		for _, p := range op.params {
			typ := &openapi3.Types{openapi3.TypeString}
			if p.integer {
				typ = &openapi3.Types{openapi3.TypeInteger}
			}
			param := &openapi3.Parameter{Name: p.name, In: p.in, Description: p.desc, Required: p.in == "path",
				Schema: &openapi3.SchemaRef{Value: &openapi3.Schema{Type: typ}}}
			o.Parameters = append(o.Parameters, &openapi3.ParameterRef{Value: param})
		}
		if op.in != nil {
			in, err := schema(op.in)
			if err != nil {
				return nil, err
			}
			o.RequestBody = &openapi3.RequestBodyRef{Value: openapi3.NewRequestBody().WithRequired(op.in.NumField() > 0).WithJSONSchemaRef(in)}
		}
		if op.write {
			o.Parameters = append(o.Parameters, &openapi3.ParameterRef{Value: &openapi3.Parameter{Name: "Idempotency-Key", In: "header",
				Description: "Send the same key with the same body again within 24 hours to get the first answer, not a second change.",
				Schema:      &openapi3.SchemaRef{Value: &openapi3.Schema{Type: &openapi3.Types{openapi3.TypeString}, MaxLength: openapi3.Uint64Ptr(255)}}}})
		}
		out, err := schema(op.out)
		if err != nil {
			return nil, err
		}
		desc := http.StatusText(op.status)
		ok := openapi3.NewResponse().WithDescription(desc).WithJSONSchemaRef(out)
		ok.Headers = rateHeaders()
		if op.write {
			ok.Headers["Idempotent-Replayed"] = textHeader("true when this is the first answer to the Idempotency-Key, given again")
		}
		o.Responses.Set(strconv.Itoa(op.status), &openapi3.ResponseRef{Value: ok})
		errDesc := "An error, as application/problem+json"
		o.Responses.Set("default", &openapi3.ResponseRef{Value: &openapi3.Response{Description: &errDesc, Headers: rateHeaders(),
			Content: openapi3.Content{"application/problem+json": &openapi3.MediaType{Schema: problemRef}}}})
		path := apiDocPath(op.path)
		item := doc.Paths.Value(path)
		if item == nil {
			item = &openapi3.PathItem{}
			doc.Paths.Set(path, item)
		}
		item.SetOperation(op.method, o)
	}
	return json.MarshalIndent(doc, "", "  ")
}

// apiDocPath turns echo's :name into OpenAPI's {name}.
func apiDocPath(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		if strings.HasPrefix(s, ":") {
			parts[i] = "{" + s[1:] + "}"
		}
	}
	return strings.Join(parts, "/")
}

// requireUnlessOmitempty marks every field that is always sent as
// required, so the document says exactly what a client may count on; and a
// slice is never null in an answer (handlers send [] for none).
func requireUnlessOmitempty(name string, t reflect.Type, tag reflect.StructTag, schema *openapi3.Schema) error {
	if t.Kind() != reflect.Struct || schema.Properties == nil {
		return nil
	}
	schema.AdditionalProperties = openapi3.AdditionalProperties{Has: openapi3.BoolPtr(false)}
	for i := range t.NumField() {
		f := t.Field(i)
		js := f.Tag.Get("json")
		if js == "-" || !f.IsExported() {
			continue
		}
		n, opts, _ := strings.Cut(js, ",")
		if n == "" {
			n = f.Name
		}
		if !strings.Contains(opts, "omitempty") {
			schema.Required = append(schema.Required, n)
		}
		if doc := f.Tag.Get("doc"); doc != "" && schema.Properties[n] != nil && schema.Properties[n].Value != nil {
			schema.Properties[n].Value.Description = doc
		}
	}
	return nil
}

// rateHeaders are the rate limit's headers, on every answer to a token.
func rateHeaders() openapi3.Headers {
	return openapi3.Headers{
		"RateLimit-Policy": textHeader(`the token's limit, such as "token";q=600;w=60 (600 requests in 60 seconds)`),
		"RateLimit":        textHeader(`what is left, such as "token";r=599;t=42 (599 requests in the next 42 seconds)`),
	}
}

func textHeader(desc string) *openapi3.HeaderRef {
	return &openapi3.HeaderRef{Value: &openapi3.Header{Parameter: openapi3.Parameter{Description: desc,
		Schema: &openapi3.SchemaRef{Value: &openapi3.Schema{Type: &openapi3.Types{openapi3.TypeString}}}}}}
}
