// Package extractive owns Docent's built-in answerer, the zero-setup default
// provider. It needs no model: it decides from retrieval evidence whether the
// documentation answers the question (answer), answers it in part (partial,
// with a caveat) or not at all (notice), then quotes the best sentences, list
// items and code blocks of the top passages as Markdown, cites the documents
// it quoted, and streams the result word by word like a model would.
package extractive

import (
	"context"
	"strings"
	"time"

	"github.com/docentchat/docent/internal/assistant"
	"github.com/docentchat/docent/internal/locale"
	"github.com/docentchat/docent/internal/store"
)

// Options tunes the answerer. The zero value gives the defaults.
type Options struct {
	// Pace is the delay between streamed deltas, so that a reply arrives like a
	// model's rather than all at once. 0 streams without waiting (tests).
	Pace time.Duration
	// AnswerCoverage is the passage coverage from which a reply is a full
	// answer (default DefaultAnswerCoverage).
	AnswerCoverage float64
	// PartialCoverage is the coverage from which a reply is a partial answer
	// with a caveat; below it the reply is a not-found notice (default
	// DefaultPartialCoverage). It is capped at AnswerCoverage.
	PartialCoverage float64
	// MaxSentences caps the sentences and list items chosen by score (default
	// DefaultMaxSentences). Code blocks and the items a chosen sentence
	// introduces come on top.
	MaxSentences int
}

// Provider is the extractive answerer. It holds no state between calls and is
// safe for concurrent use.
type Provider struct {
	opts Options
}

var _ assistant.Provider = (*Provider)(nil)

// New returns an extractive answerer with opts, defaults filled in.
func New(opts Options) *Provider {
	if opts.Pace < 0 {
		opts.Pace = 0
	}
	if opts.AnswerCoverage <= 0 || opts.AnswerCoverage > 1 {
		opts.AnswerCoverage = DefaultAnswerCoverage
	}
	if opts.PartialCoverage <= 0 {
		opts.PartialCoverage = DefaultPartialCoverage
	}
	opts.PartialCoverage = min(opts.PartialCoverage, opts.AnswerCoverage)
	if opts.MaxSentences <= 0 {
		opts.MaxSentences = DefaultMaxSentences
	}
	return &Provider{opts: opts}
}

// Name is the provider id used in agent config.
func (p *Provider) Name() string { return "extractive" }

// Stream composes the reply, then streams it. It answers req.Question from
// req.Passages alone: following Instructions or resolving a follow-up against
// History takes a model. Framing text (the caveat, the not-found notice) is in
// req.Language; quoted passages stay in their own language. See
// assistant.Provider for the streaming contract.
func (p *Provider) Stream(ctx context.Context, req assistant.Request, emit func(delta string) error) (assistant.Reply, error) {
	reply := p.compose(req)
	reply.Usage.InputTokens = inputTokens(req)
	if err := ctx.Err(); err != nil {
		reply.Text = ""
		return reply, err
	}
	text, err := emitPaced(ctx, reply.Text, p.opts.Pace, emit)
	reply.Text = text
	reply.Usage.OutputTokens = estimateTokens(text)
	return reply, err
}

// compose decides the reply kind and builds its full text and sources.
func (p *Provider) compose(req assistant.Request) assistant.Reply {
	notFound := assistant.Reply{Kind: store.KindNotice, Text: locale.Text(req.Language, locale.NotFound)}
	if strings.TrimSpace(req.Question) == "" {
		return notFound
	}
	used, kind := p.usablePassages(req.Passages, len(contentTerms(req.Question)))
	if kind == store.KindNotice {
		return notFound
	}
	units := p.selectUnits(req.Question, candidatesOf(req.Passages, used))
	var caveat string
	if kind == store.KindPartial {
		caveat = locale.Text(req.Language, locale.PartialCaveat) + "\n\n"
	}
	units = fitBudget(units, req.MaxOutputTokens, estimateTokens(caveat))
	body := renderUnits(units)
	if strings.TrimSpace(body) == "" {
		return notFound
	}
	return assistant.Reply{
		Kind:    kind,
		Text:    caveat + body,
		Sources: sourcesOf(req.Passages, used, units),
	}
}

// inputTokens estimates what the answerer read: the same accounting a model
// provider would report, so budgets and the QA surface compare like with like.
func inputTokens(req assistant.Request) int {
	n := estimateTokens(req.Instructions) + estimateTokens(req.Question)
	for _, t := range req.History {
		n += estimateTokens(t.Text)
	}
	for _, ps := range req.Passages {
		n += estimateTokens(ps.Text)
	}
	return n
}

// Plan announces the kind of the reply Stream will produce for req, so the
// stream's start event can carry it. Composing is deterministic and cheap (a
// few passages), so Plan simply composes and keeps the kind.
func (p *Provider) Plan(req assistant.Request) store.Kind {
	return p.compose(req).Kind
}
