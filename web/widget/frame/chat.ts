// The conversation controller: session start, sending and streaming replies,
// errors, "Start new chat", and the state reported to the parent page. It owns
// no markup of its own (ui.ts does) and talks to the server only via api.ts.

import { ApiError, postJSON, streamChat, StreamResult } from "./api";
import type { EmbedConfig } from "./handshake";
import { isRTL, pickLanguage, Strings, strings, StringKey } from "./i18n";
import type { SessionStore } from "./storage";
import type { Source, SessionResponse, WidgetConfig } from "./types";
import { divider, h, MessageView, notice, Shell, suggestions } from "./ui";

// Problem codes with their own message; any other code shows "generic".
const KNOWN: string[] = ["empty_message", "message_too_long", "reply_in_progress", "rate_limited", "network"];
// Codes after which resending the same message (same client_message_id) may succeed.
const RETRYABLE = /^(network|rate_limited|reply_in_progress|bad_response|http_5\d\d)$/;

interface Pending {
  text: string;
  id: string; // client_message_id, reused by retries (idempotency)
  user: MessageView;
}

export class Chat {
  private t: Strings = strings("en");
  private sessionId = "";
  private status = "open";
  private busy = false;
  private ready = false;
  private embed: EmbedConfig = { mode: "public" };
  private parentOrigin: string | null = null;
  private reported = "";
  private chips: HTMLElement | null = null;
  private sessionLanguage = "";
  private title = ""; // the channel's title; the localized "Chat" without one

  constructor(
    private readonly ui: Shell,
    private readonly key: string,
    private readonly store: SessionStore,
    private readonly config: Promise<WidgetConfig>,
  ) {}

  // setEmbed applies an accepted handshake config (or the URL fallback).
  setEmbed(c: EmbedConfig, origin: string | null) {
    this.embed = c;
    if (origin) {
      this.parentOrigin = origin;
      this.ui.close.hidden = false;
      this.reported = "";
      this.report();
    }
    // Once the session has a language it wins: it is sticky (PROTOCOL §7).
    this.setLanguage(this.sessionLanguage || c.locale || navigator.language);
  }

  private setLanguage(tag: string) {
    this.t = strings(pickLanguage(tag));
    const root = document.documentElement;
    root.lang = tag;
    root.dir = this.embed.direction === "rtl" || isRTL(tag) ? "rtl" : "ltr";
    this.ui.labels.apply(this.t);
    this.ui.title.textContent = document.title = this.title || this.t.title;
  }

  setTitle(title: string) {
    this.title = title;
    this.ui.title.textContent = document.title = title;
  }

  // start opens (or resumes) the session and renders its transcript.
  async start(fresh = false): Promise<boolean> {
    const body: Record<string, string> = { key: this.key, browser_locale: navigator.language };
    const stored = fresh ? null : this.store.get();
    if (stored) body.session_id = stored;
    if (this.embed.locale) body.locale = this.embed.locale;
    if (this.parentOrigin) body.host_origin = this.parentOrigin;
    try {
      await this.adopt(await postJSON<SessionResponse>("/widget/session/init", body), fresh && !!this.sessionId);
    } catch (e) {
      // A stored session the server refuses: start over without it, once.
      if (stored && e instanceof ApiError && e.status >= 400 && e.status < 500) return this.start(true);
      this.notify(code(e), () => this.start(fresh));
      return false;
    }
    this.markReady();
    return true;
  }

  async newChat() {
    if (this.busy) return;
    this.setBusy(true);
    try {
      if (!this.sessionId) throw new ApiError(401, "session_invalid");
      await this.adopt(await postJSON<SessionResponse>("/widget/session/new", { session_id: this.sessionId }), true);
    } catch (e) {
      if (code(e) !== "session_invalid") this.notify(code(e));
      else await this.start(true);
    } finally {
      this.setBusy(false);
    }
    this.ui.input.focus();
  }

  // send posts one message and streams the reply. A retry passes the
  // original Pending so the same client_message_id is sent again.
  async send(text: string, retry?: Pending, recovered = false) {
    if (this.busy || !this.sessionId || this.status === "closed" || !text.trim()) return;
    this.chips?.remove();
    this.chips = null;
    // A new message makes older retry offers stale.
    if (!retry) this.ui.log.querySelectorAll("[data-action=retry]").forEach((b) => b.remove());
    const p = retry || { text, id: uuid(), user: this.append(new MessageView({ role: "user", kind: "question", text }, this.t)) };
    p.user.set("status", "sending");
    const reply = this.append(new MessageView({ role: "assistant", status: "streaming" }, this.t));
    reply.typing(this.t);
    this.scroll(true);
    this.setBusy(true);
    let sources: Source[] = [];
    let after: (() => Promise<void>) | undefined;
    try {
      const result = await streamChat(
        { session_id: this.sessionId, message: p.text, client_message_id: p.id },
        {
          start: (d) => {
            p.user.set("status", "complete");
            if (typeof d.kind === "string") reply.set("kind", d.kind);
            if (typeof d.message_id === "string") reply.set("message-id", d.message_id);
          },
          delta: (s) => {
            reply.append(s);
            this.scroll(false);
          },
          sources: (s) => (sources = s),
        },
      );
      this.finish(p, reply, result, sources);
    } catch (e) {
      reply.el.remove();
      after = this.failed(p, e, recovered);
    } finally {
      this.setBusy(false);
    }
    if (after) await after();
  }

  private finish(p: Pending, reply: MessageView, r: StreamResult, sources: Source[]) {
    p.user.set("status", "complete");
    const partial = reply.text;
    if (r.end === "done") {
      const d = r.done;
      reply.render(typeof d.text === "string" ? d.text : partial);
      reply.set("status", "complete");
      reply.set("kind", d.kind || "answer");
      if (d.message_id) reply.set("message-id", d.message_id);
      reply.sources(Array.isArray(d.sources) ? d.sources : sources, this.t);
      if (d.ticket_number) {
        reply.el.setAttribute("data-ticket", d.ticket_number);
        reply.note(this.t.ticket + " " + d.ticket_number);
      }
      if (d.session_id) this.setSession(d.session_id);
      if (typeof d.language === "string" && d.language) this.setLanguage((this.sessionLanguage = d.language));
      if (d.chat_ended) this.setStatus("closed");
      else if (d.kind === "escalation") this.setStatus("escalated");
    } else {
      // Keep whatever arrived; mark how the reply ended.
      reply.set("status", partial ? "interrupted" : "failed");
      partial ? reply.render(partial) : reply.body.replaceChildren(this.t.reply_failed);
      reply.sources(sources, this.t);
      if (r.end === "error") this.notify(r.code);
      else {
        reply.note(this.t.interrupted);
        this.notify("network", () => {
          reply.el.remove();
          return this.send(p.text, p);
        });
      }
    }
    this.scroll(false);
  }

  // failed handles a request that got no reply stream, and returns follow-up
  // work to run once the composer is free again.
  private failed(p: Pending, e: unknown, recovered: boolean): (() => Promise<void>) | undefined {
    const c = code(e);
    if (c === "session_invalid" && !recovered) {
      return async () => {
        p.user.el.remove();
        if (await this.start(true)) {
          this.notify("session_invalid");
          await this.send(p.text, undefined, true);
        }
      };
    }
    if (c === "empty_message" || c === "message_too_long") {
      p.user.el.remove();
      if (!this.ui.input.value) this.ui.input.value = p.text; // let the visitor edit it
      this.notify(c);
      return undefined;
    }
    p.user.set("status", "failed");
    this.notify(c, RETRYABLE.test(c) ? () => this.send(p.text, p) : undefined);
    return undefined;
  }

  // adopt shows a session's transcript; after "Start new chat" (or a
  // replacement session) it goes below a "New conversation" divider.
  private async adopt(res: SessionResponse, newConversation: boolean) {
    if (!res || typeof res.session_id !== "string") throw new ApiError(200, "bad_response");
    this.setSession(res.session_id);
    if (typeof res.language === "string" && res.language) this.setLanguage((this.sessionLanguage = res.language));
    const frag = document.createDocumentFragment();
    if (newConversation) frag.append(divider(this.t.newConversation));
    const messages = Array.isArray(res.messages) ? res.messages : [];
    for (const m of messages) if (m && typeof m === "object") frag.append(new MessageView(m, this.t).el);
    this.chips?.remove();
    this.chips = null;
    if (!messages.some((m) => m?.role === "user")) {
      const cfg = await this.config;
      const list = Array.isArray(cfg.suggested_questions) ? cfg.suggested_questions : [];
      this.chips = suggestions(list, this.t.suggestions, (q) => this.send(q));
      if (this.chips) frag.append(this.chips);
    }
    this.ui.log.append(frag);
    this.setStatus(res.chat_ended ? "closed" : res.status || "open");
    this.scroll(true);
  }

  private setSession(id: string) {
    if (!id) return;
    this.sessionId = id;
    this.store.set(id);
  }

  private setStatus(s: string) {
    this.status = s;
    const ended = s === "closed";
    this.ui.app.setAttribute("data-session-status", s);
    this.ui.ended.hidden = !ended;
    this.ui.input.disabled = ended;
    this.ui.send.disabled = ended || this.busy;
    this.report();
  }

  private setBusy(b: boolean) {
    this.busy = b;
    this.ui.send.disabled = b || this.status === "closed";
    this.ui.newChat.disabled = b;
    this.ui.restart.disabled = b;
    this.ui.log.setAttribute("aria-busy", String(b));
  }

  private markReady() {
    this.ready = true;
    this.ui.app.setAttribute("data-ready", "true");
    this.report();
    if (document.hasFocus() && !this.ui.input.disabled) this.ui.input.focus();
  }

  // notify adds a kind message for a problem code, with an optional action.
  private notify(c: string, retry?: () => Promise<unknown>) {
    const key = (KNOWN.includes(c) || c === "session_invalid" ? c : "generic") as StringKey;
    let button: HTMLButtonElement | undefined;
    if (retry) {
      button = h("button", { type: "button", class: "link", "data-action": "retry" }, this.t.retry);
      button.onclick = () => {
        if (this.busy) return;
        box.remove();
        retry();
      };
    }
    const box = notice(c, this.t[key], button);
    this.append({ el: box });
    this.scroll(true);
  }

  private append<T extends { el: HTMLElement }>(v: T): T {
    this.ui.log.append(v.el);
    return v;
  }

  // scroll keeps the newest content in view, unless the visitor scrolled up
  // to read while a reply streams.
  private scroll(force: boolean) {
    const log = this.ui.log;
    if (force || log.scrollHeight - log.scrollTop - log.clientHeight < 80) log.scrollTop = log.scrollHeight;
  }

  // report tells the verified parent (never "*") about ready/status changes.
  private report() {
    if (!this.parentOrigin) return;
    const state = { type: "docent:state", ready: this.ready, sessionStatus: this.status, identity: "anonymous" };
    const s = JSON.stringify(state);
    if (s === this.reported) return;
    this.reported = s;
    window.parent.postMessage(state, this.parentOrigin);
  }

  // requestClose asks the loader to hide the panel.
  requestClose() {
    if (this.parentOrigin) window.parent.postMessage({ type: "docent:close" }, this.parentOrigin);
  }
}

function code(e: unknown): string {
  return e instanceof ApiError ? e.code : "network";
}

function uuid(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  // Insecure contexts (plain http on a non-local host) lack randomUUID.
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
