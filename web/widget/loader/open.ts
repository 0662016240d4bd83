// The loader's open half (served as /static/widget/loader-open.js): what only
// an open widget needs, imported by the loader when it creates the iframe
// (link.ts says why it is a second file). It answers the frame's handshake,
// carries identity, refreshes exchange tokens, counts unread answers and
// keeps a full-screen panel above the on-screen keyboard.
//
// Identity (PROTOCOL §6) is only carried here: credentials reach the frame by
// postMessage to Docent's origin, never in a URL; the frame does the rest,
// including scheduling exchange-token refreshes (it asks; we answer).
// Wire contract: PROTOCOL.md §3 (postMessage).

import { call, err, Link, Opened } from "./link";

// OPEN_CSS is added to the launcher's stylesheet (loader/style.ts) when the
// panel first opens. An answer that arrived while the panel was closed puts
// a dot on the launcher until it opens. While an on-screen keyboard covers
// part of the page, a full-screen panel (style.ts's media query) takes just
// the visible part (followKeyboard).
const OPEN_CSS =
  "[data-unread]:after{content:'';position:absolute;top:0;right:0;padding:5px;border:2px solid #fff;border-radius:50%;background:#d1242f}" +
  "@media (max-width:480px),(max-height:480px){:host([data-kb]) iframe{top:var(--vt);height:var(--vh)}}";

export default function attach(L: Link): Opened {
  const { opts_: opts, frame_: frame, origin_: origin } = L;
  let nonce: unknown; // PM-05: what the frame's next config must echo
  let fetching: Promise<unknown> | null = null; // the one in-flight fetchToken() (TX-06)

  // post sends a message to the frame, at Docent's origin only (never "*").
  const post = (m: object) => frame.contentWindow?.postMessage(m, origin);

  // sendConfig answers the frame's handshake (fresh: with a new single-use
  // assertion from the host), and is sent again on every reopen so the frame
  // applies the current options (PROTOCOL §3). The frame works out from the
  // credentials whether the user changed. Appearance goes as overrides only
  // (init, DocentConfig and data-* values): the frame has config.json itself.
  async function sendConfig(fresh?: number) {
    const a = opts.appearance || {};
    const who = L.ident_();
    const assertion = fresh && who.getAssertion && (await who.getAssertion());
    // Logged out or in as someone else while the host was signing (or this
    // iframe is gone): this config and its assertion are stale; the newer
    // one speaks instead.
    if (who != L.ident_() || !L.live_(half)) return;
    post({
      type: "chat-embed-config",
      nonce,
      payload: {
        focus: L.asked_(),
        locale: opts.locale, // unset: the frame follows the browser
        direction: L.rtl_ ? "rtl" : "ltr",
        identity_token: who.identityToken,
        user_id: who.externalUserId,
        assertion,
        token: L.token_(),
        title: a.title,
        greeting: a.greeting,
        accent: a.theme?.baseColor,
        theme_mode: opts.themeMode,
        agent_id: opts.agentId,
        contact_id: opts.contactId,
        thread_id: opts.threadId,
        inline: L.inline_,
      },
    });
  }

  // refresh calls the host's fetchToken() once for all concurrent needs and
  // answers the frame. Anything but a token (a failure, a non-string) is
  // reported and answered without one, so the frame gives up at once
  // instead of waiting. A superseded iframe's refresh answers no one, and
  // one for a user who has since logged out (or another who logged in) is
  // answered without the token it got.
  function refresh() {
    return (fetching ||= (async () => {
      const who = L.ident_();
      let t: unknown;
      try {
        t = await opts.fetchToken!();
        if (typeof t != "string" || !t) throw err("invalid_option", "fetchToken");
      } catch (e) {
        t = null;
        if (L.live_(half)) L.report_(e);
      }
      fetching = null;
      if (!L.live_(half)) return;
      if (t && who == L.ident_() && L.token_()) L.setToken_(t); // the loader keeps it and hands it to the frame
      else post({ type: "docent:token" });
    })());
  }

  // onMessage accepts only messages from our own frame's window at Docent's
  // origin (PM-08: an ad iframe on the host page is ignored), and reads only
  // the known fields. No message opens a URL or sizes the panel: its size is
  // the stylesheet's, within the viewport, whatever anyone posts.
  function onMessage(e: MessageEvent) {
    const m = e.data || {};
    const type = m.type;
    if (e.source !== frame.contentWindow || e.origin !== origin) return;
    // The frame repeats chat-embed-ready until it hears from us; a repeat of the
    // nonce we are answering must not fetch a second single-use assertion.
    if (m.nonce == nonce && type == "chat-embed-ready") return;
    if (m.nonce) nonce = m.nonce; // chat-embed-ready and every chat-embed-ack
    if (type == "chat-embed-ready") {
      // A host whose getAssertion fails still gets a working guest widget.
      // (Its failure is this init's to hear of, not a later one's.)
      sendConfig(1).catch((e) => {
        if (L.live_(half)) L.report_(e);
        sendConfig();
      });
    } else if (type == "docent:token-request") {
      // After logoutUser there is no user to fetch a token for.
      L.token_() ? refresh() : post({ type: "docent:token" });
    } else if (type == "docent:close") {
      L.close_();
    } else if (type == "docent:state") {
      L.set_({
        ready: !!m.ready,
        sessionStatus: m.sessionStatus || null,
        identity: /^(verified|direct)$/.test(m.identity) ? m.identity : "anonymous",
      });
    } else if (type == "docent:message") {
      const msg = m.message || {};
      // A message to the visitor (an answer, or a person's reply) that
      // arrived while the panel was closed is unread until the visitor
      // opens it (the loader resets the count on open).
      const s = L.state_();
      if (!s.open && msg.role && msg.role != "user") L.set_({ unread: s.unread + 1 });
      call(opts.onMessage, msg);
    } else if (type == "docent:error") {
      L.report_(err(m.code, m.message));
    }
  }

  // followKeyboard keeps a full-screen panel inside the visual viewport. An
  // on-screen keyboard (iOS Safari; Chrome on Android by default) shrinks
  // only the top-level visual viewport, and a fixed panel as tall as the
  // layout viewport would hide its composer behind it. Inside the iframe
  // nothing shrinks, so only this page can see it. The stylesheet uses the
  // values only in its narrow (full-screen) layout, while data-kb is set.
  const vv = visualViewport;
  const root = frame.getRootNode() as ShadowRoot;
  const host = root.host as HTMLElement;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(OPEN_CSS);
  root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  function followKeyboard() {
    const covered = vv!.height < innerHeight - 1;
    host.toggleAttribute("data-kb", covered);
    host.style.setProperty("--vt", vv!.offsetTop + "px");
    host.style.setProperty("--vh", vv!.height + "px");
  }
  // An inline chat is part of the page and scrolls with it: not followed.
  const follow = L.inline_ ? undefined : vv;
  follow?.addEventListener("resize", followKeyboard);
  follow?.addEventListener("scroll", followKeyboard);

  const half: Opened = {
    message_: onMessage,
    config_: sendConfig,
    post_: post,
    drop_() {
      follow?.removeEventListener("resize", followKeyboard);
      follow?.removeEventListener("scroll", followKeyboard);
    },
  };
  return half;
}
