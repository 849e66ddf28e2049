package desk

import (
	"slices"
	"testing"
)

func TestUnknownPlaceholders(t *testing.T) {
	cases := []struct {
		body string
		want []string
	}{
		{"Hello {{customer.name}}, {{ agent.name }} here about {{ticket.code}}.", nil},
		{"Hello {{customer.email}} and {{customer.email}} and {{}}", []string{"customer.email", ""}},
		{"No placeholders, { single } braces.", nil},
	}
	for _, c := range cases {
		if got := UnknownPlaceholders(c.body); !slices.Equal(got, c.want) {
			t.Errorf("UnknownPlaceholders(%q) = %q, want %q", c.body, got, c.want)
		}
	}
}

func TestFillAnswer(t *testing.T) {
	got := FillAnswer("Hi {{customer.name}}, {{ agent.name }} on {{ticket.code}} {{other}}", map[string]string{
		PlaceholderCustomerName: "Ann", PlaceholderAgentName: "Bob", PlaceholderTicketCode: "ABC-12345-XYZ",
	})
	if want := "Hi Ann, Bob on ABC-12345-XYZ {{other}}"; got != want {
		t.Fatalf("FillAnswer = %q, want %q", got, want)
	}
}
