package webbench

import (
	"context"
	"encoding/json"
	"os"
	"sync"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/tracing"
	"github.com/chromedp/chromedp"
)

// traceCategories are those of DevTools' performance panel: tasks, parsing,
// script, style, layout and paint of every process, the frame's included.
var traceCategories = []string{"devtools.timeline", "disabled-by-default-devtools.timeline",
	"disabled-by-default-devtools.timeline.frame", "blink", "v8", "loading", "toplevel", "navigation", "blink.user_timing"}

// StartTrace starts tracing the browser (for the benchmarks' -trace flag);
// stop ends it and writes the events as a JSON array to path, for
// chrome://tracing or Perfetto. Tracing slows what it records.
func StartTrace(ctx context.Context) (stop func(path string) error, err error) {
	var mu sync.Mutex
	var events []json.RawMessage
	complete := make(chan struct{})
	if err := chromedp.Listen(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *tracing.EventDataCollected:
			for _, m := range e.Value {
				b, _ := json.Marshal(m)
				events = append(events, b)
			}
		case *tracing.EventTracingComplete:
			close(complete)
		}
	}); err != nil {
		return nil, err
	}
	params := tracing.StartParams{TransferMode: tracing.StartTransferModeReportEvents,
		TraceConfig: &tracing.TraceConfig{IncludedCategories: traceCategories}}
	if _, err := chromedp.Call(ctx, tracing.Start, params); err != nil {
		return nil, err
	}
	return func(path string) error {
		if _, err := chromedp.Call(ctx, tracing.End, cdp.Empty{}); err != nil {
			return err
		}
		select {
		case <-complete:
		case <-ctx.Done():
			return ctx.Err()
		}
		mu.Lock()
		defer mu.Unlock()
		b, err := json.Marshal(events)
		if err != nil {
			return err
		}
		return os.WriteFile(path, b, 0o644)
	}, nil
}
