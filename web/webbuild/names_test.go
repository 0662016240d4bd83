package webbuild

import (
	"maps"
	"testing"

	"github.com/evanw/esbuild/pkg/api"
)

// TestLoaderNamesOnlyGrow: given the recorded names, a build whose sources
// gain a property keeps every recorded name as it was and gives the new
// property a name of its own. Bundle relies on this to keep a loader from an
// older release working with a newer open half.
func TestLoaderNamesOnlyGrow(t *testing.T) {
	recorded := map[string]interface{}{"frame_": "a", "origin_": "d", "opts_": "r"}
	cache := maps.Clone(recorded)
	res := api.Transform(`export const link = { extra_: 1, extra_2_: 2, opts_: 3, origin_: 4, frame_: 5 }; link.extra_ += link.extra_ + link.extra_2_`,
		api.TransformOptions{Loader: api.LoaderTS, Format: api.FormatESModule, MangleProps: "_$", MangleCache: cache, MinifyIdentifiers: true})
	if len(res.Errors) > 0 {
		t.Fatal(res.Errors)
	}
	for k, v := range recorded {
		if res.MangleCache[k] != v {
			t.Errorf("%s was %v, now %v", k, v, res.MangleCache[k])
		}
	}
	a, b := res.MangleCache["extra_"], res.MangleCache["extra_2_"]
	if a == nil || b == nil || a == b || a == "a" || a == "d" || a == "r" || b == "a" || b == "d" || b == "r" {
		t.Errorf("new properties got %v and %v beside %v", a, b, recorded)
	}
}
