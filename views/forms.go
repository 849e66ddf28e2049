package views

// FieldErrors maps a form field's name to its (translated) message.
type FieldErrors map[string]string

// Field describes one labelled input of a form.
type Field struct {
	Name         string
	LabelID      string
	Type         string
	Value        string
	Autocomplete string
	HintID       string
	Required     bool
	MaxLength    int
	Autofocus    bool
}

func fieldID(name string) string { return "f-" + name }

func errorID(name string) string { return "f-" + name + "-error" }

func fieldType(f Field) string {
	if f.Type == "" {
		return "text"
	}
	return f.Type
}

func describedBy(f Field, errs FieldErrors) string {
	ids := ""
	if f.HintID != "" {
		ids = fieldID(f.Name) + "-hint"
	}
	if errs[f.Name] != "" {
		if ids != "" {
			ids += " "
		}
		ids += errorID(f.Name)
	}
	return ids
}
