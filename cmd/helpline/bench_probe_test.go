package main

import (
	"io"
	"strings"
	"testing"
)

// The load runs' in-memory bound is served only when the environment asks
// for it; no flag turns it on and the help text does not offer it.
func TestParseConfig_BenchProbeOnlyFromTheEnvironment(t *testing.T) {
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == "HELPLINE_BENCH_PROBE" {
				return v
			}
			return ""
		}
	}
	if cfg, err := parseConfig(nil, env(""), io.Discard); err != nil || cfg.BenchProbe {
		t.Fatalf("unset: %+v, %v", cfg, err)
	}
	if cfg, err := parseConfig(nil, env("1"), io.Discard); err != nil || !cfg.BenchProbe {
		t.Fatalf("HELPLINE_BENCH_PROBE=1: %+v, %v", cfg, err)
	}
	if _, err := parseConfig(nil, env("perhaps"), io.Discard); err == nil {
		t.Error("HELPLINE_BENCH_PROBE=perhaps accepted")
	}
	if _, err := parseConfig([]string{"--bench-probe"}, env(""), io.Discard); err == nil {
		t.Error("a --bench-probe flag was accepted")
	}
	var help strings.Builder
	parseConfig([]string{"--help"}, env(""), &help)
	if !strings.Contains(help.String(), "HELPLINE_DB") {
		t.Fatalf("no help text:\n%s", help.String())
	}
	if strings.Contains(strings.ToLower(help.String()), "probe") {
		t.Errorf("the help text offers the probe:\n%s", help.String())
	}
}
