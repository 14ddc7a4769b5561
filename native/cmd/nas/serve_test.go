package main

import (
	"net"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// `nas serve` listens on a loopback address unless told otherwise (it used
// to listen on every interface of the machine while printing localhost).
func TestServeDefaultIsLoopback(t *testing.T) {
	code, _, errOut := nas("serve", "--help")
	require.Equal(t, 0, code, errOut)
	var def string
	for fs := range helpOut {
		if fs.Name() == "nas serve" {
			def = fs.Lookup("addr").DefValue
		}
	}
	host, _, err := net.SplitHostPort(def)
	require.NoError(t, err, def)
	ip := net.ParseIP(host)
	require.NotNil(t, ip, "default --addr %q names no IP", def)
	assert.True(t, ip.IsLoopback(), "default --addr %q is not loopback", def)
}

// The printed URL is one that reaches the listener, and a listener beyond
// loopback is reported as shared.
func TestServeURL(t *testing.T) {
	for _, tc := range []struct {
		addr   string
		url    string
		shared bool
	}{
		{"127.0.0.1:8080", "http://127.0.0.1:8080/", false},
		{"[::1]:8080", "http://[::1]:8080/", false},
		{"0.0.0.0:8080", "http://localhost:8080/", true},
		{"[::]:8080", "http://localhost:8080/", true},
		{"192.168.1.20:80", "http://192.168.1.20:80/", true},
	} {
		a, err := net.ResolveTCPAddr("tcp", tc.addr)
		require.NoError(t, err)
		url, shared := serveURL(a)
		assert.Equal(t, tc.url, url, tc.addr)
		assert.Equal(t, tc.shared, shared, tc.addr)
	}
	// A real listener on the default host.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	url, shared := serveURL(ln.Addr())
	assert.Equal(t, "http://"+ln.Addr().String()+"/", url)
	assert.False(t, shared)
}
