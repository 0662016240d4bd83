package identity

import (
	"bytes"
	"encoding/base64"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

func testKeyring(t testing.TB) *Keyring {
	t.Helper()
	k, err := NewKeyring([]byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func otherKeyring(t *testing.T) *Keyring {
	t.Helper()
	k, err := NewKeyring([]byte("fedcba9876543210fedcba9876543210"))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestKeyringSealOpen(t *testing.T) {
	k := testKeyring(t)
	secret := []byte("dsk_signing-secret-value")
	sealed, err := k.Seal(secret, "channel:1:signing")
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed, secret) {
		t.Fatal("sealed form contains the plaintext")
	}
	again, _ := k.Seal(secret, "channel:1:signing")
	if bytes.Equal(sealed, again) {
		t.Error("two seals are identical: the nonce is not random")
	}
	got, err := k.Open(sealed, "channel:1:signing")
	if err != nil || !bytes.Equal(got, secret) {
		t.Fatalf("Open = %q, %v", got, err)
	}
	tampered := append([]byte(nil), sealed...)
	tampered[len(tampered)-1] ^= 1
	for name, tc := range map[string]struct {
		ring   *Keyring
		sealed []byte
		aad    string
	}{
		"other channel": {k, sealed, "channel:2:signing"},
		"other kind":    {k, sealed, "channel:1:app"},
		"other master":  {otherKeyring(t), sealed, "channel:1:signing"},
		"tampered":      {k, tampered, "channel:1:signing"},
		"truncated":     {k, sealed[:10], "channel:1:signing"},
		"empty":         {k, nil, "channel:1:signing"},
		"bad version":   {k, append([]byte{9}, sealed[1:]...), "channel:1:signing"},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := tc.ring.Open(tc.sealed, tc.aad); err != ErrSealedSecret {
				t.Errorf("err = %v, want ErrSealedSecret", err)
			}
		})
	}
}

func TestKeyringExchangeKey(t *testing.T) {
	k := testKeyring(t)
	a := k.ExchangeKey("chan-a")
	if len(a) != 32 || !bytes.Equal(a, testKeyring(t).ExchangeKey("chan-a")) {
		t.Error("exchange key is not a deterministic 32-byte key")
	}
	if bytes.Equal(a, k.ExchangeKey("chan-b")) || bytes.Equal(a, otherKeyring(t).ExchangeKey("chan-a")) {
		t.Error("exchange keys of different channels or masters collide")
	}
}

func TestLoadKeyringFromEnv(t *testing.T) {
	master := bytes.Repeat([]byte{7}, 32)
	dir := t.TempDir()
	for _, env := range []string{
		base64.StdEncoding.EncodeToString(master), base64.RawURLEncoding.EncodeToString(master),
		base64.StdEncoding.EncodeToString(master) + "\n",
	} {
		k, err := LoadKeyring(dir, env)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := NewKeyring(master)
		if !bytes.Equal(k.ExchangeKey("c"), want.ExchangeKey("c")) {
			t.Error("env key not used")
		}
	}
	if _, err := os.Stat(filepath.Join(dir, KeyFileName)); !os.IsNotExist(err) {
		t.Error("key file created although the env key was set")
	}
	for name, env := range map[string]string{
		"16 bytes": base64.StdEncoding.EncodeToString(master[:16]),
		"33 bytes": base64.StdEncoding.EncodeToString(append(master, 1)),
		"not b64":  "not base64 at all!",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := LoadKeyring(dir, env)
			if err == nil || !strings.Contains(err.Error(), "DOCENT_SECRET_KEY") {
				t.Fatalf("err = %v", err)
			}
		})
	}
}

func TestLoadKeyringCreatesPrivateKeyFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	k1, err := LoadKeyring(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, KeyFileName)
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" && info.Mode().Perm() != 0o600 {
		t.Errorf("mode = %#o, want 0600", info.Mode().Perm())
	}
	k2, err := LoadKeyring(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(k1.ExchangeKey("c"), k2.ExchangeKey("c")) {
		t.Error("second load did not reuse the key file")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("data dir holds %d entries, want only %s", len(entries), KeyFileName)
	}
}

func TestLoadKeyringConcurrentStartsAgree(t *testing.T) {
	dir := t.TempDir()
	const n = 8
	keys := make([][]byte, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			k, err := LoadKeyring(dir, "")
			errs[i] = err
			if err == nil {
				keys[i] = k.ExchangeKey("c")
			}
		})
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil || !bytes.Equal(keys[i], keys[0]) {
			t.Fatalf("load %d: err %v, same key %v", i, errs[i], bytes.Equal(keys[i], keys[0]))
		}
	}
}

func TestLoadKeyringRefusesBadKeyFile(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no POSIX permissions")
	}
	good := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{1}, 32)) + "\n"
	for name, tc := range map[string]struct {
		content string
		mode    os.FileMode
		want    string
	}{
		"world-readable": {good, 0o644, "chmod 600"},
		"group-readable": {good, 0o640, "chmod 600"},
		"wrong size":     {base64.StdEncoding.EncodeToString([]byte("short")), 0o600, "exactly 32 bytes"},
		"garbage":        {"%%%%", 0o600, "not valid base64"},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, KeyFileName)
			if err := os.WriteFile(path, []byte(tc.content), tc.mode); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(path, tc.mode); err != nil { // umask-proof
				t.Fatal(err)
			}
			_, err := LoadKeyring(dir, "")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want mention of %q", err, tc.want)
			}
			if strings.Contains(err.Error(), strings.TrimSpace(tc.content)) && tc.content == good {
				t.Error("error reveals the key")
			}
		})
	}
	if _, err := LoadKeyring("", ""); err == nil {
		t.Error("no env key and no data dir accepted")
	}
}
