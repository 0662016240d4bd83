// Package stats owns the small sample statistics the benchmarks of bench/
// report: medians and a compact listing of a sample.
package stats

import (
	"fmt"
	"slices"
	"strings"
)

// Median of a sample (0 for an empty one).
func Median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n == 0 {
		return 0
	}
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// Series formats a sample compactly for a report.
func Series(xs []float64, format string) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = fmt.Sprintf(format, x)
	}
	return strings.Join(parts, " ")
}
