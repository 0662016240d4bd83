package extractive

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/docentchat/docent/internal/assistant"
)

func TestDeltasConcatenateAndStaySmall(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string // nil: check only concatenation and size
	}{
		{"words keep trailing space", "Add the  loader\nscript.", []string{"Add ", "the  ", "loader\n", "script."}},
		{"leading space travels with the first word", "  hi there", []string{"  hi ", "there"}},
		{"CJK in pairs", "言語は決まります。", []string{"言語", "は決", "まり", "ます", "。"}},
		{"mixed scripts", "KYCのロケール", []string{"KYC", "のロ", "ケー", "ル"}},
		{"code fence", "```html\n<script async src=\"x\"></script>\n```", nil},
		{"long unbroken run is cut", strings.Repeat("a", 100), []string{strings.Repeat("a", 32), strings.Repeat("a", 32), strings.Repeat("a", 32), "aaaa"}},
		{"only spaces", " \n ", []string{" \n "}},
		{"empty", "", nil},
		{"invalid UTF-8", "a\xffb \xfe", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for d := range deltas(tt.text) {
				if d == "" {
					t.Fatal("empty delta")
				}
				got = append(got, d)
			}
			if strings.Join(got, "") != tt.text {
				t.Fatalf("deltas %q do not concatenate to %q", got, tt.text)
			}
			if tt.want != nil && strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("deltas = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestStreamStopsWhenEmitFails(t *testing.T) {
	errGone := errors.New("visitor went away")
	req := assistant.Request{Question: "How do I embed the widget on my site?", Language: "en",
		Passages: []assistant.Passage{embedPassage}}
	var got []string
	reply, err := New(Options{}).Stream(context.Background(), req, func(d string) error {
		if len(got) == 3 {
			return errGone
		}
		got = append(got, d)
		return nil
	})
	if !errors.Is(err, errGone) {
		t.Fatalf("err = %v, want the emit error", err)
	}
	if reply.Text != strings.Join(got, "") || len(got) != 3 {
		t.Errorf("partial Text = %q, want the 3 accepted deltas %q", reply.Text, got)
	}
	if reply.Kind == "" || len(reply.Sources) == 0 {
		t.Errorf("partial reply lost its kind or sources: %+v", reply)
	}
}

func TestStreamWithCancelledContextEmitsNothing(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	reply, err := New(Options{}).Stream(ctx, assistant.Request{Question: "x", Passages: []assistant.Passage{tokenPassage}},
		func(string) error {
			t.Error("emit called after cancellation")
			return nil
		})
	if !errors.Is(err, context.Canceled) || reply.Text != "" {
		t.Errorf("got (%q, %v), want empty text and context.Canceled", reply.Text, err)
	}
}

// TestStreamCancelMidStreamReturnsPromptly uses a pace far longer than the
// test may take: the only way Stream returns in time is by watching ctx while
// it waits, and the only deltas seen are those before the cancel.
func TestStreamCancelMidStreamReturnsPromptly(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req := assistant.Request{Question: "How long does an identity token stay valid?", Language: "en",
		Passages: []assistant.Passage{tokenPassage}}
	first := make(chan struct{})
	var got []string
	done := make(chan struct{})
	var reply assistant.Reply
	var err error
	go func() {
		defer close(done)
		reply, err = New(Options{Pace: time.Hour}).Stream(ctx, req, func(d string) error {
			got = append(got, d)
			if len(got) == 1 {
				close(first)
			}
			return nil
		})
	}()
	<-first
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Stream did not return after cancel while pacing")
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if len(got) != 1 || reply.Text != got[0] {
		t.Errorf("got deltas %q and Text %q, want exactly the first delta", got, reply.Text)
	}
	if reply.Usage.OutputTokens != estimateTokens(reply.Text) {
		t.Errorf("OutputTokens = %d, want the count of the emitted text", reply.Usage.OutputTokens)
	}
}

// TestStreamHonoursPace streams a whole reply with a small pace: the elapsed
// time can only be longer than the sum of the pauses, never shorter.
func TestStreamHonoursPace(t *testing.T) {
	const pace = 2 * time.Millisecond
	req := assistant.Request{Question: "What is the recommended token lifetime?", Language: "en",
		Passages: []assistant.Passage{tokenPassage}}
	start := time.Now()
	reply, got := run(t, Options{Pace: pace}, req)
	elapsed := time.Since(start)
	if minimum := time.Duration(len(got)-1) * pace; elapsed < minimum {
		t.Errorf("%d deltas took %v, want at least %v", len(got), elapsed, minimum)
	}
	if reply.Text == "" {
		t.Error("empty reply")
	}
}

func TestEstimateTokens(t *testing.T) {
	tests := []struct {
		text string
		want int
	}{
		{"", 0},
		{"abcd", 1},
		{"abcde", 2},
		{"言語", 2},
		{"KYCの", 2},
	}
	for _, tt := range tests {
		if got := estimateTokens(tt.text); got != tt.want {
			t.Errorf("estimateTokens(%q) = %d, want %d", tt.text, got, tt.want)
		}
	}
}
