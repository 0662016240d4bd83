// The Docent loader (served as /widget.js). It runs inside the HOST page, so it
// must stay tiny (PERFORMANCE.md G1: ≤ 3.5 KB gzip-9) and must not touch the
// host document beyond one host element: everything visible lives in a shadow
// root styled by a constructable stylesheet, so strict host CSPs that forbid
// inline styles keep working. Until the visitor opens the widget it loads
// nothing from Docent except config.json: the iframe (and with it the frame
// bundle and the session) is created on first open.
//
// Identity (PROTOCOL §6) is only carried here: credentials reach the frame by
// postMessage to Docent's origin, never in a URL; the frame does the rest.
//
// Wire contract: PROTOCOL.md §2 (embedding, JS API) and §3 (postMessage).

import { loaderCSS, positionCSS } from "./loader/style";
import { bootOptions, Config, merge, Options, State } from "./loader/options";
import { icon, setIcon } from "./loader/icon";

const w = window as any;
const d = document;
const KEY = /^[a-z0-9][a-z0-9-]{1,62}$/;

// Only the latest init may change state or fire callbacks (PROTOCOL §2).
let generation = 0;
let opts: Options = {};
let origin = ""; // the API origin: the only origin whose messages we accept
let frameURL = "";
let title = "";
let host: HTMLElement | null = null;
let launcher: HTMLButtonElement | null = null;
let panel: HTMLDivElement | null = null;
let frame: HTMLIFrameElement | null = null;
const state: State = { open: false, ready: false, identity: "anonymous", sessionStatus: null, unread: 0 };
// The current login: init options, replaced by loginUser, emptied by logoutUser.
let ident: Options = {};
let token: string | undefined; // exchange token (§6.4)
let timer: any; // proactive refresh
let fetching: Promise<unknown> | undefined; // the one in-flight fetchToken() (TX-06)

function init(o?: Options): Promise<Config> {
  const my = ++generation;
  teardown();
  opts = merge(bootOptions(), o || {});
  // An init without identity options keeps a login made before it (the
  // queue stub may hold loginUser ahead of init).
  if (opts.identityToken !== undefined || opts.getAssertion || opts.externalUserId) ident = opts;
  setToken(opts.token);
  const key = opts.key || opts.widgetKey || opts.botId || "";
  if (!KEY.test(key)) return fail(my, Error("docent: invalid key"));
  const base = new URL(opts.apiRoot || opts.host || opts.server || "/", location.href);
  origin = base.origin;
  const api = base.href.replace(/\/+$/, "") + "/widget/" + key;
  frameURL = api + "/frame";
  if (opts.openOnInit) state.open = true;
  return fetch(new URL(opts.configUrl || api + "/config.json", location.href).href, { credentials: "omit" })
    .then((r) => {
      if (!r.ok) throw Error("docent: config " + r.status);
      return r.json();
    })
    .then((c: Config) => {
      if (my !== generation) return c;
      render(merge(c, opts.appearance || {}));
      opts.onConfigLoaded?.(c);
      return c;
    }, (e) => fail(my, e));
}

function fail(my: number, e: unknown): Promise<never> {
  if (my === generation) opts.onError?.(e);
  return Promise.reject(e);
}

function render(c: Config) {
  title = c.title || "Chat";
  host = d.createElement("div");
  host.id = "docent-widget";
  const root = host.attachShadow({ mode: "open" });
  const css = loaderCSS + positionCSS(c);
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [sheet];
  } catch {
    // Browsers without constructable stylesheets: a <style> inside our shadow root.
    root.append(Object.assign(d.createElement("style"), { textContent: css }));
  }
  launcher = d.createElement("button");
  launcher.type = "button";
  launcher.setAttribute("data-docent-launcher", "");
  launcher.setAttribute("aria-label", c.launcher?.label || title);
  launcher.append(icon());
  launcher.onclick = toggle;
  root.append(launcher);
  root.addEventListener("keydown", (e) => (e as KeyboardEvent).key === "Escape" && state.open && close());
  addEventListener("message", onMessage);
  (d.body || d.documentElement).append(host); // a sync script in <head> may run before <body> exists
  update();
}

// update makes the DOM follow state, creating the iframe on first open.
function update() {
  if (!launcher) return;
  if (state.open && !panel) {
    panel = d.createElement("div");
    panel.className = "p";
    frame = d.createElement("iframe");
    frame.src = frameURL;
    frame.title = title;
    frame.allow = "clipboard-write";
    panel.append(frame);
    launcher.before(panel);
  }
  if (panel) panel.hidden = !state.open;
  launcher.setAttribute("aria-expanded", "" + state.open);
  setIcon(launcher, state.open);
  if (state.unread && !state.open) launcher.setAttribute("data-unread", "" + Math.min(state.unread, 99));
  else launcher.removeAttribute("data-unread");
}

function set(patch: Partial<State>) {
  const before = JSON.stringify(state);
  Object.assign(state, patch);
  if (state.open) state.unread = 0;
  update();
  if (JSON.stringify(state) !== before) opts.onStateChange?.(getState());
}

function open() {
  const reopen = state.ready && !state.open;
  set({ open: true });
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
// credentials whether the user changed.
function sendConfig(fresh?: number): Promise<void> {
  const get = fresh ? ident.getAssertion : undefined;
  return Promise.resolve(get && get()).then((assertion) =>
    post({
      type: "chat-embed-config",
      payload: {
        locale: opts.locale || navigator.language,
        direction: opts.direction === "rtl" ? "rtl" : "ltr",
        identity_token: ident.identityToken,
        user_id: ident.externalUserId,
        assertion,
        token,
      },
    }),
  );
}

// loginUser switches the visitor to a user (PROTOCOL §2). Before the frame
// exists the credentials wait for its handshake; the loader stays lazy.
function loginUser(o?: Options): Promise<void> {
  ident = o || {};
  return frame ? sendConfig(1) : Promise.resolve();
}

// logoutUser forgets the user; the frame revokes its session and continues
// as a guest, and a frame opened later starts as one.
function logoutUser(): Promise<void> {
  ident = {};
  setToken();
  post({ type: "docent:logout" });
  return Promise.resolve();
}

// setToken keeps the exchange token, hands it to the frame and schedules its
// refresh ~60 s before it expires (half its remaining life if shorter; none
// under a second, so a host returning stale tokens cannot make a loop). The
// JWT payload is read, not verified: the server does that.
function setToken(t?: unknown) {
  clearTimeout(timer);
  token = typeof t === "string" && t ? t : undefined;
  if (!token) return;
  post({ type: "docent:token", token });
  try {
    const left = JSON.parse(atob(token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/"))).exp * 1e3 - Date.now();
    let wait = left - 6e4;
    if (wait < 1e3) wait = left / 2;
    if (wait >= 1e3) timer = setTimeout(() => frame && refresh(), wait);
  } catch {
    // not a JWT: refreshed on the frame's request only
  }
}

// refresh calls the host's fetchToken() once for all concurrent needs and
// answers the frame; a failure answers without a token (the frame then
// gives up instead of retrying).
function refresh() {
  return (fetching ||= Promise.resolve()
    .then(() => opts.fetchToken!())
    .then(setToken)
    .catch((e) => {
      opts.onError?.(e);
      post({ type: "docent:token" });
    })
    .finally(() => (fetching = undefined)));
}

function onMessage(e: MessageEvent) {
  const m = e.data;
  const win = frame?.contentWindow;
  if (!win || e.source !== win || e.origin !== origin || !m || typeof m !== "object") return;
  if (m.type === "chat-embed-ready") {
    // A host whose getAssertion fails still gets a working guest widget.
    sendConfig(1).catch((e) => {
      opts.onError?.(e);
      sendConfig();
    });
  } else if (m.type === "docent:token-request") {
    // After logoutUser there is no user to fetch a token for.
    token ? refresh() : post({ type: "docent:token" });
  } else if (m.type === "docent:close") {
    close();
  } else if (m.type === "docent:state") {
    set({
      ready: !!m.ready,
      sessionStatus: typeof m.sessionStatus === "string" ? m.sessionStatus : null,
      identity: /^(verified|direct)$/.test(m.identity) ? m.identity : "anonymous",
    });
  } else if (m.type === "docent:unread") {
    set({ unread: Math.max(0, m.count | 0) });
  }
}

// teardown removes everything init created, so a later init starts clean. The
// open flag survives: open() may be queued before init, and a repeated init
// reconfigures the widget without closing it.
function teardown() {
  clearTimeout(timer);
  removeEventListener("message", onMessage);
  host?.remove();
  host = launcher = panel = frame = null;
  Object.assign(state, { ready: false, sessionStatus: null, unread: 0 });
}

function destroy() {
  generation++;
  teardown();
  state.open = false;
  ident = {};
}

// The public API: an object whose methods are also reachable as
// Docent("method", arg), like the queue stub hosts install before loading us.
const api: any = (method: string, arg?: unknown) =>
  methods.hasOwnProperty(method) ? methods[method](arg) : undefined;
const methods: Record<string, (a?: any) => any> = { init, open, close, toggle, destroy, getState, loginUser, logoutUser };
Object.assign(api, methods);

const previous = w.Docent;
if (!previous?.getState) {
  w.Docent = api;
  const queue: ArrayLike<any>[] = Array.from(previous?.q || []);
  const last = queue.map((a) => a[0]).lastIndexOf("init");
  queue.forEach((args, i) => {
    if (args[0] === "init" && i !== last) return; // only the latest init is authoritative
    api(args[0], args[1])?.catch?.(() => {});
  });
  if (last < 0 && bootOptions().key) init().catch(() => {});
}
