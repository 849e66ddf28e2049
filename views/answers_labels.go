package views

import (
	"context"

	"helpline/store"
)

func answerDepartment(ctx context.Context, a store.Answer) string {
	if a.DepartmentID == 0 {
		return T(ctx, "AllDepartments")
	}
	return a.DepartmentName
}

func answerFormTitle(ctx context.Context, id int64) string {
	if id == 0 {
		return T(ctx, "CreateAnswer")
	}
	return T(ctx, "EditAnswer")
}

func answerChoicePrompt(ctx context.Context, n int) string {
	if n == 0 {
		return T(ctx, "NoAnswersToInsert")
	}
	return Tn(ctx, "ChooseAnswer", n, nil)
}
