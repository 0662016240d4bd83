// Option sources for the loader, how they combine and how they are checked.
// Precedence (PROTOCOL §2): init() options > window.DocentConfig > the script
// tag's query and data-* attributes, and for appearance, those overrides >
// the published config.json > built-in defaults.

import { cssColor } from "../shared/color";

export interface Appearance {
  title?: string;
  position?: string; // "bottom-right" | "bottom-left"
  launcher?: { label?: string; iconUrl?: string };
  theme?: { baseColor?: string };
  zIndex?: number;
  offset?: { x?: number; y?: number };
  greeting?: string;
}

// Config is the published config.json (only the fields the loader reads).
export interface Config extends Appearance {
  key?: string;
}

export interface State {
  open: boolean;
  ready: boolean;
  identity: string;
  sessionStatus: string | null;
  unread: number;
}

export interface Options {
  key?: string;
  widgetKey?: string;
  botId?: string;
  apiRoot?: string;
  host?: string;
  server?: string;
  configUrl?: string;
  agentId?: string;
  contactId?: string;
  threadId?: string;
  mode?: string; // "bubble" | "inline"
  target?: string | Element;
  themeMode?: string;
  locale?: string;
  direction?: string;
  openOnInit?: boolean;
  appearance?: Appearance;
  // Identity (PROTOCOL §6). Delivered to the frame only by postMessage.
  identityToken?: string | null;
  getAssertion?(): string | Promise<string>;
  externalUserId?: string;
  token?: string;
  fetchToken?(): string | Promise<string>;
  onConfigLoaded?(config: Config): void;
  onError?(error: unknown): void;
  onStateChange?(state: State): void;
  onMessage?(message: unknown): void;
}

// Captured while the script runs synchronously: currentScript is null later
// (and for module or dynamically injected scripts), hence the fallback.
const script =
  (document.currentScript as HTMLScriptElement | null) ||
  Array.from(document.querySelectorAll<HTMLScriptElement>('script[src*="/widget.js"]')).pop();

// scriptOrigin is the default API origin: where widget.js came from.
export const scriptOrigin = script ? new URL(script.src).origin : "/"; // src is absolute; "/": the page's

// merge copies defined values of b over a, recursing into objects (copied,
// never shared, so validation may delete from the result; also objects
// without Object's prototype, or from another frame), but not into DOM
// nodes (an inline target), and returns a new object; undefined in b never
// erases a value from a.
export function merge<T>(a: T, b: any): T {
  const out: any = { ...a };
  for (const k in b) {
    const v = b[k];
    if (v === undefined) continue;
    out[k] = v && typeof v == "object" && !v.nodeType ? merge(out[k] || {}, v) : v;
  }
  return out;
}

// sources lists the options given before init, lowest precedence first:
// the script tag's (src query and data-* attributes), then
// window.DocentConfig.
export function sources(): Options[] {
  let o: Options = {};
  if (script) {
    // data-key, data-bot-id, data-server, data-mode, data-target,
    // data-contact-id, data-thread-id by their own names; the rest mapped.
    const a = { ...script.dataset };
    o = {
      ...a,
      key: new URL(script.src).searchParams.get("key") || a.key,
      openOnInit: a.open == "true" || undefined,
      appearance: { title: a.title, position: a.position, greeting: a.introMessage, theme: { baseColor: a.accent } },
    };
  }
  return [o, (window as any).DocentConfig || {}];
}

// keyOf: widgetKey and botId (data-bot-id) are synonyms of key (PROTOCOL §2).
export const keyOf = (o: Options) => o.key || o.widgetKey || o.botId;

// combine merges option sources, later over earlier. Each source is
// checked on its own first: its synonyms are folded in (so a higher
// source's widgetKey beats a lower one's key), and its invalid values are
// removed and named through bad (so a lower source's valid value for the
// same option still applies). The sources themselves are not changed.
export function combine(list: Options[], bad: (path: string) => void): Options {
  return list.reduce<Options>((all, o) => {
    // host and server are synonyms of apiRoot (seeds 003, 004).
    const c = merge(merge({}, o), { key: keyOf(o), apiRoot: o.apiRoot || o.host || o.server });
    validate(c, bad);
    return merge(all, c);
  }, {});
}

// iconOK: the launcher image must be https or from the host page's origin.
export const iconOK = (v: unknown): unknown => {
  try {
    const u = new URL(v as string, location.href);
    return typeof v == "string" && (u.protocol == "https:" || u.origin == location.origin);
  } catch {
    return; // not a URL
  }
};

const N = /^\d{1,4}$/;
const F = (v: unknown) => typeof v == "function";

// RULES maps every option path the loader itself uses to a test: a RegExp
// the whole value (as text) must match, or a function. What only the frame
// uses (title, greeting, themeMode, agentId, contactId, threadId,
// externalUserId) goes to it as is: it checks it and reports a bad value
// back (docent:error invalid_option, or an ack with an error for a user id),
// which keeps this file small. Text is only ever set as text or attributes.
// A bad apiRoot or configUrl shows as config_failed (nothing to fall back to).
const RULES: Record<string, RegExp | ((v: any) => unknown)> = {
  mode: /^(bubble|inline)$/,
  direction: /^(ltr|rtl)$/,
  openOnInit: (v) => typeof v == "boolean",
  target: (v) => typeof v == "string" || v instanceof Element,
  locale: /^[a-z]{2,3}(-[a-z\d]{1,8}){0,4}$/i,
  "appearance.launcher.iconUrl": iconOK,
  "appearance.position": /^bottom-(left|right)$/,
  "appearance.zIndex": /^\d{1,10}$/,
  "appearance.offset.x": N,
  "appearance.offset.y": N,
  "appearance.theme.baseColor": cssColor,
  onConfigLoaded: F,
  onError: F,
  onStateChange: F,
  onMessage: F,
  // getAssertion and fetchToken are called inside try/catch: a non-function
  // is reported through onError when it is needed, like any failure of theirs.
};

// validate deletes every invalid value from o and names each one through bad.
function validate(o: any, bad: (path: string) => void) {
  for (const path in RULES) {
    const test: any = RULES[path];
    const keys = path.split(".");
    const last = keys.pop()!;
    const parent = keys.reduce((p, k) => p?.[k], o);
    const v = parent?.[last];
    if (v != null && !(test.test ? test.test(v) : test(v))) {
      delete parent[last];
      bad(path);
    }
  }
}
