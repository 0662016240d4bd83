// Entry point of the chat frame (frame.js), which runs inside the iframe on
// Docent's own origin under a strict CSP. The server's frame document holds
// <div id="docent-app" data-key="KEY">; this builds the UI into it, runs the
// postMessage handshake with the parent page, opens the session and wires the
// controls. The app root gets data-ready="true" once the composer is usable.

import { getJSON } from "./api";
import { Chat } from "./chat";
import { handshake } from "./handshake";
import { SessionStore } from "./storage";
import { applyAccent, applyThemeMode } from "./theme";
import type { WidgetConfig } from "./types";
import { modalWhenFullScreen } from "./modal";
import { buildShell, Shell } from "./ui";

const REVEAL_MS = 400;

function main() {
  // User timing marks (docent:start, docent:config, docent:session,
  // docent:ready) show an open's phases in DevTools and bench/openlatency.
  performance.mark("docent:start");
  const app = document.getElementById("docent-app");
  if (!app) return;
  const key = app.getAttribute("data-key") || "";
  const config = channelConfig(key);
  // The UI stays out of rendering until the session is on its way (a config
  // from the page started it, or the URL fallback did): the browser's first
  // style, layout and paint of it then overlap session/init instead of
  // delaying the page's answer (G4). A refusal shows it at once, and a page
  // that never answers gets it after REVEAL_MS.
  app.hidden = true;
  const reveal = () => (app.hidden = false);
  setTimeout(reveal, REVEAL_MS);
  // Announce to the parent first, so that its config (which starts the
  // session) is on its way while the UI is built. Messages are delivered in
  // later tasks: chat exists by then.
  handshake(config, {
    onConfig: (c, origin, dropped) => {
      chat.configure(c, origin, dropped);
      reveal();
    },
    onParent: (m) => chat.fromParent(m),
    onRefused: (reason) => {
      reveal();
      chat.telemetry.refuse(reason);
      chat.qa?.event("config refused: " + reason);
    },
  }).then((r) => {
    if (!r.origin) chat.configure(r.config, null); // URL fallback (PM-10: a usable widget)
    reveal();
  });
  const ui = buildShell(app);
  const chat = new Chat(ui, key, new SessionStore(key), config);
  applyThemeMode("light");
  chat.setEmbed({ mode: "public" }, null);
  config.then((c) => applyConfig(ui, chat, c));
  wire(ui, chat);
  keyboardAware(ui);
  modalWhenFullScreen(app);
}

// channelConfig gets the published config.json first thing: the handshake
// needs allowed_origins before it can ack. A server may save that round trip
// by embedding the same JSON in the frame document as
// <script type="application/json" id="docent-config">, which CSP allows
// because it is never executed. Any failure yields {}, which admits no parent
// origin (fail closed) but leaves the chat usable.
function channelConfig(key: string): Promise<WidgetConfig> {
  try {
    const inline = document.getElementById("docent-config")?.textContent;
    if (inline) return Promise.resolve(JSON.parse(inline) || {});
  } catch {
    // malformed: fetch it instead
  }
  return getJSON<WidgetConfig>("/widget/" + encodeURIComponent(key) + "/config.json").catch(() => ({}) as WidgetConfig);
}

// applyConfig shows the channel's title and theme colour. The colour is
// validated and set through the CSSOM, which the frame's CSP allows.
// An embed config's own title and accent, when it has them, are applied
// later and win (Chat.setEmbed).
function applyConfig(ui: Shell, chat: Chat, c: WidgetConfig) {
  if (typeof c.title === "string" && c.title && !chat.titled()) chat.setTitle(c.title);
  if (!ui.app.style.getPropertyValue("--accent")) applyAccent(ui.app, c.theme?.baseColor);
  if (c.persona === "test") chat.enableQA();
}

// keyboardAware keeps the composer above an on-screen keyboard: on phones
// the keyboard shrinks the visual viewport, not the layout one, so the app
// takes the visual viewport's height and the transcript scrolls instead.
function keyboardAware(ui: Shell) {
  const vv = window.visualViewport;
  if (!vv) return;
  const fit = () => {
    const shrunk = vv.height < window.innerHeight - 1;
    ui.app.style.height = shrunk ? vv.height + "px" : "";
    if (shrunk && document.activeElement === ui.input) ui.form.scrollIntoView({ block: "end" });
  };
  vv.addEventListener("resize", fit);
}

function wire(ui: Shell, chat: Chat) {
  const submit = () => {
    const text = ui.input.value;
    if (!text.trim() || ui.send.disabled) return;
    ui.input.value = "";
    resize(ui.input);
    chat.send(text);
  };
  ui.form.addEventListener("submit", (e) => {
    e.preventDefault();
    submit();
  });
  // Enter sends, Shift+Enter is a newline; never while an IME composes.
  const sends = (e: KeyboardEvent) => e.key === "Enter" && !e.shiftKey && !e.isComposing && e.keyCode !== 229;
  ui.input.addEventListener("keydown", (e) => {
    if (!sends(e)) return;
    e.preventDefault();
    submit();
  });
  // Synthetic key input (DevTools protocol, some assistive tools) can deliver
  // the Enter character as a separate keypress; cancel that newline too.
  ui.input.addEventListener("keypress", (e) => sends(e) && e.preventDefault());
  ui.input.addEventListener("input", () => resize(ui.input));
  ui.newChat.onclick = () => chat.newChat();
  ui.restart.onclick = () => chat.newChat();
  ui.close.onclick = () => chat.requestClose();
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && !e.isComposing) chat.requestClose();
  });
  // The loader focuses the iframe when the panel opens: pass focus on to the composer.
  window.addEventListener("focus", () => {
    const active = document.activeElement;
    if (!active || active === document.body) chat.focusIn();
  });
}

// resize grows the composer with its content up to a limit.
function resize(input: HTMLTextAreaElement) {
  input.style.height = "auto";
  if (!input.value) return; // the CSS height fits one line
  const border = input.offsetHeight - input.clientHeight; // border-box sizing
  input.style.height = Math.min(input.scrollHeight + border, 160) + "px";
}

main();
