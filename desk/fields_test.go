package desk

import (
	"slices"
	"testing"
)

func TestFieldValue_PerType(t *testing.T) {
	dropdown := FieldDef{Type: FieldDropdown, Options: []string{"Widget", "Gadget"}}
	for _, c := range []struct {
		def  FieldDef
		raw  string
		want string
		msg  string // "" when accepted
	}{
		{FieldDef{Type: FieldText}, "  Blue  ", "Blue", ""},
		{FieldDef{Type: FieldText}, "two\nlines", "", MsgInvalidChoice},
		{FieldDef{Type: FieldText, Required: true}, "   ", "", MsgRequired},
		{FieldDef{Type: FieldLongText}, "a\r\nb", "a\nb", ""},
		{FieldDef{Type: FieldNumber}, "0", "0", ""},
		{FieldDef{Type: FieldNumber}, "+0012,50", "12.50", ""},
		{FieldDef{Type: FieldNumber}, "-0.0", "0.0", ""},
		{FieldDef{Type: FieldNumber}, "-3", "-3", ""},
		{FieldDef{Type: FieldNumber}, "1.2.3", "", MsgNotNumber},
		{FieldDef{Type: FieldNumber}, ".5", "", MsgNotNumber},
		{FieldDef{Type: FieldNumber}, "1 000", "", MsgNotNumber},
		{FieldDef{Type: FieldNumber}, "1234567890123456789012345678901", "", MsgNotNumber},
		{FieldDef{Type: FieldDate}, "2024-02-29", "2024-02-29", ""},
		{FieldDef{Type: FieldDate}, "2023-02-29", "", MsgNotDate},
		{FieldDef{Type: FieldDate}, "0999-01-01", "", MsgNotDate},
		{dropdown, "Gadget", "Gadget", ""},
		{dropdown, " Gadget ", "Gadget", ""},
		{dropdown, "GADGET", "", MsgInvalidChoice},
		{FieldDef{Type: FieldCheckbox}, "on", CheckboxOn, ""},
		{FieldDef{Type: FieldCheckbox}, "", "", ""},
		{FieldDef{Type: FieldCheckbox, Required: true}, "", "", MsgRequired},
		{FieldDef{Type: FieldCheckbox}, "yes please", "", MsgInvalidChoice},
		{FieldDef{Type: "colour"}, "red", "", MsgInvalidChoice},
	} {
		got, p, ok := FieldValue(c.def, c.raw)
		if ok != (c.msg == "") || got != c.want || p.MessageID != c.msg {
			t.Errorf("%s %q: %q, %q, %v; want %q, %q", c.def.Type, c.raw, got, p.MessageID, ok, c.want, c.msg)
		}
	}
}

func TestFieldOptions_OnePerLineWithoutBlanksOrRepeats(t *testing.T) {
	got := FieldOptions("Widget\r\n\n  Big   gadget \nWidget\n")
	if !slices.Equal(got, []string{"Widget", "Big gadget"}) {
		t.Fatalf("options %q", got)
	}
}

func TestValidFieldCode(t *testing.T) {
	for code, want := range map[string]bool{"product": true, "Order_no2": true, "_x": false, "2nd": false, "my-code": false, "": false,
		"zażółć": false, "a2345678901234567890123456789012345678901": false, "a234567890123456789012345678901234567890": true} {
		if ValidFieldCode(code) != want {
			t.Errorf("ValidFieldCode(%q) = %v", code, !want)
		}
	}
}
