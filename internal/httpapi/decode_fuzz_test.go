package httpapi

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/docentchat/docent/internal/errs"
)

// FuzzDecodeChatRequest: any body either decodes into a chat request or is
// refused with a stable code; it never panics and never accepts invalid UTF-8.
func FuzzDecodeChatRequest(f *testing.F) {
	for _, s := range []string{`{"session_id":"x","message":"hi"}`, `{"message":"a\ud800b"}`, `{"MESSAGE":"x","message":"y"}`,
		`[]`, `{"session_id":1}`, `{} {}`, "{\"message\":\"\xff\"}", `{"message":"` + strings.Repeat("a", 1000) + `"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		r := httptest.NewRequest("POST", "/widget/chat", strings.NewReader(string(body)))
		r.Header.Set("Content-Type", "application/json")
		var req chatRequest
		err := decodeJSON(httptest.NewRecorder(), r, &req)
		if err != nil {
			e, ok := errs.As(err)
			if !ok || (e.Code != "bad_request" && e.Code != "payload_too_large" && e.Code != "unsupported_media_type") {
				t.Fatalf("unstable error %v", err)
			}
			return
		}
		if !utf8.Valid(body) {
			t.Fatal("accepted invalid UTF-8")
		}
	})
}

// FuzzTokenInQuery: a credential-named parameter is always caught, whatever
// its case or position.
func FuzzTokenInQuery(f *testing.F) {
	for _, s := range []string{"identity_token=x", "a=1&Session_ID=2", "v=1", "%73ession_id=1", "jwt", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		r := &http.Request{URL: &url.URL{RawQuery: raw}}
		got := tokenInQuery(r)
		q, _ := url.ParseQuery(raw)
		for name := range q {
			for _, tp := range tokenParams {
				if strings.EqualFold(name, tp) && got == "" {
					t.Fatalf("missed %q in %q", name, raw)
				}
			}
		}
	})
}

func FuzzBearer(f *testing.F) {
	for _, s := range []string{"Bearer abc", "bearer  x", "Basic x", "Bearer " + strings.Repeat(".", 5000), ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		r := &http.Request{Header: http.Header{"Authorization": {h}}}
		if got := bearer(r); len(got) >= 4096 {
			t.Fatalf("unbounded bearer token of %d bytes", len(got))
		}
	})
}
