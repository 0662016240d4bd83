// The conversation controller: session start, sending and streaming replies,
// errors, "Start new chat", identity changes (log in, switch user, log out,
// exchange-token refresh) and the state reported to the parent page. It owns
// no markup of its own (ui.ts does) and talks to the server only via api.ts.
//
// Privacy rule: the transcript only ever shows conversations of one identity.
// Whenever the identity changes, the log is emptied before the next session
// is shown, and sessions of identified visitors are never kept in storage
// (the server resumes them by identity), so nothing of one user survives for
// the next one in the same browser (SECURITY AS-06, AS-07).

import { ApiError, ChatRequest, ExtraHeaders, postJSON, streamChat, StreamResult } from "./api";
import { Announcer } from "./announce";
import { nonces, readyMessage, timing, type Credentials, type EmbedConfig } from "./handshake";
import { credentialsOf, credentialString, hasCredentials, identityOf, isTokenError, whoOf } from "./identity";
import { History } from "./history";
import { Parent } from "./parent";
import { en, isRTL, pickLanguage, Strings, strings, StringKey } from "./i18n";
import { QAPanel, TurnDebug } from "./qa";
import { Telemetry } from "./telemetry";
import { applyAccent, applyThemeMode } from "./theme";
import type { SessionStore } from "./storage";
import type { Source, SessionResponse, WidgetConfig } from "./types";
import { divider, fillLanguages, h, MessageView, notice, relabel, Shell, showLanguage, suggestions } from "./ui";

// Problem codes with their own message; any other code shows "generic".
const KNOWN: string[] = [
  "empty_message",
  "message_too_long",
  "reply_in_progress",
  "rate_limited",
  "network",
  "session_invalid",
  "identity_required",
  "auth_failed",
];
// How long an identified visitor's re-sign-in waits for the page's answer.
const REAUTH_MS = 5000;

// Codes after which resending the same message (same client_message_id) may
// succeed: the server's own transient refusals (503s) among them.
const RETRYABLE = /^(network|rate_limited|reply_in_progress|bad_response|http_5\d\d|assistant_unavailable|storage_busy|draining)$/;

interface Pending {
  text: string;
  id: string; // client_message_id, reused by retries (idempotency)
  user: MessageView;
  told?: boolean; // the parent heard of it (docent:message)
}

export class Chat {
  private t: Strings = strings("en");
  private sessionId = "";
  private status = "open";
  private busy = false;
  private ready = false;
  private embed: EmbedConfig = { mode: "public" };
  readonly parent = new Parent();
  private reported = "";
  private creds: Credentials = {}; // what the next session init presents
  private who = ""; // whose credentials opened the current session ("" for a guest)
  private used = ""; // the credential string they were
  private identity = "anonymous"; // verified | direct | anonymous | required
  private identityStatus = "anonymous"; // as the server said: … | rejected
  private shown: string | null = null; // the identity whose messages the log shows
  private exchange = false; // the channel identifies visitors by exchange token
  private started = false;
  private epoch = 0; // bumped on every identity change: late results of the old one are dropped
  private queue: Promise<unknown> = Promise.resolve();
  private readonly t0 = performance.now();
  private chips: HTMLElement | null = null;
  private sessionLanguage = "";
  private chosen = ""; // the visitor's pick in the language menu: it wins
  private title = ""; // the channel's title; the localized "Chat" without one
  private acked = false;
  private fresh: ((c: Credentials) => void) | null = null; // a re-sign-in asked of the parent (freshCredentials)
  readonly telemetry = new Telemetry();
  private readonly announcer: Announcer;
  private readonly history: History;
  qa: QAPanel | null = null; // the test persona's QA surface

  constructor(
    private readonly ui: Shell,
    private readonly key: string,
    private readonly store: SessionStore,
    private readonly config: Promise<WidgetConfig>,
  ) {
    this.announcer = new Announcer(ui.live);
    this.history = new History(ui.log);
    ui.language.onchange = () => this.chooseLanguage(ui.language.value);
  }

  // enableQA shows the QA control surface (channels whose persona is test).
  enableQA() {
    if (this.qa) return;
    this.qa = new QAPanel();
    this.ui.head.after(this.qa.el);
    this.qa.set("identity", this.identityStatus);
  }

  // setEmbed applies an accepted handshake config's presentation (or the
  // URL fallback's) without touching the session.
  setEmbed(c: EmbedConfig, origin: string | null) {
    // A later config with another locale (the host page switched language,
    // then the widget was reopened) is applied like a pick in the menu; the
    // first one only suggests a language for the new session.
    if (this.started && c.locale && c.locale !== this.embed.locale) this.chosen = pickLanguage(c.locale);
    this.embed = c;
    if (origin) {
      this.parent.origin = origin;
      this.reported = "";
      this.report();
    }
    // Inline (in the host's container, no launcher): nothing to close, and
    // the chat is a region of the page rather than a dialog.
    this.ui.close.hidden = !origin || !!c.inline;
    this.ui.app.setAttribute("role", c.inline ? "region" : "dialog");
    if (c.title) this.setTitle(c.title);
    if (c.accent && !applyAccent(this.ui.app, c.accent)) this.error("invalid_option", "accent is not a CSS colour");
    if (c.theme_mode) applyThemeMode(c.theme_mode);
    // Once the session has a language it wins: it is sticky (PROTOCOL §7).
    this.setLanguage(this.sessionLanguage || c.locale || navigator.language);
  }

  // configure applies a config: the first one starts the session with its
  // credentials; a later one with another user's credentials (log in, switch
  // user) starts that user's session in an emptied transcript; one without
  // credentials (a reopen) keeps the session. Each config from the parent is
  // acknowledged once the session reflects it. Configs, tokens and logouts
  // are applied one at a time, in arrival order.
  configure(c: EmbedConfig, origin: string | null, dropped: string[] = []) {
    this.qa?.event(origin ? "config from " + origin : "URL fallback");
    return this.serial(async () => {
      this.setEmbed(c, origin);
      // After setEmbed: only a verified parent origin can be told.
      for (const k of dropped) this.error("invalid_option", k + " was invalid and is ignored");
      this.exchange = (await this.config).identity?.mode === "exchange";
      if (c.token) this.creds.token = c.token;
      if (c.token && this.exchange) this.parent.schedule(c.token); // proactive refresh (§6.4)
      let err = "";
      if (this.fresh && hasCredentials(c)) this.fresh(credentialsOf(c)); // the answer to freshCredentials
      else if (!this.started) {
        this.started = true;
        this.creds = credentialsOf(c);
        err = await this.start();
      } else if (this.switches(c)) {
        this.creds = credentialsOf(c);
        err = await this.restart();
      }
      if (origin) this.ack(err);
      // A parent's config means the panel was just opened (the loader and
      // seed-style scripts send one on every open): focus goes to the
      // composer, as in any dialog. Not for inline chats, which are part of
      // the page and must not take focus when it loads. Nor when our loader
      // (it always says whether the chat is inline) opened the panel without
      // being asked to (openOnInit, data-open: no focus: true): a page that
      // opens its chat on load must not pull the visitor, or a screen
      // reader's reading position, away from what they were reading.
      const asked = c.inline === undefined || c.focus === true;
      if (origin && !c.inline && asked) this.focusIn();
    });
  }

  // switches tells whether credentials need a new session: another user, or
  // other credentials while the last ones identified nobody.
  private switches(c: Credentials): boolean {
    if (!hasCredentials(c) || (!this.exchange && !c.identity_token && !c.assertion && !c.user_id)) return false;
    const identified = this.identity === "verified" || this.identity === "direct";
    return whoOf(c) !== this.who || (!identified && credentialString(c) !== this.used);
  }

  // fromParent handles the loader's messages (already origin-checked).
  fromParent(m: Record<string, unknown>) {
    if (m.type === "docent:token") {
      const token = typeof m.token === "string" && m.token.length <= 8192 ? m.token : "";
      if (token) this.creds.token = token; // the next request (or the retry) uses it
      if (token && this.exchange) this.parent.schedule(token);
      this.parent.tokenArrived();
      if (token) this.serial(async () => this.started && this.exchange && this.switches({ token }) && this.restart());
    } else if (m.type === "docent:logout") {
      this.parent.schedule(); // no user, no refresh
      this.serial(() => this.logout());
    }
  }

  private serial(f: () => Promise<unknown>): Promise<unknown> {
    this.queue = this.queue.then(f).catch(() => {});
    return this.queue;
  }

  // auth is the Authorization header of an exchange channel's requests.
  private auth(): ExtraHeaders | undefined {
    return this.exchange && this.creds.token ? { Authorization: "Bearer " + this.creds.token } : undefined;
  }

  // authed runs a request and, if it fails because the exchange token was
  // refused, asks the parent for a fresh token and retries exactly once
  // (PROTOCOL §6.4, TX-07: never a loop).
  private async authed<T>(call: () => Promise<T>): Promise<T> {
    const token = this.auth() && this.creds.token;
    try {
      return await call();
    } catch (e) {
      if (!token || !isTokenError(e)) throw e;
      if (this.creds.token === token) await this.parent.requestToken();
      return call();
    }
  }

  // freshCredentials asks the page for the visitor's credentials again: a
  // new handshake round (chat-embed-ready with a new nonce), which the Docent
  // loader answers with a fresh assertion from the host's getAssertion. It
  // resolves with what the answer carries, or with none after REAUTH_MS.
  private freshCredentials(): Promise<Credentials> {
    return new Promise((resolve) => {
      const done = (c: Credentials) => {
        clearTimeout(timer);
        this.fresh = null;
        resolve(c);
      };
      const timer = setTimeout(() => done({}), REAUTH_MS);
      this.fresh = done;
      this.parent.post(readyMessage(nonces.rotate()));
    });
  }

  // restart opens the session of new credentials in an emptied transcript.
  private restart(): Promise<string> {
    this.forget();
    return this.start(true);
  }

  // logout revokes the session on the server and continues as a guest.
  private async logout() {
    const id = this.sessionId;
    const auth = this.auth();
    this.creds = {};
    this.forget();
    this.store.clear();
    // No retry on a refused token: the loader has already dropped it.
    if (id) await postJSON("/widget/session/logout", { session_id: id }, auth).catch(() => {});
    await this.start(true);
  }

  // forget hides the current conversation and drops its session.
  private forget() {
    this.epoch++;
    this.sessionId = "";
    this.who = this.used = "";
    this.chips = null;
    this.shown = null;
    this.ui.log.replaceChildren();
  }

  // ack tells the parent how its config was applied (PROTOCOL §3).
  private ack(error: string) {
    if (!this.ui.app.hasAttribute("data-handshake-ms")) {
      this.ui.app.setAttribute("data-handshake-ms", String(Math.round(performance.now() - this.t0)));
    }
    const identified = this.identity === "verified" || this.identity === "direct";
    const ack: Record<string, unknown> = {
      type: "chat-embed-ack",
      // The server refused the config itself (a persona or field it does
      // not accept): the config is invalid, whatever the frame shows now.
      ok: !/^(persona_not_allowed|invalid_user_id|invalid_field)$/.test(error),
      session_mode: identified ? "identified" : "anonymous",
      identity: this.identityStatus,
      nonce: nonces.rotate(), // what the next config must echo (PM-05)
    };
    if (error) ack.error = error;
    this.parent.post(ack);
    // The handshake latency: from the first ready to the first ack.
    const ms = performance.now() - (timing.ready || this.t0);
    this.qa?.event(`ack (${Math.round(ms)} ms)`);
    if (!this.acked) {
      this.acked = true;
      this.qa?.set("handshake", Math.round(ms) + " ms");
      this.telemetry.handshake(ms);
    }
  }

  // chooseLanguage applies the visitor's pick in the language menu: the UI
  // switches at once, and the next reply (and the rest of the conversation)
  // uses it too, as the server records it as the session language.
  chooseLanguage(tag: string) {
    this.chosen = pickLanguage(tag);
    this.setLanguage(this.chosen);
    this.qa?.set("language", "chosen in the menu: " + this.chosen);
  }

  // error tells the parent about a problem (the loader calls onError).
  error(code: string, message: string) {
    this.parent.post({ type: "docent:error", code, message });
  }

  // message tells the parent about a message accepted or finished (the
  // loader calls onMessage). One message, never the transcript (PM-07).
  private message(role: string, kind: string, status: string, id: string, text: string) {
    this.parent.post({ type: "docent:message", message: { id, role, kind, status, text } });
  }

  private setLanguage(tag: string) {
    tag = this.chosen || tag;
    const lang = pickLanguage(tag);
    this.t = strings(lang);
    showLanguage(this.ui.language, lang);
    const root = document.documentElement;
    root.lang = lang; // the language the interface is in (a pt-BR browser gets English: lang="en")
    // A language picked in the menu sets the direction; otherwise the embed's
    // direction: "rtl" or an RTL language mirrors the frame.
    root.dir = (this.chosen ? isRTL(tag) : this.embed.direction === "rtl" || isRTL(tag)) ? "rtl" : "ltr";
    relabel(this.ui.app, this.t);
    this.ui.title.textContent = document.title = this.title || this.t.title;
  }

  // titled reports whether an embed config set the title (it beats the channel's).
  titled(): boolean {
    return !!this.embed.title;
  }

  setTitle(title: string) {
    this.title = title;
    this.ui.title.textContent = document.title = title;
  }

  // start opens (or resumes) the session with the current credentials and
  // renders its transcript. It returns "" or the problem code it ended with.
  private async start(fresh = false): Promise<string> {
    const c = this.creds;
    const who = whoOf(c);
    const used = credentialString(c);
    const body = this.initBody(c);
    // Only a guest resumes from storage; identified visitors resume by identity.
    const stored = fresh || body.identity_token || body.assertion || body.external_user_id || this.auth() ? null : this.thread() || this.store.get();
    if (stored) body.session_id = stored;
    delete c.assertion; // single use: a retry or a later restart must not replay it
    const epoch = this.epoch;
    let res: SessionResponse;
    try {
      res = await this.authed(() => postJSON<SessionResponse>("/widget/session/init", body, this.auth()));
      performance.mark("docent:session"); // user timing: the init response is in
    } catch (e) {
      if (epoch !== this.epoch) return "";
      return this.startFailed(e, fresh, !!stored);
    }
    if (epoch !== this.epoch) return "";
    this.identityStatus = typeof res.identity?.status === "string" ? res.identity.status : "anonymous";
    this.setIdentity(identityOf(res));
    if (Array.isArray(res.warnings) && res.warnings.includes("agent_not_allowed")) {
      this.error("agent_not_allowed", "agent_id is not an agent this channel allows; the channel's agent answers");
    }
    if (this.qa) {
      const id = res.identity || {};
      this.qa.set("identity", [this.identityStatus, id.user_id, id.reason].filter((x) => typeof x === "string" && x).join(" · "));
      const d = (res.debug || {}) as Record<string, unknown>;
      this.qa.set("language", `${res.language || "?"} (requested ${d.requested || "—"}, browser ${d.browser || "—"}, ` +
        `contact ${d.contact || "—"}, channel ${d.channel || "—"}${res.resumed ? ", resumed: sticky" : ""})`);
      this.qa.event(res.resumed ? "session resumed" : "session started");
    }
    // An exchange token may have been refreshed by the retry: it is the one that counts.
    const bearer = this.auth() && this.creds.token;
    this.who = bearer ? whoOf({ token: bearer }) : who;
    this.used = bearer || used;
    if (this.identity !== "anonymous") this.store.clear(); // the guest session is left behind
    await this.adopt(res, fresh && !!this.sessionId);
    this.markReady();
    return "";
  }

  private initBody(c: Credentials): Record<string, unknown> {
    const e = this.embed;
    const body: Record<string, unknown> = { key: this.key, browser_locale: navigator.language };
    if (this.chosen || e.locale) body.locale = this.chosen || e.locale;
    if (e.contact_id) body.contact_id = e.contact_id;
    if (e.greeting) body.greeting = e.greeting;
    if (e.agent_id) body.agent_id = e.agent_id;
    if (this.parent.origin) body.host_origin = this.parent.origin;
    if (c.identity_token) body.identity_token = c.identity_token;
    if (c.assertion) body.assertion = c.assertion;
    if (c.user_id) body.external_user_id = c.user_id;
    const persona: Record<string, unknown> = { mode: e.mode };
    for (const k of ["require_user_id", "allow_generated_id", "direction", "locale"] as const) {
      if (e[k] !== undefined) persona[k] = e[k];
    }
    // The user id comes from the credentials alone, never from the last
    // config: after a logout they are empty, and so is the persona's id.
    if (c.user_id) persona.user_id = c.user_id;
    body.persona = persona;
    return body;
  }

  private async startFailed(e: unknown, fresh: boolean, stored: boolean): Promise<string> {
    const c = code(e);
    if (c === "identity_required") {
      // A kind "please sign in" state: the host logs the visitor in to chat.
      this.identityStatus = "anonymous";
      this.setIdentity("required");
      this.notify(c);
      this.markReady();
      return c;
    }
    if (isTokenError(e)) {
      // The refreshed token was refused too (TX-07): continue as a guest.
      delete this.creds.token;
      this.parent.schedule();
      const r = await this.restart();
      this.notify("auth_failed");
      return r || c;
    }
    // A stored session the server refuses: start over without it, once.
    if (stored && e instanceof ApiError && e.status >= 400 && e.status < 500) return this.start(true);
    this.notify(c, () => this.serial(() => this.start(fresh)));
    return c;
  }

  private setIdentity(id: string) {
    this.identity = id;
    this.ui.app.setAttribute("data-identity", id);
    this.setStatus(this.status);
  }

  async newChat() {
    if (this.busy) return;
    this.setBusy(true);
    try {
      if (!this.sessionId) throw new ApiError(401, "session_invalid");
      const body: Record<string, string> = { session_id: this.sessionId };
      if (this.embed.greeting) body.greeting = this.embed.greeting;
      const epoch = this.epoch;
      const res = await this.authed(() => postJSON<SessionResponse>("/widget/session/new", body, this.auth()));
      if (epoch === this.epoch) await this.adopt(res, true);
    } catch (e) {
      if (code(e) !== "session_invalid") this.notify(code(e));
      else await this.serial(() => this.start(true));
    } finally {
      this.setBusy(false);
    }
    this.ui.input.focus();
  }

  // send posts one message and streams the reply. A retry passes the
  // original Pending so the same client_message_id is sent again.
  async send(text: string, retry?: Pending, recovered = false) {
    if (this.busy || !this.sessionId || this.blocked() || !text.trim()) return;
    // Focus on what sending removes or disables (a suggestion, the send
    // button; Retry passes it on itself, see notify) would fall to the page:
    // it goes to the composer (WCAG 2.4.3).
    const a = document.activeElement;
    const refocus = !!a && (a === this.ui.send || !!this.chips?.contains(a));
    this.chips?.remove();
    this.chips = null;
    // A new message makes older retry offers stale.
    if (!retry) this.ui.log.querySelectorAll("[data-action=retry]").forEach((b) => b.remove());
    if (refocus) this.ui.input.focus();
    const p = retry || { text, id: uuid(), user: this.append(new MessageView({ role: "user", kind: "question", text }, this.t)) };
    p.user.set("status", "sending");
    const reply = this.append(new MessageView({ role: "assistant", status: "streaming" }, this.t));
    reply.typing(this.t);
    this.scroll(true);
    this.setBusy(true);
    let sources: Source[] = [];
    let after: (() => Promise<unknown>) | undefined;
    const epoch = this.epoch;
    const req: ChatRequest = { session_id: this.sessionId, message: p.text, client_message_id: p.id };
    if (this.chosen) req.language = this.chosen;
    this.announcer.reset();
    try {
      const result = await this.authed(() => streamChat(
        req,
        {
          start: (d) => {
            this.accepted(p);
            p.user.set("status", "complete");
            if (typeof d.kind === "string") reply.set("kind", d.kind);
            if (typeof d.message_id === "string") reply.set("message-id", d.message_id);
          },
          delta: (s) => {
            reply.append(s);
            this.announcer.push(s);
            this.scroll(false);
          },
          sources: (s) => (sources = s),
        },
        this.auth(),
      ));
      // After an identity change the reply belongs to a conversation no longer shown.
      if (epoch === this.epoch) this.finish(p, reply, result, sources);
    } catch (e) {
      reply.el.remove();
      if (epoch === this.epoch) after = this.failed(p, e, recovered);
    } finally {
      this.setBusy(false);
    }
    if (after) await after();
  }

  // accepted tells the parent once that the visitor's message was stored.
  private accepted(p: Pending) {
    if (!p.told) this.message("user", "question", "complete", p.id, p.text);
    p.told = true;
  }

  private finish(p: Pending, reply: MessageView, r: StreamResult, sources: Source[]) {
    this.accepted(p); // a JSON reply has no start event
    p.user.set("status", "complete");
    const partial = reply.text;
    if (r.end === "done") {
      const d = r.done;
      const text = typeof d.text === "string" ? d.text : partial;
      reply.render(text);
      // Sentences already announced while streaming are not repeated; a
      // reply that did not stream (JSON, a replay) is announced whole.
      partial ? this.announcer.end() : this.announcer.end(text);
      if (this.qa && d.debug) this.qa.turn(d.debug as TurnDebug);
      this.message("assistant", d.kind || "answer", "complete", d.message_id || "", text);
      reply.set("status", "complete");
      reply.set("kind", d.kind || "answer");
      if (d.message_id) reply.set("message-id", d.message_id);
      reply.sources(Array.isArray(d.sources) ? d.sources : sources, this.t);
      if (d.ticket_number) {
        reply.el.setAttribute("data-ticket", d.ticket_number);
        reply.note("ticket", this.t, " " + d.ticket_number);
      }
      if (d.session_id) this.setSession(d.session_id);
      if (typeof d.language === "string" && d.language) this.setLanguage((this.sessionLanguage = d.language));
      if (d.chat_ended) this.setStatus("closed");
      else if (d.kind === "escalation") this.setStatus("escalated");
    } else {
      // Keep whatever arrived; mark how the reply ended. A screen reader
      // hears the unfinished last sentence too, before the notice.
      this.announcer.end();
      reply.set("status", partial ? "interrupted" : "failed");
      partial ? reply.render(partial) : reply.body.replaceChildren(this.t.reply_failed);
      reply.sources(sources, this.t);
      if (r.end === "error" && !r.retryable) this.notify(r.code);
      else {
        // The server (or the connection) stopped the reply: the same
        // message may be sent again, and the server answers it anew.
        reply.note("interrupted", this.t);
        this.notify(r.end === "error" ? r.code : "network", () => {
          reply.el.remove();
          return this.send(p.text, p);
        });
      }
    }
    this.scroll(false);
  }

  // failed handles a request that got no reply stream, and returns follow-up
  // work to run once the composer is free again.
  private failed(p: Pending, e: unknown, recovered: boolean): (() => Promise<unknown>) | undefined {
    const c = code(e);
    if (c === "session_invalid" && !recovered) {
      const was = this.identity;
      const identified = was === "verified" || was === "direct";
      return async () => {
        p.user.el.remove();
        if (identified) {
          // A signed-in visitor's conversation was taken over (they opened
          // it in another tab, which got it a new credential): it is resumed
          // by identity, with their credential if it is still good (identity
          // token, exchange token, direct id) or with a fresh one from the
          // page when it was a spent single-use assertion.
          if (!hasCredentials(this.creds)) this.creds = await this.freshCredentials();
          this.forget();
        }
        if (!(await this.serial(() => this.start(true)).then(() => this.sessionId && !this.blocked()))) return;
        if (identified && this.identity !== was) {
          // Not signed in any more: their words are never sent as a guest's.
          if (!this.ui.input.value) this.ui.input.value = p.text;
          this.notify("auth_failed");
          return;
        }
        if (!identified) this.notify("session_invalid");
        await this.send(p.text, undefined, true);
      };
    }
    if (isTokenError(e)) {
      // Refreshed once and refused again (TX-07): continue as a guest, keeping
      // the unsent text in the composer.
      return () =>
        this.serial(async () => {
          delete this.creds.token;
          this.parent.schedule();
          await this.restart();
          this.notify("auth_failed");
          if (!this.ui.input.value) this.ui.input.value = p.text;
        });
    }
    if (c === "session_closed") {
      // The conversation was ended elsewhere (another tab's "Start new chat",
      // the support team): show it ended, with "Start new chat", and keep
      // the unsent text in the composer for the new conversation.
      p.user.el.remove();
      if (!this.ui.input.value) this.ui.input.value = p.text;
      this.setStatus("closed");
      return undefined;
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
    const shown = identityOf(res) + ":" + (res.identity?.user_id || "");
    if (this.shown !== null && this.shown !== shown) {
      this.ui.log.replaceChildren(); // never show one identity's messages to another
      newConversation = false;
    }
    this.shown = shown;
    this.setSession(res.session_id);
    if (typeof res.language === "string" && res.language) this.setLanguage((this.sessionLanguage = res.language));
    const frag = document.createDocumentFragment();
    if (newConversation) frag.append(divider(this.t));
    const messages = Array.isArray(res.messages) ? res.messages : [];
    const { views, older } = this.history.split(messages, this.t);
    frag.append(...views);
    this.chips?.remove();
    this.chips = null;
    if (!messages.some((m) => m?.role === "user")) {
      const cfg = await this.config;
      const list = Array.isArray(cfg.suggested_questions) ? cfg.suggested_questions : [];
      this.chips = suggestions(list, this.t, (q) => this.send(q));
      if (this.chips) frag.append(this.chips);
    }
    this.ui.log.append(frag);
    this.history.fill(older, views[0], this.t);
    this.setStatus(res.chat_ended ? "closed" : res.status || "open");
    this.scroll(true);
  }

  // thread is the embed's thread_id (data-thread-id): the session to resume
  // once, at the first start; the server starts a new one if it is not valid.
  private thread(): string {
    const t = this.embed.thread_id || "";
    this.embed.thread_id = undefined;
    return t;
  }

  private setSession(id: string) {
    if (!id) return;
    this.sessionId = id;
    if (this.identity === "anonymous") this.store.set(id);
  }

  private setStatus(s: string) {
    this.status = s;
    const ended = s === "closed";
    this.ui.app.setAttribute("data-session-status", s);
    this.ui.ended.hidden = !ended || this.identity === "required";
    this.ui.input.disabled = this.blocked();
    this.ui.send.disabled = this.blocked() || this.busy;
    this.refocus();
    this.report();
  }

  // refocus: when the chat has ended, the disabled composer leaves focus on
  // the page (the send button lost it already while the message was on its
  // way): it moves on (focusIn: "Start new chat"), once that button is
  // usable (not while a request is under way).
  private refocus() {
    const a = document.activeElement;
    const lost = !a || a === document.body || this.ui.form.contains(a);
    if (this.status === "closed" && !this.busy && lost && document.hasFocus()) this.focusIn();
  }

  // blocked: the composer is off (the chat ended, or the channel wants a
  // signed-in visitor and has none).
  private blocked(): boolean {
    return this.status === "closed" || this.identity === "required";
  }

  private setBusy(b: boolean) {
    this.busy = b;
    this.ui.send.disabled = b || this.blocked();
    this.ui.newChat.disabled = b;
    this.ui.restart.disabled = b;
    this.ui.log.setAttribute("aria-busy", String(b));
    this.refocus();
  }

  private markReady() {
    performance.mark("docent:ready");
    this.ready = true;
    this.ui.app.setAttribute("data-ready", "true");
    this.report();
    if (document.hasFocus()) this.focusIn();
    // The rest of the language menu, off the open's critical path (ui.ts).
    // Safari has no requestIdleCallback: a timer stands in.
    const fill = () => fillLanguages(this.ui.language);
    if ("requestIdleCallback" in window) requestIdleCallback(fill, { timeout: 2000 });
    else setTimeout(fill, 200);
  }

  // notify adds a kind message for a problem code, with an optional action.
  private notify(c: string, retry?: () => Promise<unknown>) {
    const key = (KNOWN.includes(c) ? c : "generic") as StringKey;
    let button: HTMLButtonElement | undefined;
    if (retry) {
      button = h("button", { type: "button", class: "link", "data-action": "retry", "data-t": "retry" }, this.t.retry);
      button.onclick = () => {
        if (this.busy) return;
        this.ui.input.focus(); // the button goes away with its notice
        box.remove();
        retry();
      };
    }
    const box = notice(c, key, this.t, button);
    // Said through the live region, as replies are: a status element inserted
    // already filled is often missed by screen readers (WCAG 4.1.3).
    this.announcer.end(this.t[key]);
    this.error(c, en[key]);
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

  // report tells the verified parent (never "*") about ready/status/identity
  // changes. It carries no token and no transcript (PM-07).
  private report() {
    if (!this.parent.origin) return;
    const identity = this.identity === "required" ? "anonymous" : this.identity;
    const state = { type: "docent:state", ready: this.ready, sessionStatus: this.status, identity };
    const s = JSON.stringify(state);
    if (s === this.reported) return;
    this.reported = s;
    this.parent.post(state);
  }

  // focusIn puts focus where the visitor goes on from: the composer, or
  // when it is off, "Start new chat" (the chat ended) or the transcript,
  // whose notice says why (sign-in required).
  focusIn() {
    if (!this.ui.input.disabled) this.ui.input.focus();
    else if (!this.ui.ended.hidden) this.ui.restart.focus();
    else this.ui.log.focus();
  }

  // requestClose asks the loader to hide the panel.
  requestClose() {
    if (this.embed.inline) return; // part of the page: nothing to close, nothing to reopen it with
    this.parent.post({ type: "docent:close" });
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
