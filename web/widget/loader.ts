// The Docent loader (served as /widget.js). It runs inside the HOST page, so it
// must stay tiny (PERFORMANCE.md G1: ≤ 3.5 KB gzip-9) and must not touch the
// host document beyond one host element: everything visible lives in a shadow
// root styled by a constructable stylesheet, so strict host CSPs that forbid
// inline styles keep working. Until the visitor opens the widget it loads
// nothing from Docent except config.json: the iframe (and with it the frame
// bundle and the session) is created on first open.
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

function init(o?: Options): Promise<Config> {
  const my = ++generation;
  teardown();
  opts = merge(bootOptions(), o || {});
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

// sendConfig answers the frame's handshake, and is sent again on every reopen
// so the frame applies the current options (PROTOCOL §3). It carries no
// secret and goes to the frame's origin only.
function sendConfig() {
  const payload = {
    mode: "public",
    locale: opts.locale || navigator.language,
    direction: opts.direction === "rtl" ? "rtl" : "ltr",
  };
  frame?.contentWindow?.postMessage({ type: "chat-embed-config", payload }, origin);
}

function onMessage(e: MessageEvent) {
  const m = e.data;
  const win = frame?.contentWindow;
  if (!win || e.source !== win || e.origin !== origin || !m || typeof m !== "object") return;
  if (m.type === "chat-embed-ready") {
    sendConfig();
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
  removeEventListener("message", onMessage);
  host?.remove();
  host = launcher = panel = frame = null;
  Object.assign(state, { ready: false, sessionStatus: null, unread: 0 });
}

function destroy() {
  generation++;
  teardown();
  state.open = false;
}

// The public API: an object whose methods are also reachable as
// Docent("method", arg), like the queue stub hosts install before loading us.
const api: any = (method: string, arg?: unknown) =>
  methods.hasOwnProperty(method) ? methods[method](arg) : undefined;
const methods: Record<string, (a?: any) => any> = { init, open, close, toggle, destroy, getState };
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
