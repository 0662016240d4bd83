// The frame's DOM. Everything is built with createElement and text nodes
// (never innerHTML), which keeps untrusted text inert and satisfies the
// frame's CSP (no inline style or script). The data-* attributes are the
// stable hooks for tests and for host-side styling; class names are ours.

import { toDOM, parseMarkdown, safeURL } from "./markdown";
import { LANGUAGES, Strings, StringKey } from "./i18n";
import type { ChatMessage, Source } from "./types";

type Attrs = Record<string, string | boolean | undefined>;

// h creates an element; string children become text nodes.
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    e.setAttribute(k, v === true ? "" : v);
  }
  e.append(...children);
  return e;
}

const SVG = "http://www.w3.org/2000/svg";

function icon(d: string): SVGSVGElement {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  const path = document.createElementNS(SVG, "path");
  path.setAttribute("d", d);
  svg.append(path);
  return svg;
}

export interface Shell {
  app: HTMLElement;
  head: HTMLElement;
  title: HTMLElement;
  language: HTMLSelectElement;
  live: HTMLElement; // visually hidden polite region: complete sentences of replies
  newChat: HTMLButtonElement;
  close: HTMLButtonElement;
  log: HTMLElement;
  ended: HTMLElement;
  restart: HTMLButtonElement;
  form: HTMLFormElement;
  input: HTMLTextAreaElement;
  send: HTMLButtonElement;
}

// buildShell renders the static layout into the app root. The root is a
// labelled dialog (a region when inline: see Chat.setEmbed). The transcript
// is a log that does not speak by itself: streamed text would be read token
// by token, so replies are announced sentence by sentence through `live`.
export function buildShell(app: HTMLElement): Shell {
  const title = h("h1", { class: "title", id: "docent-title", "data-title": true });
  app.setAttribute("role", "dialog");
  app.setAttribute("aria-labelledby", "docent-title");
  const language = languageMenu();
  const languageLabel = h("label", { for: "docent-lang", class: "sr", "data-t": "language" });
  const live = h("div", { class: "sr", "aria-live": "polite", "data-announcer": true });
  const newChat = h(
    "button",
    { type: "button", class: "icon", "data-action": "new-chat", "data-t-label": "newChat", "data-t-title": "newChat" },
    icon("M12 5v14M5 12h14"),
  );
  const close = h("button", { type: "button", class: "icon", "data-action": "close", hidden: true, "data-t-label": "close" }, icon("M6 6l12 12M18 6 6 18"));
  const log = h("div", { class: "log", "data-transcript": true, role: "log", "aria-live": "off", tabindex: "0", "data-t-label": "title" });
  const restart = h("button", { type: "button", class: "primary", "data-action": "start-new-chat", "data-t": "newChat" });
  const ended = h("div", { class: "ended", "data-chat-ended": true, hidden: true }, h("p", { "data-t": "ended" }), restart);
  const input = h("textarea", { id: "docent-input", name: "message", rows: "1", autocomplete: "off", "data-t-placeholder": "placeholder" });
  const send = h("button", { type: "submit", class: "send", "data-action": "send", "data-t-label": "send" }, icon("M4 12 20 4l-6 16-3-7z"));
  const form = h("form", { class: "composer", "data-composer": true }, h("label", { for: "docent-input", class: "sr", "data-t": "message" }), input, send);
  const head = h("header", { class: "head" }, title, languageLabel, language, newChat, close);
  app.append(head, log, ended, form, live);
  return { app, head, title, language, live, newChat, close, log, ended, restart, form, input, send };
}

// languageMenu is the language <select>. It names every language in its
// own script (العربية, 日本語, 繁體中文…), and a browser measures every option
// to size a select: laying those names out loads Arabic and CJK fonts, which
// cost ~50 ms of the frame's first layout, on the way to a usable composer
// (PERFORMANCE G4). So the menu holds only the current language (showLanguage)
// until the chat is ready, then fills in when the frame is next idle
// (fillLanguages), so that a screen reader browsing the panel hears every
// language. A visitor who reaches for it sooner (pointer, touch or keyboard
// focus) fills it in before it opens.
function languageMenu(): HTMLSelectElement {
  const select = h("select", { id: "docent-lang", class: "lang", "data-action": "language" });
  const fill = () => fillLanguages(select);
  for (const type of ["focus", "pointerdown", "mousedown", "touchstart"]) select.addEventListener(type, fill, { passive: true });
  return select;
}

// fillLanguages lists every shipped language in the menu, keeping the choice.
export function fillLanguages(select: HTMLSelectElement) {
  if (select.options.length > 1) return;
  const current = select.value;
  select.replaceChildren(...LANGUAGES.map(([tag]) => languageOption(tag)));
  select.value = current;
}

// showLanguage selects a shipped language (a pickLanguage result) in the menu.
export function showLanguage(select: HTMLSelectElement, tag: string) {
  if (select.options.length < 2) select.replaceChildren(languageOption(tag));
  select.value = tag;
}

// languageOption names a language in its own script.
function languageOption(tag: string): HTMLOptionElement {
  return h("option", { value: tag, lang: tag }, LANGUAGES.find(([t]) => t === tag)?.[1] || tag);
}

const ROLE_LABEL: Record<string, StringKey> = { user: "you", assistant: "assistant", agent: "agent" };

// MessageView is one message in the transcript. The body holds plain text
// while streaming and rendered Markdown once the message is final.
export class MessageView {
  readonly el: HTMLElement;
  readonly body: HTMLElement;
  private live: Text | null = null;

  constructor(m: ChatMessage, t: Strings) {
    const role = m.role || "assistant";
    // dir=auto: each message takes the direction of its own text, so an
    // English answer in the Arabic UI keeps its punctuation in place.
    this.body = h("div", { class: "body", "data-body": true, dir: "auto" });
    const who = ROLE_LABEL[role];
    this.el = h(
      "div",
      { class: "msg " + role, "data-role": role, "data-kind": m.kind || "", "data-status": m.status || "complete" },
      ...(who ? [h("span", { class: "sr", "data-t": who, "data-t-after": ": " }, t[who] + ": ")] : []),
      this.body,
    );
    if (m.id) this.el.setAttribute("data-message-id", m.id);
    if (role === "user") this.body.textContent = m.text || "";
    else this.render(m.text || "");
    if (m.sources?.length) this.sources(m.sources, t);
  }

  set(attr: "status" | "kind" | "message-id", value: string) {
    this.el.setAttribute("data-" + attr, value);
  }

  // append adds streamed text: a plain text node grows token by token.
  append(text: string) {
    if (!this.live) {
      this.body.textContent = "";
      this.live = document.createTextNode("");
      this.body.append(this.live);
    }
    this.live.appendData(text);
  }

  get text(): string {
    return this.live?.data || "";
  }

  // render replaces the body with the final Markdown rendering.
  render(markdown: string) {
    this.live = null;
    this.body.replaceChildren(toDOM(parseMarkdown(markdown)));
    // Code blocks and tables scroll sideways: keyboard users must be able to
    // focus them to scroll (WCAG 2.1.1; axe scrollable-region-focusable).
    for (const e of this.body.querySelectorAll("pre, .md-table")) e.setAttribute("tabindex", "0");
  }

  typing(t: Strings) {
    this.body.replaceChildren(h("span", { class: "typing", role: "img", "aria-label": t.typing, "data-t-label": "typing" }, h("i"), h("i"), h("i")));
  }

  // note adds a line under the message: a UI string, with text after it.
  note(key: StringKey, t: Strings, after = "") {
    this.el.append(h("p", { class: "note" }, h("span", { "data-t": key }, t[key]), after));
  }

  sources(list: Source[], t: Strings) {
    this.el.querySelector("[data-sources]")?.remove();
    const items = dedupe(list).map(sourceItem);
    if (!items.length) return;
    this.el.append(h("div", { class: "sources", "data-sources": true }, h("p", { "data-t": "sources" }, t.sources), h("ol", {}, ...items)));
  }
}

function dedupe(list: Source[]): Source[] {
  const seen = new Set<string>();
  return list.filter((s) => {
    if (!s || typeof s !== "object") return false;
    const id = (s.url || "") + "\n" + (s.path || "") + "\n" + (s.title || "");
    return !seen.has(id) && !!seen.add(id);
  });
}

// sourceItem links a citation only when its URL is http(s); otherwise it
// shows the title with the document path as text.
function sourceItem(s: Source): HTMLElement {
  const url = typeof s.url === "string" && /^https?:/i.test(s.url) ? safeURL(s.url) : "";
  const title = str(s.title) || str(s.path) || url || "?";
  const snippet = str(s.snippet);
  const item = url
    ? h("a", { href: url, target: "_blank", rel: "noopener noreferrer nofollow", title: snippet || url }, title)
    : h("span", { title: snippet || undefined }, title, s.path && s.path !== title ? " (" + s.path + ")" : "");
  return h("li", { "data-source": true }, item);
}

function str(v: unknown): string {
  return typeof v === "string" ? v : "";
}

// notice renders a system line in the transcript (UI string key), optionally
// with an action.
export function notice(code: string, key: StringKey, t: Strings, action?: HTMLButtonElement): HTMLElement {
  return h("div", { class: "notice", "data-notice": code, role: "status" }, h("span", { "data-t": key }, t[key]), ...(action ? [action] : []));
}

export function divider(t: Strings): HTMLElement {
  return h("div", { class: "divider", "data-divider": true }, h("span", { "data-t": "newConversation" }, t.newConversation));
}

// Every UI string of the panel is marked where it is shown: data-t names
// the string an element's text is (followed by data-t-after), and
// data-t-label, data-t-title and data-t-placeholder those of its attributes.
const ATTRIBUTES = [
  ["data-t-label", "tLabel", "aria-label"],
  ["data-t-title", "tTitle", "title"],
  ["data-t-placeholder", "tPlaceholder", "placeholder"],
] as const;

// relabel puts every marked string under root into t's language: the
// shell's and the transcript's alike (role prefixes for screen readers,
// notes, headings, notices, buttons), when the language changes.
export function relabel(root: ParentNode, t: Strings) {
  for (const e of root.querySelectorAll<HTMLElement>("[data-t]")) e.textContent = t[e.dataset.t as StringKey] + (e.dataset.tAfter || "");
  for (const [selector, key, attr] of ATTRIBUTES) {
    for (const e of root.querySelectorAll<HTMLElement>("[" + selector + "]")) e.setAttribute(attr, t[e.dataset[key] as StringKey]);
  }
}

export function suggestions(list: string[], t: Strings, pick: (q: string) => void): HTMLElement | null {
  const qs = list.filter((q) => typeof q === "string" && q.trim()).slice(0, 6);
  if (!qs.length) return null;
  const box = h("div", { class: "chips", "data-suggestions": true, role: "group", "aria-label": t.suggestions, "data-t-label": "suggestions" });
  for (const q of qs) {
    const b = h("button", { type: "button", class: "chip", "data-suggestion": true }, q);
    b.onclick = () => pick(q);
    box.append(b);
  }
  return box;
}
