package main

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestParseConfig_FlagsWinOverEnvironmentAndBadValuesAreRefused(t *testing.T) {
	env := map[string]string{
		"HELPLINE_ADDR": "127.0.0.1:9000", "HELPLINE_DB": "env.db", "HELPLINE_SECURE_COOKIES": "true",
		"HELPLINE_CONTACT_LIMIT": "5", "HELPLINE_BASE_URL": "https://env.example.com/",
		"HELPLINE_TRUSTED_PROXIES": "10.0.0.0/8, 192.0.2.10", "HELPLINE_MEMORY_LIMIT": "80",
	}
	getenv := func(k string) string { return env[k] }
	cfg, err := parseConfig(nil, getenv, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	want := Config{Addr: "127.0.0.1:9000", DB: "env.db", SecureCookies: true, ContactLimit: 5, BaseURL: "https://env.example.com",
		TrustedProxies: "10.0.0.0/8, 192.0.2.10", MemoryMB: 80}
	if cfg != want {
		t.Fatalf("from the environment: %+v, want %+v", cfg, want)
	}
	cfg, err = parseConfig([]string{"--addr", "127.0.0.1:9001", "--db", "flag.db", "--secure-cookies=false", "--base-url", "http://flag.example.com:8080/help", "--memory-limit", "0"}, getenv, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	want = Config{Addr: "127.0.0.1:9001", DB: "flag.db", ContactLimit: 5, BaseURL: "http://flag.example.com:8080/help",
		TrustedProxies: "10.0.0.0/8, 192.0.2.10"}
	if cfg != want {
		t.Fatalf("flags over the environment: %+v, want %+v", cfg, want)
	}
	if cfg, err := parseConfig(nil, func(string) string { return "" }, io.Discard); err != nil || cfg.Addr != "127.0.0.1:8080" || cfg.DB != "data/helpline.db" || cfg.SecureCookies || cfg.MemoryMB != 100 {
		t.Fatalf("defaults: %+v, %v", cfg, err)
	}
	for _, bad := range [][]string{
		{"--base-url", "help.example.com"},
		{"--base-url", "javascript:alert(1)"},
		{"--base-url", "https://help.example.com/?next=x"},
		{"--no-such-flag"},
		{"--memory-limit", "-5"},
	} {
		if _, err := parseConfig(bad, func(string) string { return "" }, io.Discard); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
	for k, v := range map[string]string{"HELPLINE_SECURE_COOKIES": "maybe", "HELPLINE_CONTACT_LIMIT": "0", "HELPLINE_TRUSTED_PROXIES": "10.0.0.0/33", "HELPLINE_MEMORY_LIMIT": "lots"} {
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

// syncBuffer is an io.Writer the server and the test may use at once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// The server and its background jobs start together and stop together
// when the context ends, without an error.
func TestRun_ServesThenStopsGracefully(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr syncBuffer
	db := filepath.Join(t.TempDir(), "helpline.db")
	errc := make(chan error, 1)
	go func() {
		errc <- run(ctx, []string{"--addr", "127.0.0.1:0", "--db", db}, func(string) string { return "" }, &stdout, &stderr)
	}()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(stdout.String(), "serving") {
		select {
		case err := <-errc:
			t.Fatalf("run returned before serving: %v\n%s", err, stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("server did not start")
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	select {
	case err := <-errc:
		if err != nil {
			t.Fatalf("run: %v\n%s", err, stderr.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("run did not return after its context ended")
	}
	if strings.Contains(stderr.String(), "level=ERROR") {
		t.Fatalf("errors while stopping:\n%s", stderr.String())
	}
}
