package identity

import (
	"encoding/json"
	"fmt"
)

// SignIdentityToken signs claims as an HS256 identity token (PROTOCOL §6.1)
// with secret. It is for tests and the `docent token sign` developer command:
// it signs whatever claims it is given and validates nothing, so tests can
// build invalid tokens too. It panics if claims cannot be encoded as JSON (a
// programming error).
func SignIdentityToken(secret []byte, claims map[string]any) string {
	return signClaims(secret, claims)
}

// SignAssertion signs claims as an HS256 assertion (PROTOCOL §6.2), the way
// a host backend does. Like SignIdentityToken it is for tests and the
// developer command and validates nothing.
func SignAssertion(secret []byte, claims map[string]any) string {
	return signClaims(secret, claims)
}

func signClaims(secret []byte, claims map[string]any) string {
	payload, err := json.Marshal(claims)
	if err != nil {
		panic(fmt.Sprintf("identity: claims are not JSON-encodable: %v", err))
	}
	return signCompact([]byte(`{"alg":"HS256","typ":"JWT"}`), payload, secret)
}
