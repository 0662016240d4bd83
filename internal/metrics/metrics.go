// Package metrics owns Docent's Prometheus collectors. They are built on a
// Registerer passed in by the composition root (no global registry), so tests
// and several servers in one process never collide.
package metrics

import (
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/docentchat/docent/internal/store"
)

// Metrics is the set of collectors Docent exports.
type Metrics struct {
	requests      *prometheus.CounterVec
	duration      *prometheus.HistogramVec
	streams       prometheus.Gauge
	sessions      *prometheus.CounterVec
	replies       *prometheus.CounterVec
	replyDuration *prometheus.HistogramVec
	handshake     prometheus.Histogram
	refused       *prometheus.CounterVec
}

// New registers Docent's collectors on reg.
func New(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "docent_http_requests_total",
			Help: "HTTP requests by route pattern and status."}, []string{"route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "docent_http_request_duration_seconds",
			Help: "HTTP request duration by route pattern (streams: whole stream).", Buckets: prometheus.ExponentialBuckets(0.0005, 4, 10)},
			[]string{"route"}),
		streams: prometheus.NewGauge(prometheus.GaugeOpts{Name: "docent_chat_streams_active",
			Help: "SSE reply streams currently open."}),
		sessions: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "docent_sessions_started_total",
			Help: "Sessions started or resumed, by channel."}, []string{"channel", "resumed"}),
		replies: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "docent_replies_total",
			Help: "Assistant replies by channel, kind and final status."}, []string{"channel", "kind", "status"}),
		replyDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "docent_reply_duration_seconds",
			Help: "Time to produce a whole reply.", Buckets: prometheus.ExponentialBuckets(0.005, 3, 10)}, []string{"channel"}),
		handshake: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "docent_widget_handshake_seconds",
			Help:    "Widget frame handshake latency (chat-embed-ready to chat-embed-ack), as reported by frames.",
			Buckets: []float64{0.025, 0.05, 0.1, 0.2, 0.35, 0.5, 0.75, 1, 2, 5}}),
		refused: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "docent_widget_config_refused_total",
			Help: "chat-embed-config messages a frame refused, by reason (SECURITY PM-01…PM-05), as reported by frames."},
			[]string{"reason"}),
	}
	reg.MustRegister(m.requests, m.duration, m.streams, m.sessions, m.replies, m.replyDuration, m.handshake, m.refused)
	return m
}

// Request records one HTTP request.
func (m *Metrics) Request(route string, status int, d time.Duration) {
	m.requests.WithLabelValues(route, strconv.Itoa(status)).Inc()
	m.duration.WithLabelValues(route).Observe(d.Seconds())
}

// StreamOpened and StreamClosed track open SSE streams.
func (m *Metrics) StreamOpened() { m.streams.Inc() }
func (m *Metrics) StreamClosed() { m.streams.Dec() }

// SessionStarted counts a new or resumed session.
func (m *Metrics) SessionStarted(channel string, resumed bool) {
	m.sessions.WithLabelValues(channel, strconv.FormatBool(resumed)).Inc()
}

// ReplyFinished counts a reply by its final kind and status.
func (m *Metrics) ReplyFinished(channel string, kind store.Kind, status store.MessageStatus, d time.Duration) {
	m.replies.WithLabelValues(channel, string(kind), string(status)).Inc()
	m.replyDuration.WithLabelValues(channel).Observe(d.Seconds())
}

// WidgetHandshake records one frame's ready→ack latency.
func (m *Metrics) WidgetHandshake(d time.Duration) { m.handshake.Observe(d.Seconds()) }

// WidgetConfigRefused counts n refused handshake configs of one reason; the
// caller bounds reason to a fixed set.
func (m *Metrics) WidgetConfigRefused(reason string, n int) {
	m.refused.WithLabelValues(reason).Add(float64(n))
}
