// The `test` persona's QA control surface (PROTOCOL §3): a collapsible panel
// (`[data-qa]`, a <details>) above the transcript showing the handshake's
// events and timings, the identity status, how the language was chosen, and
// for the last reply the retrieved passages with their scores, provider and
// model, token counts and latencies. The server sends the data only on
// channels whose persona is test; everything is rendered as text. Labels are
// English on purpose: this is a tool for the site's QA team, not visitors.

import { h } from "./ui";

export interface TurnDebug {
  provider?: string;
  model?: string;
  language?: string;
  passages?: { title?: string; url?: string; source?: string; score?: number; coverage?: number }[];
  input_tokens?: number;
  output_tokens?: number;
  retrieval_ms?: number;
  first_token_ms?: number;
  total_ms?: number;
}

const MAX_EVENTS = 30;

export class QAPanel {
  readonly el: HTMLDetailsElement;
  private readonly events = h("ol", { "data-qa-events": true });
  private readonly fields: Record<string, HTMLElement> = {};
  private readonly sources = h("ol", { "data-qa-sources": true });
  private readonly t0 = performance.now();

  constructor() {
    const dl = h("dl");
    for (const [key, label] of [
      ["handshake", "Handshake (ready → ack)"],
      ["identity", "Identity"],
      ["language", "Language"],
      ["provider", "Provider / model"],
      ["tokens", "Tokens (in / out)"],
      ["latency", "Latency (retrieval / first token / total)"],
    ]) {
      this.fields[key] = h("dd", { ["data-qa-" + key]: true }, "—");
      dl.append(h("dt", {}, label), this.fields[key]);
    }
    this.el = h(
      "details",
      { class: "qa", "data-qa": true },
      h("summary", {}, "QA"),
      dl,
      h("p", {}, "Handshake events"),
      this.events,
      h("p", {}, "Retrieved sources"),
      this.sources,
    );
  }

  // event logs a handshake or session event with its time since frame start.
  event(what: string) {
    this.events.append(h("li", { "data-qa-event": what }, `${Math.round(performance.now() - this.t0)} ms · ${what}`));
    while (this.events.childElementCount > MAX_EVENTS) this.events.firstElementChild!.remove();
  }

  set(key: string, text: string) {
    if (this.fields[key]) this.fields[key].textContent = text;
  }

  turn(d: TurnDebug) {
    if (!d || typeof d !== "object") return;
    this.set("provider", `${str(d.provider)} / ${str(d.model) || "—"}`);
    this.set("tokens", `${num(d.input_tokens)} / ${num(d.output_tokens)}`);
    this.set("latency", `${num(d.retrieval_ms)} ms / ${num(d.first_token_ms)} ms / ${num(d.total_ms)} ms`);
    const list = Array.isArray(d.passages) ? d.passages.slice(0, 20) : [];
    this.sources.replaceChildren(
      ...list.map((p) =>
        h("li", { "data-qa-source": true, "data-score": num(p?.score) }, `${str(p?.title) || str(p?.source) || "?"} — score ${num(p?.score)}, coverage ${num(p?.coverage)}`),
      ),
    );
  }
}

function str(v: unknown): string {
  return typeof v === "string" ? v : "";
}

function num(v: unknown): string {
  return typeof v === "number" && isFinite(v) ? String(Math.round(v * 1000) / 1000) : "—";
}
