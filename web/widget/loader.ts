// The Docent loader (served as /widget.js). It runs inside the HOST page, so it
// must stay tiny (PERFORMANCE.md G1: <= 3.5 KB gzip-9) and must not touch the
// host document beyond one host element: everything visible lives in a shadow
// root styled by a constructable stylesheet, so strict host CSPs that forbid
// inline styles keep working. Until the visitor opens the widget it loads
// nothing from Docent except config.json: the iframe (and with it the frame
// bundle, the loader's open half and the session) is created on first open,
// or in inline mode and with openOnInit when the page is idle.
//
// This file holds the options, the launcher and the JS API. What only an
// open widget needs (the handshake, identity, token refresh, the on-screen
// keyboard) is the open half, loader/open.ts, imported with the iframe.
// What the frame shows (title, greeting, accent, theme, language) is handed
// to it as overrides; the frame checks and applies them, and reports bad ones.
//
// Wire contract: PROTOCOL.md §2 (embedding, JS API) and §3 (postMessage).

import { css, INLINE } from "./loader/style";
import { combine, Config, keyOf, merge, Options, scriptOrigin, sources, State } from "./loader/options";
import { icon } from "./loader/icon";
import { call, err, Link, Opened } from "./loader/link";

// The open half's path and content hash, set by the build (web/webbuild).
declare const OPEN_HALF: string;

const w = window as any;
const d = document;

// Only the latest init may change state or fire callbacks (PROTOCOL §2).
let generation = 0;
let opts: Options = {};
let origin = ""; // the API origin: the only origin whose messages we accept
let base = ""; // the API root, where the frame and the open half come from
let title = "";
let label = ""; // the launcher's accessible name
let inline: unknown;
let host: HTMLElement | null = null;
let root: ShadowRoot;
let launcher: HTMLButtonElement | null = null;
let frame: HTMLIFrameElement | null = null;
let half: Opened | null = null; // the open half serving the current iframe
let early: MessageEvent | null = null; // the frame's last word before it came
let idle: unknown; // the pending idle-time open of an open requested at init
// asked: open() was called (the visitor, or the page's own code), so the
// frame may take focus; a panel opened by openOnInit leaves focus alone.
let asked: unknown;
const fresh = (): State => ({ open: false, ready: false, identity: "anonymous", sessionStatus: null, unread: 0 });
let state = fresh();
// The current login: init options, replaced by loginUser, emptied by logoutUser.
let ident: Options = {};
let token: string | undefined; // exchange token (§6.4)

function report(e: unknown) {
  console.warn(e);
  call(opts.onError, e);
}

function init(o?: Options): Promise<Config> {
  const my = ++generation;
  teardown();
  // A bad value gives way to a lower source's (or the published config's,
  // or the default): never fatal, the page keeps a working widget. It is
  // reported once opts holds this init's onError.
  const bad: string[] = [];
  opts = combine([...sources(), o || {}], (path) => bad.push(path));
  bad.map((path) => report(err("invalid_option", path)));
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
      const api = new URL(opts.apiRoot || scriptOrigin, location.href);
      base = api.href.replace(/\/+$/, "");
      origin = api.origin;
      return fetch(opts.configUrl || widgetURL("config.json"), { credentials: "omit" });
    })
    .then((r) => (r.ok ? r.json() : Promise.reject()))
    .then(
      (c: Config) => {
        if (my == generation) {
          render(c);
          call(opts.onConfigLoaded, c);
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

const widgetURL = (path: string) => base + "/widget/" + encodeURIComponent(opts.key || "") + "/" + path;

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
  // Asked for here (not by the visitor), the panel opens when the page is
  // idle, within 2 s (PROTOCOL §2), so the host page's own loading goes
  // first; until then the launcher shows closed, and a click opens at once.
  if (!state.open && (opts.openOnInit || inline)) idle = (w.requestIdleCallback || setTimeout)(() => set({ open: true }), { timeout: 2000 });
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
    label = a.launcher?.label || title;
    launcher = d.createElement("button");
    launcher.dataset.docentLauncher = "";
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

// update makes the DOM follow state, creating the iframe and importing the
// open half on first open. The open half hears every message, from when it
// arrives; the frame's last one before that is handed to it (the frame
// repeats its handshake anyway until it is answered).
function update() {
  if (!host) return;
  if (state.open && !frame) {
    const f = (frame = d.createElement("iframe"));
    f.src = widgetURL("frame");
    f.title = title;
    root.prepend(f);
    import(base + OPEN_HALF).then(
      (m) => {
        if (f != frame) return;
        half = m.default(link(f));
        early && half!.message_(early);
      },
      () => f == frame && report(err("open_failed")),
    );
  }
  if (frame) frame.hidden = !state.open;
  launcher?.setAttribute("aria-expanded", "" + state.open); // the stylesheet swaps the icon
  // Unread messages: a dot (loader/open.ts), and their count in the name
  // ("Help (2)"), so that screen readers hear what the dot shows.
  launcher?.toggleAttribute("data-unread", state.unread > 0);
  launcher?.setAttribute("aria-label", label + (state.unread ? " (" + state.unread + ")" : ""));
}

// link lends the open half what it needs of this one (loader/link.ts).
const link = (f: HTMLIFrameElement): Link => ({
  opts_: opts,
  frame_: f,
  origin_: origin,
  inline_: inline,
  rtl_: rtl(),
  ident_: () => ident,
  token_: () => token,
  asked_: () => asked,
  state_: getState,
  live_: (h) => h == half,
  setToken_: setToken,
  set_: set,
  close_: close,
  report_: report,
});

function onMessage(e: MessageEvent) {
  if (half) half.message_(e);
  else if (frame && e.source == frame.contentWindow) early = e;
}

function set(patch: Partial<State>) {
  const before = JSON.stringify(state);
  Object.assign(state, patch);
  update();
  if (JSON.stringify(state) != before) call(opts.onStateChange, getState());
}

function open() {
  const reopen = state.ready && !state.open;
  asked = true;
  set({ open: true, unread: 0 });
  if (reopen) half?.config_();
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

// loginUser switches the visitor to a user (PROTOCOL §2). Before the frame
// has been answered the credentials wait for its handshake; the loader
// stays lazy.
async function loginUser(o?: Options) {
  ident = o || {};
  await half?.config_(1);
}

// logoutUser forgets the user; the frame revokes its session and continues
// as a guest, and a frame opened later starts as one.
async function logoutUser() {
  ident = {};
  setToken();
  half?.post_({ type: "docent:logout" });
}

// setToken keeps the exchange token and hands it to the frame, which
// schedules its refresh from the token's exp and asks us when it is due.
function setToken(t?: unknown) {
  token = typeof t == "string" && t ? t : undefined;
  if (token) half?.post_({ type: "docent:token", token });
}

// teardown removes everything init created, so a later init starts clean
// (the open flag survives: see render).
function teardown() {
  removeEventListener("message", onMessage);
  (w.cancelIdleCallback || clearTimeout)(idle);
  half?.drop_();
  host?.remove();
  host = launcher = frame = half = early = null;
  // Unread answers are in the old iframe's transcript; the visitor sees
  // them when the chat is next opened.
  Object.assign(state, { ready: false, sessionStatus: null, unread: 0 });
}

// destroy removes every trace (host element, iframe, listeners) and forgets
// the options, callbacks, login and state.
function destroy() {
  generation++;
  teardown();
  state = fresh();
  opts = ident = {};
  token = asked = undefined;
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
  if (last < 0 && sources().some(keyOf)) init().catch(() => {});
}
