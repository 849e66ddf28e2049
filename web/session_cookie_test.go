package web

import (
	"reflect"
	"testing"
)

func TestCookieSerializer_KeepsEveryValueAndRefusesUnknownOnes(t *testing.T) {
	in := map[any]any{keyToken: "tok", keyNonce: "nonce", keyRemember: true, keyFlashes: []any{"success\x00Saved.", "info\x00Hi"}}
	b, err := cookieSerializer{}.Serialize(in)
	if err != nil {
		t.Fatal(err)
	}
	var out map[any]any
	if err := (cookieSerializer{}).Deserialize(b, &out); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(in, out) {
		t.Fatalf("round trip: %v, want %v", out, in)
	}
	for _, bad := range []map[any]any{{"other": "x"}, {keyRemember: "yes"}, {keyFlashes: []any{1}}} {
		if _, err := (cookieSerializer{}).Serialize(bad); err == nil {
			t.Errorf("%v serialized; a value the cookie cannot carry must be refused", bad)
		}
	}
}
