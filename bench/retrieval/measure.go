package main

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"slices"
	"time"

	"github.com/docentchat/docent/internal/knowledge"
)

// roundResult is one build of the index and one series of queries.
type roundResult struct {
	build      time.Duration
	indexBytes float64 // heap growth caused by building the index
	memRatio   float64 // index bytes / raw text bytes (the text itself is shared, not copied)
	totalRatio float64 // (index + text) / raw text: what the process holds for retrieval
	p50        time.Duration
	p90        time.Duration
	p99        time.Duration
	max        time.Duration
	hitsPerQ   float64
	chunks     int
	terms      int
}

func measureRound(c *corpus, cfg config, round uint64) (roundResult, error) {
	queries := c.queries(cfg.warmup + cfg.queries)
	raw := float64(c.rawBytes())

	before := heapAfterGC()
	ix := knowledge.NewIndex()
	start := time.Now()
	if err := ix.Load(context.Background(), c); err != nil {
		return roundResult{}, fmt.Errorf("round %d: build: %w", round+1, err)
	}
	build := time.Since(start)
	grown := float64(heapAfterGC()) - float64(before)

	for _, q := range queries[:cfg.warmup] {
		ix.Search(collectionID, q, cfg.k)
	}
	latencies := make([]time.Duration, cfg.queries)
	hits := 0
	for i, q := range queries[cfg.warmup:] {
		t0 := time.Now()
		found := ix.Search(collectionID, q, cfg.k)
		latencies[i] = time.Since(t0)
		hits += len(found)
	}
	chunks, terms := ix.Stats(collectionID)
	runtime.KeepAlive(ix)

	slices.Sort(latencies)
	return roundResult{
		build:      build,
		indexBytes: grown,
		memRatio:   grown / raw,
		totalRatio: (grown + raw) / raw,
		p50:        percentile(latencies, 0.50),
		p90:        percentile(latencies, 0.90),
		p99:        percentile(latencies, 0.99),
		max:        latencies[len(latencies)-1],
		hitsPerQ:   float64(hits) / float64(len(latencies)),
		chunks:     chunks,
		terms:      terms,
	}, nil
}

func heapAfterGC() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// percentile is the nearest-rank percentile of sorted values.
func percentile(sorted []time.Duration, p float64) time.Duration {
	i := int(float64(len(sorted))*p+0.999999) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

// medianRound takes the median of every measure independently.
func medianRound(rs []roundResult) roundResult {
	dur := func(f func(roundResult) time.Duration) time.Duration {
		v := make([]time.Duration, len(rs))
		for i, r := range rs {
			v[i] = f(r)
		}
		slices.Sort(v)
		return v[len(v)/2]
	}
	num := func(f func(roundResult) float64) float64 {
		v := make([]float64, len(rs))
		for i, r := range rs {
			v[i] = f(r)
		}
		slices.Sort(v)
		return v[len(v)/2]
	}
	return roundResult{
		build:      dur(func(r roundResult) time.Duration { return r.build }),
		indexBytes: num(func(r roundResult) float64 { return r.indexBytes }),
		memRatio:   num(func(r roundResult) float64 { return r.memRatio }),
		totalRatio: num(func(r roundResult) float64 { return r.totalRatio }),
		p50:        dur(func(r roundResult) time.Duration { return r.p50 }),
		p90:        dur(func(r roundResult) time.Duration { return r.p90 }),
		p99:        dur(func(r roundResult) time.Duration { return r.p99 }),
		max:        dur(func(r roundResult) time.Duration { return r.max }),
		hitsPerQ:   num(func(r roundResult) float64 { return r.hitsPerQ }),
		chunks:     rs[0].chunks,
		terms:      rs[0].terms,
	}
}

func printRound(out io.Writer, label string, r roundResult) {
	fmt.Fprintf(out, "%-8s build %7.3fs  index %6.1f MB = %.2f× raw text (%.2f× with the text)  "+
		"top-k p50 %s p90 %s p99 %s max %s  (%.1f hits/query; %d chunks, %d terms)\n",
		label, r.build.Seconds(), r.indexBytes/1e6, r.memRatio, r.totalRatio,
		ms(r.p50), ms(r.p90), ms(r.p99), ms(r.max), r.hitsPerQ, r.chunks, r.terms)
}

func ms(d time.Duration) string { return fmt.Sprintf("%.3fms", float64(d)/float64(time.Millisecond)) }
