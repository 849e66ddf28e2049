package views

import (
	"context"
	"math"
	"strconv"
	"strings"

	"helpline/store"
)

// Paths of Configuration → Tags, and the style sheet of the tags' colours.
const (
	PathTags       = "/config/tags"
	PathTagNew     = "/config/tags/new"
	PathTag        = "/config/tags/:id"
	PathTagMerge   = "/config/tags/:id/merge"
	PathTagRemove  = "/config/tags/:id/remove"
	PathTagColours = "/tag-colours.css"
)

// DefaultTagColour is what the colour field offers for a new tag.
const DefaultTagColour = "#2563eb"

// TagRowID is the id of a tag's row.
func TagRowID(id int64) string { return "tag-" + strconv.FormatInt(id, 10) }

// TagListProps is the tags table of Configuration → Tags.
type TagListProps struct {
	Rows []store.Tag
	// Rules are the names of the rules that use each tag.
	Rules map[string][]string
}

// TagValues are the fields of the tag form.
type TagValues struct {
	Name   string
	Colour string
}

// TagFormProps is the create or edit form of a tag; Tickets is how many
// carry it (they follow a rename).
type TagFormProps struct {
	ID      int64
	Tickets int
	Values  TagValues
	Errors  FieldErrors
}

// TagMergeProps is the form merging a tag into another.
type TagMergeProps struct {
	Tag     store.Tag
	Targets []store.Tag
	Into    int64
	Errors  FieldErrors
}

func tagFormAction(id int64) string {
	if id == 0 {
		return PathTags
	}
	return WithID(PathTag, id)
}

func tagColourValue(c string) string {
	if c == "" {
		return DefaultTagColour
	}
	return c
}

// TagTextColour is the text colour readable on a chip of background bg
// (#rrggbb): black or white, whichever contrasts more by the WCAG formula.
// The chip carries both colours, so it reads the same on the light and
// the dark theme.
func TagTextColour(bg string) string {
	if len(bg) != 7 || bg[0] != '#' {
		return ""
	}
	lum := 0.0
	for i, weight := range []float64{0.2126, 0.7152, 0.0722} {
		v, err := strconv.ParseUint(bg[1+2*i:3+2*i], 16, 8)
		if err != nil {
			return ""
		}
		c := float64(v) / 255
		if c <= 0.03928 {
			c /= 12.92
		} else {
			c = math.Pow((c+0.055)/1.055, 2.4)
		}
		lum += weight * c
	}
	if (lum+0.05)/0.05 >= 1.05/(lum+0.05) {
		return "#000000"
	}
	return "#ffffff"
}

// TagColoursCSS is the style sheet giving each coloured tag's chips its
// colour (the Content-Security-Policy allows no inline styles). Chips
// carry their name in data-tag.
func TagColoursCSS(tags []store.Tag) string {
	var b strings.Builder
	for _, t := range tags {
		fg := TagTextColour(t.Colour)
		if fg == "" {
			continue
		}
		sel := `.tag[data-tag="` + cssString(t.Name) + `"]`
		b.WriteString(sel + `{background:` + t.Colour + `;color:` + fg + `;border-color:` + fg + `33}`)
		b.WriteString(sel + ` .tag-remove{color:inherit}` + "\n")
	}
	return b.String()
}

// cssString escapes s for a double-quoted CSS string: quotes, backslashes
// and anything below a space become hexadecimal escapes.
func cssString(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r == '"' || r == '\\' || r < 0x20 || r == 0x7f || r == '<' || r == '>' {
			b.WriteString(`\` + strconv.FormatInt(int64(r), 16) + ` `)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func tagFormTitle(ctx context.Context, id int64) string {
	if id == 0 {
		return T(ctx, "CreateTag")
	}
	return T(ctx, "EditTag")
}

func tagNameHint(id int64) string {
	if id == 0 {
		return "TagNameHint"
	}
	return ""
}
