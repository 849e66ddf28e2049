package views

import (
	"helpline/security"
	"helpline/store"
)

// Paths of Configuration → Plugins.
const (
	PathPlugins                 = "/config/plugins"
	PathSearchReplace           = "/config/plugins/search-replace"
	PathSearchReplaceActive     = "/config/plugins/search-replace/active"
	PathSearchReplaceRules      = "/config/plugins/search-replace/rules"
	PathSearchReplaceRuleRemove = "/config/plugins/search-replace/rules/:id/remove"
	PathSearchReplaceTest       = "/config/plugins/search-replace/test"
)

// PluginsProps is the list of plugins.
type PluginsProps struct {
	Plugins []store.Plugin
}

// SearchReplaceValues are the fields of a new rule, as typed.
type SearchReplaceValues struct {
	Kind, Pattern, Replacement string
}

// SearchReplaceProps is the Search & Replace page: whether it is on, its
// rules, the form for a new one and the Test box (Sample, and Result once
// tested).
type SearchReplaceProps struct {
	Active bool
	Rules  []security.MaskRule
	Values SearchReplaceValues
	Errors FieldErrors
	Sample string
	Result string
	Tested bool
}

func maskKindID(kind string) string {
	switch kind {
	case security.MaskCard:
		return "MaskKindCard"
	case security.MaskIBAN:
		return "MaskKindIBAN"
	}
	return "MaskKindRegex"
}

func pluginNameID(name string) string { return "Plugin_" + name }
func pluginDescID(name string) string { return "PluginDesc_" + name }
