package storetest

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/docentchat/docent/internal/store"
)

func turnStart(sessionID, clientID, text string, at time.Time) store.TurnStart {
	return store.TurnStart{SessionID: sessionID, ClientMessageID: clientID,
		RequestHash: "hash:" + text, Text: text, Language: "en", At: at}
}

// beginOwned starts a turn whose reply instance owner streams.
func beginOwned(t *testing.T, s store.Store, sessionID, owner, clientID string, at time.Time) store.Turn {
	t.Helper()
	ts := turnStart(sessionID, clientID, "q", at)
	ts.Owner = owner
	return must[store.Turn](t)(s.BeginTurn(t.Context(), ts))
}

func finish(t *testing.T, s store.Store, replyID, text string, at time.Time) store.Message {
	t.Helper()
	return must[store.Message](t)(s.FinishReply(t.Context(), store.ReplyResult{
		MessageID: replyID, Status: store.StatusComplete, Kind: store.KindAnswer, Text: text, At: at}))
}

var turnBehaviours = []behaviour{
	{"BeginTurn/records the question and a streaming placeholder", func(t *testing.T, s store.Store) {
		ctx := t.Context()
		c := newConversation(t, s, "docs")
		at := base.Add(time.Minute)
		turn := must[store.Turn](t)(s.BeginTurn(ctx, turnStart(c.session.ID, "m1", "How do I install?", at)))
		if turn.Replayed {
			t.Fatal("first turn is Replayed")
		}
		checkID(t, "user message", turn.UserMessage.ID)
		checkID(t, "reply", turn.Reply.ID)
		wantUser := store.Message{ID: turn.UserMessage.ID, SessionID: c.session.ID, Role: store.RoleUser,
			Kind: store.KindQuestion, Status: store.StatusComplete, Text: "How do I install?",
			ClientMessageID: "m1", Language: "en", CreatedAt: stored(at), UpdatedAt: stored(at)}
		wantReply := store.Message{ID: turn.Reply.ID, SessionID: c.session.ID, Role: store.RoleAssistant,
			Kind: store.KindAnswer, Status: store.StatusStreaming, Language: "en",
			CreatedAt: stored(at), UpdatedAt: stored(at)}
		diff(t, "user message", wantUser, turn.UserMessage)
		diff(t, "reply", wantReply, turn.Reply)
		diff(t, "transcript", []store.Message{wantUser, wantReply}, messages(t, s, c.session.ID))
		if got := must[store.Session](t)(s.Session(ctx, c.session.ID)); !got.LastActivityAt.Equal(stored(at)) {
			t.Fatalf("last activity = %v, want %v", got.LastActivityAt, stored(at))
		}
	}},
	{"BeginTurn/a reply in flight is ErrReplyInProgress until finished", func(t *testing.T, s store.Store) {
		ctx := t.Context()
		c := newConversation(t, s, "docs")
		first := must[store.Turn](t)(s.BeginTurn(ctx, turnStart(c.session.ID, "m1", "one", base)))
		_, err := s.BeginTurn(ctx, turnStart(c.session.ID, "m2", "two", base))
		wantErr(t, err, store.ErrReplyInProgress)
		_, err = s.BeginTurn(ctx, turnStart(c.session.ID, "", "three", base))
		wantErr(t, err, store.ErrReplyInProgress)
		if got := messages(t, s, c.session.ID); len(got) != 2 {
			t.Fatalf("refused turns wrote messages: %d, want 2", len(got))
		}
		finish(t, s, first.Reply.ID, "answer", base)
		must[store.Turn](t)(s.BeginTurn(ctx, turnStart(c.session.ID, "m2", "two", base)))
	}},
	{"BeginTurn/20 concurrent turns: one wins, the rest ErrReplyInProgress", func(t *testing.T, s store.Store) {
		c := newConversation(t, s, "docs")
		_, errs := parallel(20, func(i int) (store.Turn, error) {
			return s.BeginTurn(t.Context(), turnStart(c.session.ID, fmt.Sprintf("m%d", i), fmt.Sprintf("q%d", i), base))
		})
		won := 0
		for _, err := range errs {
			switch {
			case err == nil:
				won++
			case !errors.Is(err, store.ErrReplyInProgress):
				t.Fatalf("unexpected error: %v", err)
			}
		}
		if won != 1 {
			t.Fatalf("%d turns succeeded, want exactly 1", won)
		}
		if got := messages(t, s, c.session.ID); len(got) != 2 {
			t.Fatalf("%d messages stored, want 2", len(got))
		}
	}},
	{"BeginTurn/the same client_message_id 3 times replays the first turn", testIdempotentReplay},
	{"BeginTurn/concurrent retries of one client_message_id store one turn", func(t *testing.T, s store.Store) {
		c := newConversation(t, s, "docs")
		turns, errs := parallel(10, func(int) (store.Turn, error) {
			return s.BeginTurn(t.Context(), turnStart(c.session.ID, "m1", "same", base))
		})
		fresh := 0
		for i, err := range errs {
			mustOK(t, err)
			if !turns[i].Replayed {
				fresh++
			}
			if turns[i].UserMessage.ID != turns[0].UserMessage.ID || turns[i].Reply.ID != turns[0].Reply.ID {
				t.Fatalf("turn %d has other ids than turn 0", i)
			}
		}
		if fresh != 1 {
			t.Fatalf("%d fresh turns, want 1", fresh)
		}
		if got := messages(t, s, c.session.ID); len(got) != 2 {
			t.Fatalf("%d messages stored, want 2", len(got))
		}
	}},
	{"BeginTurn/a reused client_message_id with other content is refused", func(t *testing.T, s store.Store) {
		ctx := t.Context()
		c := newConversation(t, s, "docs")
		turn := must[store.Turn](t)(s.BeginTurn(ctx, turnStart(c.session.ID, "m1", "original", base)))
		before := must[store.Session](t)(s.Session(ctx, c.session.ID))
		_, err := s.BeginTurn(ctx, turnStart(c.session.ID, "m1", "different", base.Add(time.Hour)))
		wantErr(t, err, store.ErrIdempotencyKeyReused)
		finish(t, s, turn.Reply.ID, "answer", base)
		transcript := messages(t, s, c.session.ID)
		_, err = s.BeginTurn(ctx, turnStart(c.session.ID, "m1", "different", base.Add(time.Hour)))
		wantErr(t, err, store.ErrIdempotencyKeyReused)
		diff(t, "transcript", transcript, messages(t, s, c.session.ID))
		if got := must[store.Session](t)(s.Session(ctx, c.session.ID)); !got.LastActivityAt.Equal(before.LastActivityAt) {
			t.Fatalf("refused turn moved last activity to %v", got.LastActivityAt)
		}
	}},
	{"BeginTurn/client_message_id is scoped to its session", func(t *testing.T, s store.Store) {
		ctx := t.Context()
		a := newConversation(t, s, "a")
		b := newConversation(t, s, "b")
		ta := must[store.Turn](t)(s.BeginTurn(ctx, turnStart(a.session.ID, "m1", "same", base)))
		tb := must[store.Turn](t)(s.BeginTurn(ctx, turnStart(b.session.ID, "m1", "other", base)))
		if tb.Replayed || tb.UserMessage.ID == ta.UserMessage.ID {
			t.Fatalf("session b replayed session a's turn: %+v", tb)
		}
	}},
	{"BeginTurn/without client_message_id every turn is new", func(t *testing.T, s store.Store) {
		ctx := t.Context()
		c := newConversation(t, s, "docs")
		for i := range 2 {
			turn := must[store.Turn](t)(s.BeginTurn(ctx, turnStart(c.session.ID, "", "same text", base)))
			if turn.Replayed {
				t.Fatalf("turn %d replayed without a client_message_id", i)
			}
			finish(t, s, turn.Reply.ID, "answer", base)
		}
		if got := messages(t, s, c.session.ID); len(got) != 4 {
			t.Fatalf("%d messages, want 4", len(got))
		}
	}},
	{"BeginTurn/unknown session is ErrNotFound", func(t *testing.T, s store.Store) {
		_, err := s.BeginTurn(t.Context(), turnStart("no-such-session", "m1", "hi", base))
		wantErr(t, err, store.ErrNotFound)
	}},
	{"FinishReply/stores the final state once", testFinishReply},
	{"FinishReply/a clarification marks the session", func(t *testing.T, s store.Store) {
		ctx := t.Context()
		c := newConversation(t, s, "docs")
		turn := must[store.Turn](t)(s.BeginTurn(ctx, turnStart(c.session.ID, "m1", "help", base)))
		m := must[store.Message](t)(s.FinishReply(ctx, store.ReplyResult{MessageID: turn.Reply.ID,
			Status: store.StatusComplete, Kind: store.KindClarification, Text: "Which product?", At: base}))
		if m.Kind != store.KindClarification {
			t.Fatalf("kind = %q", m.Kind)
		}
		if !must[store.Session](t)(s.Session(ctx, c.session.ID)).ClarificationUsed {
			t.Fatal("ClarificationUsed not set after a clarification")
		}
	}},
	{"InterruptStreaming/ends every reply left streaming", testInterruptStreaming},
	{"InterruptStreaming/spares the replies of live instances", testInterruptStreamingInstances},
	{"FinishReply/keeps the answer of an owner that was only paused", testFinishAfterSweep},
	{"Messages/pages in creation order with a cursor", testMessagesPagination},
}

func testIdempotentReplay(t *testing.T, s store.Store) {
	ctx := t.Context()
	c := newConversation(t, s, "docs")
	first := must[store.Turn](t)(s.BeginTurn(ctx, turnStart(c.session.ID, "m1", "hello", base)))
	for i := range 2 {
		again := must[store.Turn](t)(s.BeginTurn(ctx, turnStart(c.session.ID, "m1", "hello", base.Add(time.Minute))))
		if !again.Replayed {
			t.Fatalf("retry %d: Replayed = false", i+1)
		}
		again.Replayed = false
		diff(t, "replayed turn", first, again)
	}
	if got := messages(t, s, c.session.ID); len(got) != 2 {
		t.Fatalf("%d messages stored, want 2", len(got))
	}
	// After the reply finished, a retry gets it in its final state.
	final := finish(t, s, first.Reply.ID, "the answer", base.Add(2*time.Minute))
	again := must[store.Turn](t)(s.BeginTurn(ctx, turnStart(c.session.ID, "m1", "hello", base.Add(3*time.Minute))))
	if !again.Replayed {
		t.Fatal("retry after finish: Replayed = false")
	}
	diff(t, "replayed reply", final, again.Reply)
	diff(t, "replayed question", first.UserMessage, again.UserMessage)
}

func testFinishReply(t *testing.T, s store.Store) {
	ctx := t.Context()
	c := newConversation(t, s, "docs")
	turn := must[store.Turn](t)(s.BeginTurn(ctx, turnStart(c.session.ID, "m1", "q", base)))
	at := base.Add(5 * time.Second)
	sources := []store.Source{
		{Title: "Install", URL: "https://docs.example/install", Path: "install.md", Snippet: "Run it.", Score: 0.75},
		{Title: "FAQ", Snippet: "See FAQ."},
	}
	got := must[store.Message](t)(s.FinishReply(ctx, store.ReplyResult{MessageID: turn.Reply.ID,
		Status: store.StatusComplete, Kind: store.KindPartial, Text: "Partly: run it.", Sources: sources,
		Language: "fr", At: at}))
	want := turn.Reply
	want.Status, want.Kind, want.Text, want.Sources, want.Language, want.UpdatedAt =
		store.StatusComplete, store.KindPartial, "Partly: run it.", sources, "fr", stored(at)
	diff(t, "returned", want, got)
	diff(t, "transcript", []store.Message{turn.UserMessage, want}, messages(t, s, c.session.ID))
	if sess := must[store.Session](t)(s.Session(ctx, c.session.ID)); !sess.LastActivityAt.Equal(stored(at)) {
		t.Fatalf("last activity = %v, want %v", sess.LastActivityAt, stored(at))
	}
	tests := []struct {
		name string
		r    store.ReplyResult
	}{
		{"finishing twice", store.ReplyResult{MessageID: turn.Reply.ID, Status: store.StatusFailed, At: at}},
		{"a user message", store.ReplyResult{MessageID: turn.UserMessage.ID, Status: store.StatusComplete, At: at}},
		{"an unknown id", store.ReplyResult{MessageID: "nope", Status: store.StatusComplete, At: at}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.FinishReply(ctx, tc.r)
			wantErr(t, err, store.ErrNotFound)
		})
	}
	diff(t, "transcript after refused finishes", []store.Message{turn.UserMessage, want}, messages(t, s, c.session.ID))

	// A failed reply keeps its error code and the placeholder's kind.
	next := must[store.Turn](t)(s.BeginTurn(ctx, turnStart(c.session.ID, "m2", "q2", at)))
	if _, err := s.FinishReply(ctx, store.ReplyResult{MessageID: next.Reply.ID, Status: store.StatusStreaming, At: at}); err == nil {
		t.Fatal("FinishReply accepted status streaming")
	}
	failed := must[store.Message](t)(s.FinishReply(ctx, store.ReplyResult{MessageID: next.Reply.ID,
		Status: store.StatusFailed, Error: "assistant_unavailable", At: at}))
	if failed.Status != store.StatusFailed || failed.Error != "assistant_unavailable" || failed.Kind != store.KindAnswer || failed.Language != "en" {
		t.Fatalf("failed reply = %+v", failed)
	}
}

// testFinishAfterSweep: an instance's heartbeat is late (a long pause), so a
// sweep marks its reply interrupted; then it finishes the reply after all.
// Its answer is stored, not lost. Another instance's finish, and a finish of
// a reply someone restarted meanwhile, are still refused.
func testFinishAfterSweep(t *testing.T, s store.Store) {
	ctx := t.Context()
	c := newConversation(t, s, "paused")
	mustOK(t, s.Heartbeat(ctx, "instance-paused", base))
	turn := beginOwned(t, s, c.session.ID, "instance-paused", "m1", base)
	at := base.Add(time.Minute)
	if n := must[int](t)(s.InterruptStreaming(ctx, at, at.Add(-30*time.Second))); n != 1 {
		t.Fatalf("sweep changed %d replies, want 1", n)
	}
	result := store.ReplyResult{Owner: "instance-other", MessageID: turn.Reply.ID, Status: store.StatusComplete, Kind: store.KindAnswer, Text: "the answer", At: at}
	_, err := s.FinishReply(ctx, result)
	wantErr(t, err, store.ErrNotFound)
	result.Owner = "instance-paused"
	got := must[store.Message](t)(s.FinishReply(ctx, result))
	if got.Status != store.StatusComplete || got.Text != "the answer" || got.Error != "" {
		t.Fatalf("the paused owner's finish: %+v", got)
	}
	// Swept again and restarted by another instance: the paused one's late
	// result no longer applies.
	t2 := beginOwned(t, s, c.session.ID, "instance-paused", "m2", at)
	later := at.Add(time.Minute)
	if n := must[int](t)(s.InterruptStreaming(ctx, later, later.Add(-30*time.Second))); n != 1 {
		t.Fatalf("second sweep changed %d replies, want 1", n)
	}
	must[store.Message](t)(s.RestartReply(ctx, t2.Reply.ID, "instance-other", later))
	_, err = s.FinishReply(ctx, store.ReplyResult{Owner: "instance-paused", MessageID: t2.Reply.ID, Status: store.StatusComplete, Kind: store.KindAnswer, Text: "stale", At: later})
	wantErr(t, err, store.ErrNotFound)
}

func testInterruptStreaming(t *testing.T, s store.Store) {
	ctx := t.Context()
	a, b, done := newConversation(t, s, "a"), newConversation(t, s, "b"), newConversation(t, s, "c")
	ta := must[store.Turn](t)(s.BeginTurn(ctx, turnStart(a.session.ID, "m1", "q", base)))
	tb := must[store.Turn](t)(s.BeginTurn(ctx, turnStart(b.session.ID, "m1", "q", base)))
	tc := must[store.Turn](t)(s.BeginTurn(ctx, turnStart(done.session.ID, "m1", "q", base)))
	finished := finish(t, s, tc.Reply.ID, "answer", base)
	at := base.Add(time.Hour)
	// Replies of no known instance (Owner "") are swept whatever the cut-off.
	if n := must[int](t)(s.InterruptStreaming(ctx, at, at)); n != 2 {
		t.Fatalf("InterruptStreaming changed %d replies, want 2", n)
	}
	for _, turn := range []store.Turn{ta, tb} {
		got := messages(t, s, turn.Reply.SessionID)[1]
		if got.Status != store.StatusInterrupted || got.Error == "" || !got.UpdatedAt.Equal(stored(at)) {
			t.Fatalf("after sweep: %+v", got)
		}
	}
	diff(t, "finished reply", finished, messages(t, s, done.session.ID)[1])
	if n := must[int](t)(s.InterruptStreaming(ctx, at, at)); n != 0 {
		t.Fatalf("second sweep changed %d replies, want 0", n)
	}
	// The sessions accept new turns again.
	must[store.Turn](t)(s.BeginTurn(ctx, turnStart(a.session.ID, "m2", "again", at)))
}

// testInterruptStreamingInstances: two instances share the database; the
// sweep ends the replies of the one whose heartbeat stopped, never those
// the live one is streaming, and a restarted reply belongs to its new owner.
func testInterruptStreamingInstances(t *testing.T, s store.Store) {
	ctx := t.Context()
	status := func(turn store.Turn) store.MessageStatus {
		for _, m := range messages(t, s, turn.Reply.SessionID) {
			if m.ID == turn.Reply.ID {
				return m.Status
			}
		}
		t.Fatalf("reply %s not found", turn.Reply.ID)
		return ""
	}
	live, dead := newConversation(t, s, "live"), newConversation(t, s, "dead")
	mustOK(t, s.Heartbeat(ctx, "instance-live", base))
	mustOK(t, s.Heartbeat(ctx, "instance-dead", base))
	tl := beginOwned(t, s, live.session.ID, "instance-live", "m1", base)
	td := beginOwned(t, s, dead.session.ID, "instance-dead", "m1", base)
	// A minute on, only the live instance still beats (twice: an upsert).
	at := base.Add(time.Minute)
	mustOK(t, s.Heartbeat(ctx, "instance-live", at.Add(-10*time.Second)))
	mustOK(t, s.Heartbeat(ctx, "instance-live", at))
	if n := must[int](t)(s.InterruptStreaming(ctx, at, at.Add(-30*time.Second))); n != 1 {
		t.Fatalf("sweep changed %d replies, want 1 (the dead instance's)", n)
	}
	if status(tl) != store.StatusStreaming || status(td) != store.StatusInterrupted {
		t.Fatalf("after the sweep: live reply %s, dead reply %s", status(tl), status(td))
	}
	// The visitor of the dead instance retries; the live instance answers.
	restarted := must[store.Message](t)(s.RestartReply(ctx, td.Reply.ID, "instance-live", at))
	if restarted.Status != store.StatusStreaming {
		t.Fatalf("restarted: %+v", restarted)
	}
	// The dead instance was only paused: its late result must not overwrite
	// the answer the live one is writing now.
	_, err := s.FinishReply(ctx, store.ReplyResult{Owner: "instance-dead", MessageID: td.Reply.ID,
		Status: store.StatusComplete, Kind: store.KindAnswer, Text: "stale", At: at})
	wantErr(t, err, store.ErrNotFound)
	if n := must[int](t)(s.InterruptStreaming(ctx, at, at.Add(-30*time.Second))); n != 0 {
		t.Fatalf("a sweep ended %d replies of the live instance", n)
	}
	// Once the live instance falls silent too, its replies go.
	later := at.Add(time.Minute)
	if n := must[int](t)(s.InterruptStreaming(ctx, later, later.Add(-30*time.Second))); n != 2 {
		t.Fatalf("sweep after the live instance stopped changed %d replies, want 2", n)
	}
	// A reply of no instance (written before replies had owners, by an older
	// Docent still running) is spared while it is younger than the cut-off.
	legacy := must[store.Turn](t)(s.BeginTurn(ctx, turnStart(newConversation(t, s, "legacy").session.ID, "m1", "q", later)))
	if n := must[int](t)(s.InterruptStreaming(ctx, later, later.Add(-30*time.Second))); n != 0 || status(legacy) != store.StatusStreaming {
		t.Fatalf("a fresh unowned reply was swept: %s (%d changed)", status(legacy), n)
	}
	if n := must[int](t)(s.InterruptStreaming(ctx, later.Add(time.Minute), later.Add(30*time.Second))); n != 1 || status(legacy) != store.StatusInterrupted {
		t.Fatalf("an old unowned reply: %s (%d changed)", status(legacy), n)
	}
	// An instance silent for over a day is forgotten: a reply it still owned
	// is swept even by a cut-off its last heartbeat would have met.
	mustOK(t, s.Heartbeat(ctx, "instance-old", base))
	far := base.Add(48 * time.Hour)
	must[int](t)(s.InterruptStreaming(ctx, far, far))
	old := beginOwned(t, s, newConversation(t, s, "old").session.ID, "instance-old", "m1", far)
	if n := must[int](t)(s.InterruptStreaming(ctx, far, base)); n != 1 || status(old) != store.StatusInterrupted {
		t.Fatalf("reply of a forgotten instance: %s (%d changed)", status(old), n)
	}
}

func testMessagesPagination(t *testing.T, s store.Store) {
	ctx := t.Context()
	c := newConversation(t, s, "docs")
	noise := newConversation(t, s, "noise")
	for i := range 4 {
		at := base.Add(time.Duration(i) * time.Minute)
		for _, sess := range []string{c.session.ID, noise.session.ID} {
			turn := must[store.Turn](t)(s.BeginTurn(ctx, turnStart(sess, fmt.Sprintf("m%d", i), fmt.Sprintf("q%d", i), at)))
			finish(t, s, turn.Reply.ID, fmt.Sprintf("a%d", i), at)
		}
	}
	all := messages(t, s, c.session.ID)
	var texts []string
	for i, m := range all {
		texts = append(texts, m.Text)
		if m.SessionID != c.session.ID || (i > 0 && m.ID <= all[i-1].ID) {
			t.Fatalf("message %d out of order or from another session: %+v", i, m)
		}
	}
	diff(t, "texts", []string{"q0", "a0", "q1", "a1", "q2", "a2", "q3", "a3"}, texts)
	var paged []store.Message
	cursor := ""
	for range 10 {
		page := must[[]store.Message](t)(s.Messages(ctx, c.session.ID, cursor, 3))
		if len(page) > 3 {
			t.Fatalf("page of %d, limit 3", len(page))
		}
		if len(page) == 0 {
			break
		}
		paged = append(paged, page...)
		cursor = page[len(page)-1].ID
	}
	diff(t, "pages", all, paged)
	if got := must[[]store.Message](t)(s.Messages(ctx, c.session.ID, all[5].ID, 0)); len(got) != 2 || got[0].ID != all[6].ID {
		t.Fatalf("after message 5: %+v", got)
	}
	if got := must[[]store.Message](t)(s.Messages(ctx, "no-such-session", "", 10)); len(got) != 0 {
		t.Fatalf("unknown session has messages: %+v", got)
	}
}

var restartBehaviours = []behaviour{
	{"RestartReply/an interrupted reply streams again without a second question", func(t *testing.T, s store.Store) {
		ctx := t.Context()
		c := newConversation(t, s, "docs")
		turn := must[store.Turn](t)(s.BeginTurn(ctx, turnStart(c.session.ID, "m1", "one", base)))
		must[store.Message](t)(s.FinishReply(ctx, store.ReplyResult{MessageID: turn.Reply.ID, Status: store.StatusInterrupted,
			Text: "half an ans", Error: "client_disconnected", At: base}))
		again := must[store.Turn](t)(s.BeginTurn(ctx, turnStart(c.session.ID, "m1", "one", base)))
		if !again.Replayed || again.Reply.Status != store.StatusInterrupted {
			t.Fatalf("replay of an interrupted turn: %+v", again)
		}
		restarted := must[store.Message](t)(s.RestartReply(ctx, turn.Reply.ID, "", base.Add(time.Second)))
		if restarted.ID != turn.Reply.ID || restarted.Status != store.StatusStreaming || restarted.Text != "" || restarted.Error != "" {
			t.Fatalf("restarted reply: %+v", restarted)
		}
		// While it streams, a new turn and a second restart are refused.
		_, err := s.BeginTurn(ctx, turnStart(c.session.ID, "m2", "two", base))
		wantErr(t, err, store.ErrReplyInProgress)
		_, err = s.RestartReply(ctx, turn.Reply.ID, "", base)
		wantErr(t, err, store.ErrReplyInProgress)
		finish(t, s, turn.Reply.ID, "the whole answer", base.Add(2*time.Second))
		msgs := messages(t, s, c.session.ID)
		if len(msgs) != 2 || msgs[1].Text != "the whole answer" || msgs[1].Status != store.StatusComplete {
			t.Fatalf("transcript after restart: %+v", msgs)
		}
	}},
	{"RestartReply/complete replies and unknown ids are ErrNotFound", func(t *testing.T, s store.Store) {
		ctx := t.Context()
		c := newConversation(t, s, "docs")
		turn := must[store.Turn](t)(s.BeginTurn(ctx, turnStart(c.session.ID, "m1", "one", base)))
		finish(t, s, turn.Reply.ID, "done", base)
		_, err := s.RestartReply(ctx, turn.Reply.ID, "", base)
		wantErr(t, err, store.ErrNotFound)
		_, err = s.RestartReply(ctx, turn.UserMessage.ID, "", base)
		wantErr(t, err, store.ErrNotFound)
		_, err = s.RestartReply(ctx, "no-such-id", "", base)
		wantErr(t, err, store.ErrNotFound)
	}},
}
