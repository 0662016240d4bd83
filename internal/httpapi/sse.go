package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// sseWriter writes Server-Sent Events with increasing ids. Writes come from
// the handler goroutine and the heartbeat; a mutex keeps frames whole. Every
// write has a deadline so a visitor who stops reading cannot pin the stream.
type sseWriter struct {
	mu       sync.Mutex
	w        http.ResponseWriter
	rc       *http.ResponseController
	nextID   int
	err      error
	deadline time.Duration
}

func newSSEWriter(w http.ResponseWriter) *sseWriter {
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	h.Set("Connection", "keep-alive")
	w.WriteHeader(http.StatusOK)
	s := &sseWriter{w: w, rc: http.NewResponseController(w), nextID: 1, deadline: 30 * time.Second}
	s.flush()
	return s
}

// Event writes one event whose data is v as JSON.
func (s *sseWriter) Event(name string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return s.err
	}
	_ = s.rc.SetWriteDeadline(time.Now().Add(s.deadline))
	_, err = fmt.Fprintf(s.w, "id: %d\nevent: %s\ndata: %s\n\n", s.nextID, name, data)
	s.nextID++
	if err == nil {
		err = s.rc.Flush()
	}
	s.err = err
	return err
}

// Heartbeat writes a comment line that keeps proxies from closing the stream.
func (s *sseWriter) Heartbeat() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return
	}
	_ = s.rc.SetWriteDeadline(time.Now().Add(s.deadline))
	if _, err := s.w.Write([]byte(": ping\n\n")); err != nil {
		s.err = err
		return
	}
	s.err = s.rc.Flush()
}

func (s *sseWriter) flush() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.err = s.rc.Flush()
}

// shut refuses every later write. The handler calls it before it returns:
// net/http recycles the response's buffer then, and a heartbeat that raced
// past its stop signal would otherwise flush a released writer.
func (s *sseWriter) shut() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err == nil {
		s.err = errStreamClosed
	}
}

var errStreamClosed = errors.New("sse: stream closed")

// keepAlive sends heartbeats every interval until stop is closed, then
// closes done.
func (s *sseWriter) keepAlive(interval time.Duration, stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			s.Heartbeat()
		}
	}
}
