package main

import (
	"io"
	"testing"
)

func TestParseConfig_FlagsWinOverEnvironmentAndBadValuesAreRefused(t *testing.T) {
	env := map[string]string{
		"HELPLINE_ADDR": "127.0.0.1:9000", "HELPLINE_DB": "env.db", "HELPLINE_SECURE_COOKIES": "true",
		"HELPLINE_CONTACT_LIMIT": "5", "HELPLINE_BASE_URL": "https://env.example.com/",
	}
	getenv := func(k string) string { return env[k] }
	cfg, err := parseConfig(nil, getenv, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	want := Config{Addr: "127.0.0.1:9000", DB: "env.db", SecureCookies: true, ContactLimit: 5, BaseURL: "https://env.example.com"}
	if cfg != want {
		t.Fatalf("from the environment: %+v, want %+v", cfg, want)
	}
	cfg, err = parseConfig([]string{"--addr", "127.0.0.1:9001", "--db", "flag.db", "--secure-cookies=false", "--base-url", "http://flag.example.com:8080/help"}, getenv, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	want = Config{Addr: "127.0.0.1:9001", DB: "flag.db", ContactLimit: 5, BaseURL: "http://flag.example.com:8080/help"}
	if cfg != want {
		t.Fatalf("flags over the environment: %+v, want %+v", cfg, want)
	}
	if cfg, err := parseConfig(nil, func(string) string { return "" }, io.Discard); err != nil || cfg.Addr != "127.0.0.1:8080" || cfg.DB != "data/helpline.db" || cfg.SecureCookies {
		t.Fatalf("defaults: %+v, %v", cfg, err)
	}
	for _, bad := range [][]string{
		{"--base-url", "help.example.com"},
		{"--base-url", "javascript:alert(1)"},
		{"--base-url", "https://help.example.com/?next=x"},
		{"--no-such-flag"},
	} {
		if _, err := parseConfig(bad, func(string) string { return "" }, io.Discard); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
	for k, v := range map[string]string{"HELPLINE_SECURE_COOKIES": "maybe", "HELPLINE_CONTACT_LIMIT": "0"} {
		if _, err := parseConfig(nil, func(key string) string {
			if key == k {
				return v
			}
			return ""
		}, io.Discard); err == nil {
			t.Errorf("%s=%s accepted", k, v)
		}
	}
}
