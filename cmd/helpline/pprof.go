//go:build pprof

package main

// Built only with -tags pprof: profiles of a server under load, for
// docs/BENCHMARKS.md. Listens on loopback only; never in the normal binary.

import (
	"net/http"
	_ "net/http/pprof"
)

func init() { go http.ListenAndServe("127.0.0.1:16060", nil) }
