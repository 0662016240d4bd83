// The Docent loader (served as /widget.js). It runs inside the HOST page, so it
// must stay tiny (PERFORMANCE.md G1: ≤ 3.5 KB gzip-9) and must not touch the
// host document beyond one host element: everything visible lives in a shadow
// root styled by a constructable stylesheet, so strict host CSPs that forbid
// inline styles keep working. Until the visitor opens the widget it loads
// nothing from Docent except config.json: the iframe (and with it the frame
// bundle and the session) is created on first open, or at once in inline
// mode and with openOnInit.
//
// Identity (PROTOCOL §6) is only carried here: credentials reach the frame by
// postMessage to Docent's origin, never in a URL; the frame does the rest,
// including scheduling exchange-token refreshes (it asks; we answer).
// What the frame shows (title, greeting, accent, theme, language) is handed
// to it as overrides; the frame checks and applies them, and reports bad ones.
//
// Wire contract: PROTOCOL.md §2 (embedding, JS API) and §3 (postMessage).

import { css, INLINE } from "./loader/style";
import { bootOptions, Config, merge, Options, scriptOrigin, State, validate } from "./loader/options";
import { icon } from "./loader/icon";

const w = window as any;
const d = document;

// Only the latest init may change state or fire callbacks (PROTOCOL §2).
let generation = 0;
let opts: Options = {};
let origin = ""; // the API origin: the only origin whose messages we accept
let frameURL = "";
let title = "";
let inline: unknown;
let host: HTMLElement | null = null;
let root: ShadowRoot;
let launcher: HTMLButtonElement | null = null;
let frame: HTMLIFrameElement | null = null;
let nonce: unknown; // PM-05: what the frame's next config must echo
// asked: open() was called (the visitor, or the page's own code), so the
// frame may take focus; a panel opened by openOnInit leaves focus alone.
// (Not reset by teardown: G1 has no byte left for it, and a re-init's frame
// taking focus after the visitor once opened the chat is harmless.)
let asked: unknown;
// unread stays 0: the frame reports no unread count (PROTOCOL's docent:unread
// is not sent), so the launcher shows none.
const state: State = { open: false, ready: false, identity: "anonymous", sessionStatus: null, unread: 0 };
// The current login: init options, replaced by loginUser, emptied by logoutUser.
let ident: Options = {};
let token: string | undefined; // exchange token (§6.4)
let fetching: Promise<unknown> | null | undefined; // the one in-flight fetchToken() (TX-06)

// Errors handed to onError carry a stable code: invalid_option,
// config_failed (also for a missing or unknown key), target_not_found, or
// the frame's own (docent:error).
const err = (code: string, detail = "") => Object.assign(Error("docent: " + code + " " + detail), { code });

// widgetKey and botId (data-bot-id) are synonyms of key (PROTOCOL §2).
const keyOf = (o: Options) => o.key || o.widgetKey || o.botId;

function report(e: unknown) {
  console.warn(e);
  opts.onError?.(e);
}

function init(o?: Options): Promise<Config> {
  const my = ++generation;
  teardown();
  opts = merge(bootOptions(), o || {});
  // A bad value is dropped (the published config or the default applies),
  // never fatal: the host page keeps a working widget.
  validate(opts, (path) => report(err("invalid_option", path)));
  // An init without identity options keeps a login made before it (the
  // queue stub may hold loginUser ahead of init).
  if ("identityToken" in opts || opts.getAssertion || opts.externalUserId) ident = opts;
  setToken(opts.token);
  inline = opts.mode == "inline";
  // Any failure to get the config (a bad apiRoot or configUrl, network,
  // CORS, status, JSON) is config_failed. A relative configUrl resolves from
  // the host page (fetch does that).
  return Promise.resolve()
    .then(() => {
      // host and server are synonyms of apiRoot (seeds 003, 004).
      const base = new URL(opts.apiRoot || opts.host || opts.server || scriptOrigin, location.href);
      const api = base.href.replace(/\/+$/, "") + "/widget/" + encodeURIComponent(keyOf(opts) || "");
      origin = base.origin;
      frameURL = api + "/frame";
      return fetch(opts.configUrl || api + "/config.json", { credentials: "omit" });
    })
    .then((r) => (r.ok ? r.json() : Promise.reject()))
    .then(
      (c: Config) => {
        if (my == generation) {
          render(c);
          opts.onConfigLoaded?.(c);
        }
        return c;
      },
      () => {
        throw err("config_failed");
      },
    )
    .catch((e) => {
      if (my == generation) report(e);
      throw e;
    });
}

// rtl: explicit direction, else the language (the visitor's when unset).
const rtl = () => (opts.direction ? opts.direction == "rtl" : /^(ar|he|fa|ur)\b/i.test(opts.locale || navigator.language));

function render(c: Config) {
  const a = merge(c, opts.appearance); // init > config.json > defaults
  const t = opts.target;
  const box = inline && (typeof t == "string" ? d.getElementById(t) : t);
  title = a.title || "Chat";
  // Only the init that renders may open the panel: a superseded one's
  // openOnInit never applies. An open() called before (the queue stub may
  // hold one) is kept, and so is an open panel across a repeated init.
  if (opts.openOnInit === true || inline) state.open = true;
  if (inline && !box) {
    report(err("target_not_found")); // then a bubble, open as inline would be
    inline = false;
  }
  host = d.createElement("div");
  host.id = "docent-widget";
  root = host.attachShadow({ mode: "open" });
  // Constructable stylesheets: Chrome/Edge 73+, Firefox 101+, Safari 16.4+.
  const sheet = new CSSStyleSheet();
  // RTL mirrors the published side; a position given on this page is kept.
  sheet.replaceSync(inline ? INLINE : css(a, (a.position == "bottom-left") != (!opts.appearance?.position && rtl())));
  root.adoptedStyleSheets = [sheet];
  if (!inline) {
    const label = a.launcher?.label || title;
    launcher = d.createElement("button");
    launcher.dataset.docentLauncher = "";
    launcher.setAttribute("aria-label", label);
    icon(launcher, a.launcher?.iconUrl, label);
    launcher.onclick = toggle;
    launcher.onkeydown = (e) => e.key == "Escape" && close();
    root.append(launcher);
  }
  addEventListener("message", onMessage);
  // A sync script in <head> may run before <body> exists.
  ((box as Element) || d.body || d.documentElement).append(host);
  update();
}

// update makes the DOM follow state, creating the iframe on first open.
function update() {
  if (!host) return;
  if (state.open && !frame) {
    frame = d.createElement("iframe");
    frame.src = frameURL;
    frame.title = title;
    root.prepend(frame);
  }
  if (frame) frame.hidden = !state.open;
  launcher?.setAttribute("aria-expanded", "" + state.open); // the stylesheet swaps the icon
}

function set(patch: Partial<State>) {
  const before = JSON.stringify(state);
  Object.assign(state, patch);
  update();
  if (JSON.stringify(state) != before) opts.onStateChange?.(getState());
}

function open() {
  const reopen = state.ready && !state.open;
  set({ open: true });
  asked = true;
  if (reopen) sendConfig();
  frame?.focus();
}

function close() {
  const wasOpen = state.open;
  set({ open: false });
  if (wasOpen) launcher?.focus();
}

function toggle() {
  state.open ? close() : open();
}

function getState(): State {
  return { ...state };
}

// post sends a message to the frame, at Docent's origin only (never "*").
function post(m: object) {
  frame?.contentWindow?.postMessage(m, origin);
}

// sendConfig answers the frame's handshake (fresh: with a new single-use
// assertion from the host), and is sent again on every reopen so the frame
// applies the current options (PROTOCOL §3). The frame works out from the
// credentials whether the user changed. Appearance goes as overrides only
// (init, DocentConfig and data-* values): the frame has config.json itself.
async function sendConfig(fresh?: number) {
  const a = opts.appearance || {};
  const who = ident;
  const assertion = fresh && who.getAssertion && (await who.getAssertion());
  // Logged out or in as someone else while the host was signing: this
  // config (and its assertion) is stale; the newer one speaks instead.
  if (who != ident) return;
  post({
    type: "chat-embed-config",
    nonce,
    payload: {
      focus: asked,
      locale: opts.locale, // unset: the frame follows the browser
      direction: rtl() ? "rtl" : "ltr",
      identity_token: who.identityToken,
      user_id: who.externalUserId,
      assertion,
      token,
      title: a.title,
      greeting: a.greeting,
      accent: a.theme?.baseColor,
      theme_mode: opts.themeMode,
      agent_id: opts.agentId,
      contact_id: opts.contactId,
      thread_id: opts.threadId,
      inline,
    },
  });
}

// loginUser switches the visitor to a user (PROTOCOL §2). Before the frame
// exists the credentials wait for its handshake; the loader stays lazy.
async function loginUser(o?: Options) {
  ident = o || {};
  if (frame) await sendConfig(1);
}

// logoutUser forgets the user; the frame revokes its session and continues
// as a guest, and a frame opened later starts as one.
async function logoutUser() {
  ident = {};
  setToken();
  post({ type: "docent:logout" });
}

// setToken keeps the exchange token and hands it to the frame, which
// schedules its refresh from the token's exp and asks us when it is due.
function setToken(t?: unknown) {
  token = typeof t == "string" && t ? t : undefined;
  if (token) post({ type: "docent:token", token });
}

// refresh calls the host's fetchToken() once for all concurrent needs and
// answers the frame; a failure answers without a token (the frame then
// gives up instead of retrying).
function refresh() {
  const my = generation;
  return (fetching ||= (async () => {
    try {
      const t = await opts.fetchToken!();
      if (my == generation) setToken(t);
    } catch (e) {
      if (my == generation) report(e);
      post({ type: "docent:token" });
    }
    fetching = null;
  })());
}

// onMessage accepts only messages from our own frame's window at Docent's
// origin (PM-08: an ad iframe on the host page is ignored), and reads only
// the known fields. No message opens a URL or sizes the panel: its size is
// the stylesheet's, within the viewport, whatever anyone posts.
function onMessage(e: MessageEvent) {
  const m = e.data || {};
  const type = m.type;
  if (!frame || e.source !== frame.contentWindow || e.origin !== origin) return;
  // The frame repeats chat-embed-ready until it hears from us; a repeat of the
  // nonce we are answering must not fetch a second single-use assertion.
  if (m.nonce == nonce && type == "chat-embed-ready") return;
  if (m.nonce) nonce = m.nonce; // chat-embed-ready and every chat-embed-ack
  if (type == "chat-embed-ready") {
    // A host whose getAssertion fails still gets a working guest widget.
    sendConfig(1).catch((e) => {
      report(e);
      sendConfig();
    });
  } else if (type == "docent:token-request") {
    // After logoutUser there is no user to fetch a token for.
    token ? refresh() : post({ type: "docent:token" });
  } else if (type == "docent:close") {
    close();
  } else if (type == "docent:state") {
    set({
      ready: !!m.ready,
      sessionStatus: m.sessionStatus || null,
      identity: /^(verified|direct)$/.test(m.identity) ? m.identity : "anonymous",
    });
  } else if (type == "docent:message") {
    opts.onMessage?.(m.message);
  } else if (type == "docent:error") {
    report(err(m.code, m.message));
  }
}

// teardown removes everything init created, so a later init starts clean
// (the open flag survives: see render).
function teardown() {
  removeEventListener("message", onMessage);
  host?.remove();
  host = launcher = frame = nonce = fetching = null;
  state.ready = false;
  state.sessionStatus = null;
}

// destroy removes every trace (host element, iframe, listener; the loader
// sets no timers) and forgets the options, callbacks and login.
function destroy() {
  generation++;
  teardown();
  state.open = false;
  opts = ident = {};
  token = undefined;
}

// The public API: an object whose methods are also reachable as
// Docent("method", arg), like the queue stub hosts install before loading us.
const methods: Record<string, (a?: any) => any> = { init, open, close, toggle, destroy, getState, loginUser, logoutUser };
const api: any = Object.assign((method: string, arg?: unknown) => methods.hasOwnProperty(method) && methods[method](arg), methods);

const previous = w.Docent;
if (!previous?.getState) {
  w.Docent = api;
  const queue: ArrayLike<any>[] = Array.from(previous?.q || []);
  const last = queue.map((a) => a[0]).lastIndexOf("init");
  queue.forEach((args, i) => {
    if (args[0] != "init" || i == last) api(args[0], args[1])?.catch?.(() => {}); // only the latest init is authoritative
  });
  if (last < 0 && keyOf(bootOptions())) init().catch(() => {});
}
