package sqlstore

import (
	"crypto/sha256"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/docentchat/docent/internal/store"
)

// BenchmarkTurn measures one chat turn's durable writes through the real
// store: BeginTurn (question, placeholder, idempotency key, session touch)
// then FinishReply, the two commits per turn of PERFORMANCE G12. Each
// parallel worker has its own session, as real traffic does. Run with
// -cpu 1,8 to compare one writer with several. On SQLite every commit is
// fsynced (synchronous=FULL): the disk's fsync rate bounds the result.
func BenchmarkTurn(b *testing.B) {
	openers := []struct {
		name string
		open func(b *testing.B) *Store
	}{
		{"sqlite", func(b *testing.B) *Store { return openSQLite(b, sqlitePath(b)) }},
		{"postgres", func(b *testing.B) *Store { return openPostgres(b, postgresSchemaDSN(b)) }},
	}
	for _, o := range openers {
		b.Run(o.name, func(b *testing.B) {
			s := o.open(b)
			ch, err := s.CreateChannel(b.Context(), "bench", store.ChannelConfig{Title: "bench"})
			if err != nil {
				b.Fatal(err)
			}
			var worker atomic.Int64
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				name := fmt.Sprintf("worker-%d", worker.Add(1))
				hash := sha256.Sum256([]byte(name))
				sess, err := s.CreateSession(b.Context(), store.Session{ChannelID: ch.ID, TokenHash: hash[:]}, nil)
				if err != nil {
					b.Error(err)
					return
				}
				for i := 0; pb.Next(); i++ {
					turn, err := s.BeginTurn(b.Context(), store.TurnStart{SessionID: sess.ID,
						ClientMessageID: fmt.Sprint(i), RequestHash: "h", Text: "How do I install Docent?"})
					if err != nil {
						b.Error(err)
						return
					}
					if _, err := s.FinishReply(b.Context(), store.ReplyResult{MessageID: turn.Reply.ID,
						Status: store.StatusComplete, Text: "Run the binary.", At: time.Now()}); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(2*b.N)/b.Elapsed().Seconds(), "commits/s")
		})
	}
}
