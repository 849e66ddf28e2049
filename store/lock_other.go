//go:build !unix

package store

import "errors"

// Without flock there is no lock file (see lock_unix.go): a Store opens
// without one, and Restore refuses, since it could not tell whether the
// database is in use.

type fileLock struct{}

func tryLock(db string, exclusive bool) (*fileLock, error) {
	if exclusive {
		return nil, errors.New("restore needs file locks (flock), which this system lacks; stop the server and copy the file instead")
	}
	return nil, nil
}

func (l *fileLock) release() error { return nil }
