package views

import (
	"strconv"

	"helpline/store"
)

// Paths of Configuration → Predefined answers, and of inserting one into a
// ticket's reply.
const (
	PathAnswers       = "/config/answers"
	PathAnswerNew     = "/config/answers/new"
	PathAnswer        = "/config/answers/:id"
	PathAnswerRemove  = "/config/answers/:id/remove"
	PathTicketAnswer  = "/tickets/:code/answer"
	PathTicketAnswers = "/tickets/:code/answers"
)

// The answer form's choice of Personal or Shared.
const (
	AnswerKindPersonal = "personal"
	AnswerKindShared   = "shared"
)

// AnswerRowID is the id of a predefined answer's row.
func AnswerRowID(id int64) string { return "answer-" + strconv.FormatInt(id, 10) }

// AnswersProps is the list of the predefined answers the user manages.
type AnswersProps struct {
	Rows []store.Answer
}

// AnswerValues are the fields of the answer form.
type AnswerValues struct {
	Title        string
	Body         string
	DepartmentID int64
	Kind         string // AnswerKindPersonal or AnswerKindShared
}

// AnswerFormProps is the create or edit form of a predefined answer;
// CanShare offers Shared (canned:manage_departments).
type AnswerFormProps struct {
	ID          int64 // 0 creates
	Values      AnswerValues
	Errors      FieldErrors
	Departments []store.Department
	CanShare    bool
}

func answerFormAction(id int64) string {
	if id == 0 {
		return PathAnswers
	}
	return WithID(PathAnswer, id)
}

// AnswerPicker is Insert answer in a ticket's reply editor: the answers the
// agent may use on the ticket (Options, those matching Query), which one
// is chosen, and the ticket's action URLs.
type AnswerPicker struct {
	Options  []store.Answer
	Query    string
	Chosen   int64
	Inserted bool // the body was just filled: the editor takes the focus
}

func idString(id int64) string { return strconv.FormatInt(id, 10) }
