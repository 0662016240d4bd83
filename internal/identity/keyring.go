package identity

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
)

// Keyring protects signing secrets at rest. Signing secrets cannot be stored
// as hashes (verifying an HMAC needs the secret itself), so they are sealed
// with AES-256-GCM under a master key that lives outside the database
// (DOCENT_SECRET_KEY or dataDir/secret.key): a leaked database alone yields
// nothing usable. The master key also derives the per-channel exchange token
// keys, so those need no storage at all.
type Keyring struct {
	master []byte
	aead   cipher.AEAD
}

// Domain-separation labels: each use of the master key gets its own derived
// key, so a ciphertext key can never act as a MAC key or vice versa.
const (
	sealKeyLabel     = "docent keyring seal v1"
	exchangeKeyLabel = "docent exchange token v1\x00"
	sealAADLabel     = "docent sealed secret v1\x00"
	sealVersion      = 1
	masterKeyLen     = 32
)

// ErrSealedSecret is returned by Open for anything that is not a ciphertext
// this keyring sealed with that additional data.
var ErrSealedSecret = errors.New("sealed secret cannot be opened: wrong key, wrong channel or kind, or corrupted")

// NewKeyring builds a keyring from a 32-byte master key.
func NewKeyring(master []byte) (*Keyring, error) {
	if len(master) != masterKeyLen {
		return nil, fmt.Errorf("identity: master key must be %d bytes, got %d", masterKeyLen, len(master))
	}
	block, err := aes.NewCipher(derive(master, sealKeyLabel))
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Keyring{master: append([]byte(nil), master...), aead: aead}, nil
}

// Seal encrypts plain with a fresh random nonce. aad binds the ciphertext to
// where it belongs (for example "channel:<id>:signing"), so a sealed secret
// copied to another channel or kind row does not open there.
// Output: version byte ‖ nonce ‖ ciphertext+tag.
func (k *Keyring) Seal(plain []byte, aad string) ([]byte, error) {
	nonce := make([]byte, k.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	out := make([]byte, 0, 1+len(nonce)+len(plain)+k.aead.Overhead())
	out = append(out, sealVersion)
	out = append(out, nonce...)
	return k.aead.Seal(out, nonce, plain, []byte(sealAADLabel+aad)), nil
}

// Open decrypts what Seal produced with the same aad.
func (k *Keyring) Open(sealed []byte, aad string) ([]byte, error) {
	ns := k.aead.NonceSize()
	if len(sealed) < 1+ns+k.aead.Overhead() || sealed[0] != sealVersion {
		return nil, ErrSealedSecret
	}
	plain, err := k.aead.Open(nil, sealed[1:1+ns], sealed[1+ns:], []byte(sealAADLabel+aad))
	if err != nil {
		return nil, ErrSealedSecret
	}
	return plain, nil
}

// ExchangeKey is the per-channel key exchange tokens are signed with:
// HMAC-SHA256(master, "docent exchange token v1\x00"+channelKey). It is never
// a channel's signing secret, so a host holding that secret cannot mint
// exchange tokens, and an exchange token never verifies as an assertion.
func (k *Keyring) ExchangeKey(channelKey string) []byte {
	return derive(k.master, exchangeKeyLabel+channelKey)
}

func derive(master []byte, label string) []byte {
	m := hmac.New(sha256.New, master)
	m.Write([]byte(label))
	return m.Sum(nil)
}
