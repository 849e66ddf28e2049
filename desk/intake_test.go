package desk

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func validTicket() TicketInput {
	return TicketInput{Subject: "Where is my order?", Body: "Order 12 has not come.", Channel: ChannelCall,
		Priority: PriorityHigh, DepartmentID: 7, ContactName: "Eve Customer", ContactEmail: "eve@example.com"}
}

var agentOfSeven = Intake{ByAgent: true, Departments: []int64{7}}

func TestValidateTicket_Rules(t *testing.T) {
	tooLong := func(n int) string { return strings.Repeat("ż", n) } // two bytes each: limits count characters
	for _, tc := range []struct {
		name   string
		change func(*TicketInput)
		intake Intake // zero: agentOfSeven
		field  Field
		want   Problem // zero: no problem at all
	}{
		{name: "valid", change: func(*TicketInput) {}},
		{name: "limits are inclusive", change: func(in *TicketInput) {
			in.ContactName, in.Subject, in.Body = tooLong(MaxName), tooLong(MaxSubject), tooLong(MaxBody)
			in.ContactEmail = strings.Repeat("e", MaxEmail-len("@example.com")) + "@example.com"
		}},
		{name: "any script and line breaks in the body", change: func(in *TicketInput) {
			in.ContactName, in.Body = "Zoë Łukasz-Ștefan 王", "Line one\n\tLine two"
		}},
		{name: "channel missing", change: func(in *TicketInput) { in.Channel = " " }, field: FieldChannel, want: Problem{MessageID: MsgRequired}},
		{name: "channel unknown", change: func(in *TicketInput) { in.Channel = "fax" }, field: FieldChannel, want: Problem{MessageID: MsgInvalidChoice}},
		{name: "agents do not log contact form tickets", change: func(in *TicketInput) { in.Channel = ChannelContactForm },
			field: FieldChannel, want: Problem{MessageID: MsgInvalidChoice}},
		{name: "agents do not log API tickets", change: func(in *TicketInput) { in.Channel = ChannelAPI },
			field: FieldChannel, want: Problem{MessageID: MsgInvalidChoice}},
		{name: "a customer's ticket comes by the contact form", change: func(in *TicketInput) { in.Channel = ChannelContactForm },
			intake: Intake{Departments: []int64{7}}},
		{name: "an API ticket", change: func(in *TicketInput) { in.Channel = ChannelAPI }, intake: Intake{Departments: []int64{7}}},
		{name: "priority below low", change: func(in *TicketInput) { in.Priority = -5 }, field: FieldPriority, want: Problem{MessageID: MsgInvalidChoice}},
		{name: "priority above urgent", change: func(in *TicketInput) { in.Priority = 4 }, field: FieldPriority, want: Problem{MessageID: MsgInvalidChoice}},
		{name: "priority low is a priority", change: func(in *TicketInput) { in.Priority = PriorityLow }},
		{name: "priority text blank", change: func(in *TicketInput) { in.Priority = ParsePriority(" ") }, field: FieldPriority, want: Problem{MessageID: MsgRequired}},
		{name: "priority text not a choice", change: func(in *TicketInput) { in.Priority = ParsePriority("+1") }, field: FieldPriority, want: Problem{MessageID: MsgInvalidChoice}},
		{name: "priority text", change: func(in *TicketInput) { in.Priority = ParsePriority(" 3 ") }},
		{name: "department missing", change: func(in *TicketInput) { in.DepartmentID = ParseDepartmentID("") }, field: FieldDepartment, want: Problem{MessageID: MsgRequired}},
		{name: "department not allowed", change: func(in *TicketInput) { in.DepartmentID = 8 }, field: FieldDepartment, want: Problem{MessageID: MsgInvalidChoice}},
		{name: "department zero as text", change: func(in *TicketInput) { in.DepartmentID = ParseDepartmentID("0") }, field: FieldDepartment, want: Problem{MessageID: MsgInvalidChoice}},
		{name: "department not a number", change: func(in *TicketInput) { in.DepartmentID = ParseDepartmentID("sales") }, field: FieldDepartment, want: Problem{MessageID: MsgInvalidChoice}},
		{name: "no departments allowed", change: func(*TicketInput) {}, intake: Intake{ByAgent: true}, field: FieldDepartment, want: Problem{MessageID: MsgInvalidChoice}},
		{name: "name blank", change: func(in *TicketInput) { in.ContactName = " \t " }, field: FieldContactName, want: Problem{MessageID: MsgRequired}},
		{name: "name too long", change: func(in *TicketInput) { in.ContactName = tooLong(MaxName + 1) }, field: FieldContactName, want: Problem{MessageID: MsgTooLong, Max: MaxName}},
		{name: "name with a line break", change: func(in *TicketInput) { in.ContactName = "Eve\nAdmin" }, field: FieldContactName, want: Problem{MessageID: MsgInvalidChoice}},
		{name: "name turned around", change: func(in *TicketInput) { in.ContactName = "Eve \u202egpj.exe" }, field: FieldContactName, want: Problem{MessageID: MsgInvalidChoice}},
		{name: "name with an isolate", change: func(in *TicketInput) { in.ContactName = "Eve \u2066x\u2069" }, field: FieldContactName, want: Problem{MessageID: MsgInvalidChoice}},
		{name: "name in broken UTF-8", change: func(in *TicketInput) { in.ContactName = "Eve\xff\xfe" }, field: FieldContactName, want: Problem{MessageID: MsgInvalidText}},
		{name: "email blank", change: func(in *TicketInput) { in.ContactEmail = "" }, field: FieldContactEmail, want: Problem{MessageID: MsgRequired}},
		{name: "email too long", change: func(in *TicketInput) { in.ContactEmail = strings.Repeat("e", MaxEmail) + "@example.com" },
			field: FieldContactEmail, want: Problem{MessageID: MsgTooLong, Max: MaxEmail}},
		{name: "email without @", change: func(in *TicketInput) { in.ContactEmail = "not-an-email" }, field: FieldContactEmail, want: Problem{MessageID: MsgEmail}},
		{name: "email with a display name", change: func(in *TicketInput) { in.ContactEmail = "Eve <eve@example.com>" }, field: FieldContactEmail, want: Problem{MessageID: MsgEmail}},
		{name: "email without a dot in the domain", change: func(in *TicketInput) { in.ContactEmail = "eve@localhost" }, field: FieldContactEmail, want: Problem{MessageID: MsgEmail}},
		{name: "email with an escape", change: func(in *TicketInput) { in.ContactEmail = "eve\x1b@example.com" }, field: FieldContactEmail, want: Problem{MessageID: MsgInvalidChoice}},
		{name: "subject blank", change: func(in *TicketInput) { in.Subject = "  " }, field: FieldSubject, want: Problem{MessageID: MsgRequired}},
		{name: "subject too long", change: func(in *TicketInput) { in.Subject = tooLong(MaxSubject + 1) }, field: FieldSubject, want: Problem{MessageID: MsgTooLong, Max: MaxSubject}},
		{name: "subject with a C1 control", change: func(in *TicketInput) { in.Subject = "Ord\u0085er" }, field: FieldSubject, want: Problem{MessageID: MsgInvalidChoice}},
		{name: "subject with a tab", change: func(in *TicketInput) { in.Subject = "Order\t12" }, field: FieldSubject, want: Problem{MessageID: MsgInvalidChoice}},
		{name: "body blank", change: func(in *TicketInput) { in.Body = "\r\n \r\n" }, field: FieldBody, want: Problem{MessageID: MsgRequired}},
		{name: "body too long", change: func(in *TicketInput) { in.Body = tooLong(MaxBody + 1) }, field: FieldBody, want: Problem{MessageID: MsgTooLong, Max: MaxBody}},
		{name: "body with NUL", change: func(in *TicketInput) { in.Body = "Hello\x00" }, field: FieldBody, want: Problem{MessageID: MsgInvalidChoice}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := validTicket()
			tc.change(&in)
			intake := tc.intake
			if intake.Departments == nil && !intake.ByAgent {
				intake = agentOfSeven
			}
			_, errs := ValidateTicket(in, intake)
			if tc.want == (Problem{}) {
				if errs != nil {
					t.Fatalf("refused: %v", errs)
				}
				return
			}
			if len(errs) != 1 || errs[tc.field] != tc.want {
				t.Fatalf("problems %v, want only %s: %+v", errs, tc.field, tc.want)
			}
		})
	}
}

func TestValidateTicket_EveryBlankFieldIsReportedAtOnce(t *testing.T) {
	_, errs := ValidateTicket(TicketInput{Priority: ParsePriority("")}, Intake{ByAgent: true, Departments: []int64{7}})
	for _, f := range []Field{FieldChannel, FieldPriority, FieldDepartment, FieldContactName, FieldContactEmail, FieldSubject, FieldBody} {
		if errs[f] != (Problem{MessageID: MsgRequired}) {
			t.Errorf("%s: %+v, want required", f, errs[f])
		}
	}
}

func TestValidateTicket_TrimsAndKeepsLineBreaksAsNewlines(t *testing.T) {
	in := TicketInput{Subject: "  Order 12 ", Body: "\r\n Hello,\r\nwhere is it?\r\n", Channel: " call ", Priority: PriorityNormal,
		DepartmentID: 7, ContactName: " Eve ", ContactEmail: " eve@example.com\t"}
	got, errs := ValidateTicket(in, agentOfSeven)
	want := TicketInput{Subject: "Order 12", Body: "Hello,\nwhere is it?", Channel: ChannelCall, Priority: PriorityNormal,
		DepartmentID: 7, ContactName: "Eve", ContactEmail: "eve@example.com"}
	if errs != nil || got != want {
		t.Fatalf("got %+v, %v; want %+v", got, errs, want)
	}
	if again, errs := ValidateTicket(got, agentOfSeven); errs != nil || again != got {
		t.Fatalf("validating twice changed it: %+v, %v", again, errs)
	}
}

func TestFieldErrors_AreAnErrorThatNamesTheFields(t *testing.T) {
	_, errs := ValidateTicket(TicketInput{Channel: ChannelCall, DepartmentID: 7, Subject: "S", Body: "B", ContactName: "N", ContactEmail: "x"}, agentOfSeven)
	err := fmt.Errorf("store: create ticket: %w", errs)
	var fe FieldErrors
	if !errors.As(err, &fe) || fe[FieldContactEmail].MessageID != MsgEmail {
		t.Fatalf("errors.As found %v in %v", fe, err)
	}
	if msg := err.Error(); !strings.Contains(msg, "contact_email: ErrEmail") {
		t.Fatalf("message %q does not name the field", msg)
	}
}

func TestProblem_TooLongCarriesItsLimit(t *testing.T) {
	if d := (Problem{MessageID: MsgTooLong, Max: MaxSubject}).TemplateData(); d["Max"] != MaxSubject {
		t.Fatalf("data %v", d)
	}
	if d := (Problem{MessageID: MsgRequired}).TemplateData(); d != nil {
		t.Fatalf("data %v", d)
	}
}
