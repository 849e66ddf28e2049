package web

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"

	"helpline/authz"
)

// permIdents maps the identifiers of authz's permission constants to their
// values, read from authz's source: the constants are an iota block, so a
// permission's identifier is the one at its position.
func permIdents(t *testing.T) map[string]authz.Perm {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "../authz/authz.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]authz.Perm{}
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST || len(g.Specs) == 0 {
			continue
		}
		first, ok := g.Specs[0].(*ast.ValueSpec)
		if !ok || first.Type == nil || types(first.Type) != "Perm" {
			continue
		}
		for i, spec := range g.Specs {
			for _, name := range spec.(*ast.ValueSpec).Names {
				if name.Name != "_" {
					out[name.Name] = authz.Perm(i)
				}
			}
		}
	}
	if len(out) == 0 {
		t.Fatal("found no permission constants in authz")
	}
	return out
}

func types(e ast.Expr) string {
	if id, ok := e.(*ast.Ident); ok {
		return id.Name
	}
	return ""
}

// storeDecisions lists the permissions the store's own code asks for
// (authz.X in non-test files of store).
func storeDecisions(t *testing.T, idents map[string]authz.Perm) map[authz.Perm][]string {
	t.Helper()
	files, err := filepath.Glob("../store/*.go")
	if err != nil {
		t.Fatal(err)
	}
	out := map[authz.Perm][]string{}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if pkg, ok := sel.X.(*ast.Ident); ok && pkg.Name == "authz" {
				if p, ok := idents[sel.Sel.Name]; ok {
					out[p] = append(out[p], fset.Position(sel.Pos()).String())
				}
			}
			return true
		})
	}
	return out
}

// TestCatalogue_EveryPermissionGuardsARouteOrAStoreDecision walks the
// catalogue: a permission that neither a route nor the store asks for would
// show on the Roles page as a right nothing enforces.
func TestCatalogue_EveryPermissionGuardsARouteOrAStoreDecision(t *testing.T) {
	app := newTestApp(t)
	routed := map[authz.Perm]bool{}
	for _, r := range app.srv.routes() {
		for _, p := range r.perm.anyOf {
			routed[p] = true
		}
	}
	decided := storeDecisions(t, permIdents(t))
	for _, in := range authz.Catalogue() {
		if !routed[in.Perm] && len(decided[in.Perm]) == 0 {
			t.Errorf("%s guards no route and no store decision", in.Name)
		}
	}
	// The scan itself must see what it is meant to.
	if len(decided[authz.TicketsReadAll]) == 0 || len(decided[authz.AgentsManage]) == 0 {
		t.Fatal("the store scan found no scope or agent-management decision; is it still reading the store?")
	}
}
