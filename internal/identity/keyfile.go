package identity

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// KeyFileName is the master key file inside the data directory.
const KeyFileName = "secret.key"

// LoadKeyring returns the keyring of this installation. envKey (the value of
// DOCENT_SECRET_KEY: base64 of exactly 32 bytes) wins when set; otherwise
// dataDir/secret.key is read, or created with 32 random bytes (as base64
// text) and mode 0600 when missing. A key of the wrong size and a key file
// that group or others may read are refused with an error saying how to fix
// them; the key itself never appears in an error.
//
// Losing the key makes every stored signing secret unreadable (channels then
// need their secret rotated), so back it up with the database.
func LoadKeyring(dataDir string, envKey string) (*Keyring, error) {
	if envKey != "" {
		master, err := decodeMasterKey(envKey)
		if err != nil {
			return nil, fmt.Errorf("DOCENT_SECRET_KEY: %w", err)
		}
		return NewKeyring(master)
	}
	if dataDir == "" {
		return nil, errors.New("identity: no DOCENT_SECRET_KEY and no data directory for " + KeyFileName)
	}
	path := filepath.Join(dataDir, KeyFileName)
	master, err := readKeyFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		master, err = createKeyFile(dataDir, path)
	}
	if err != nil {
		return nil, err
	}
	return NewKeyring(master)
}

// decodeMasterKey accepts standard or URL base64, padded or not, of exactly
// 32 bytes, ignoring surrounding whitespace (a trailing newline from a file
// or `openssl rand -base64 32`).
func decodeMasterKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			if len(b) != masterKeyLen {
				return nil, fmt.Errorf("key must be base64 of exactly %d bytes, got %d bytes (generate one with: openssl rand -base64 32)", masterKeyLen, len(b))
			}
			return b, nil
		}
	}
	return nil, errors.New("key is not valid base64 (generate one with: openssl rand -base64 32)")
}

func readKeyFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat() // of the opened file: no race with a swapped path
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", path)
	}
	if perm := info.Mode().Perm(); runtime.GOOS != "windows" && perm&0o077 != 0 {
		return nil, fmt.Errorf("%s has mode %#o and may be read by other users; run: chmod 600 %s", path, perm, path)
	}
	text, err := io.ReadAll(io.LimitReader(f, 1024))
	if err != nil {
		return nil, err
	}
	master, err := decodeMasterKey(string(text))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return master, nil
}

// createKeyFile writes a new random key to a private temporary file and
// links it into place, so a crash never leaves a half-written key and two
// processes starting at once agree on one key (the loser reads the winner's).
func createKeyFile(dataDir, path string) ([]byte, error) {
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, err
	}
	master := make([]byte, masterKeyLen)
	if _, err := rand.Read(master); err != nil {
		return nil, err
	}
	tmp, err := os.CreateTemp(dataDir, ".secret.key-*") // created with mode 0600
	if err != nil {
		return nil, err
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.WriteString(base64.StdEncoding.EncodeToString(master) + "\n")
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	err = os.Link(tmp.Name(), path)
	if err != nil && !errors.Is(err, fs.ErrExist) {
		// Some filesystems have no hard links: fall back to an exclusive create.
		err = writeExclusive(path, base64.StdEncoding.EncodeToString(master)+"\n")
	}
	if errors.Is(err, fs.ErrExist) {
		return readKeyFile(path)
	}
	if err != nil {
		return nil, fmt.Errorf("creating %s: %w", path, err)
	}
	syncDir(dataDir) // make the new name durable before anything is sealed with the key
	return master, nil
}

func writeExclusive(path, text string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	_, err = f.WriteString(text)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path) // never leave a partial key behind
	}
	return err
}

// syncDir is best effort: not every platform can fsync a directory.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}
