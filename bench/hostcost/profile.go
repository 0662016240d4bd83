package main

// -profile: where the loader's script time goes. The V8 sampling profiler
// runs during loads of the page with the loader; self time is summed per
// function (name and source position) over all runs and the largest shown.

import (
	"context"
	"fmt"
	"io"
	"path"
	"slices"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/profiler"
	"github.com/chromedp/chromedp"
)

// selfTimes accumulates self time in µs per function.
type selfTimes map[string]int64

func startProfiler(ctx context.Context) error {
	if _, err := chromedp.Call(ctx, profiler.Enable, cdp.Empty{}); err != nil {
		return err
	}
	if _, err := chromedp.Call(ctx, profiler.SetSamplingInterval, profiler.SetSamplingIntervalParams{Interval: 50}); err != nil {
		return err
	}
	_, err := chromedp.Call(ctx, profiler.Start, cdp.Empty{})
	return err
}

func (s selfTimes) stop(ctx context.Context) error {
	res, err := chromedp.Call(ctx, profiler.Stop, cdp.Empty{})
	if err != nil {
		return err
	}
	p := res.Profile
	names := map[int64]string{}
	for _, n := range p.Nodes {
		f := n.CallFrame
		name := f.FunctionName
		if name == "" {
			name = "(anonymous)"
		}
		if f.URL != "" {
			name += fmt.Sprintf(" %s:%d:%d", path.Base(f.URL), f.LineNumber+1, f.ColumnNumber+1)
		}
		names[n.ID] = name
	}
	// Sample i lasts until sample i+1.
	for i, id := range p.Samples {
		if i+1 < len(p.TimeDeltas) {
			s[names[id]] += p.TimeDeltas[i+1]
		}
	}
	return nil
}

func (s selfTimes) print(out io.Writer, runs int) {
	type entry struct {
		name string
		us   int64
	}
	var list []entry
	for k, v := range s {
		if k != "(idle)" {
			list = append(list, entry{k, v})
		}
	}
	slices.SortFunc(list, func(a, b entry) int { return int(b.us - a.us) })
	fmt.Fprintf(out, "profile of the page with the loader, self time per run (ms):\n")
	for _, e := range list[:min(15, len(list))] {
		fmt.Fprintf(out, "  %7.2f  %s\n", float64(e.us)/1000/float64(runs), e.name)
	}
}
