// Option sources for the loader and how they combine. Precedence (PROTOCOL §2):
// init() options > window.DocentConfig > the script tag's attributes, and for
// appearance, those overrides > the published config.json > built-in defaults.

export interface Appearance {
  title?: string;
  position?: string; // "bottom-right" | "bottom-left"
  launcher?: { label?: string };
  theme?: { baseColor?: string };
  zIndex?: number;
  offset?: { x?: number; y?: number };
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
}

// Captured while the script runs synchronously: currentScript is null later
// (and for module or dynamically injected scripts), hence the fallback.
const script =
  (document.currentScript as HTMLScriptElement | null) ||
  Array.from(document.querySelectorAll<HTMLScriptElement>('script[src*="/widget.js"]')).pop();

// merge copies defined values of b over a, recursing into plain objects, and
// returns a new object; undefined in b never erases a value from a.
export function merge<T>(a: T, b: any): T {
  const out: any = { ...a };
  for (const k in b) {
    const v = b[k];
    if (v === undefined || k === "__proto__") continue;
    out[k] = v && typeof v === "object" && !Array.isArray(v) && typeof out[k] === "object" ? merge(out[k], v) : v;
  }
  return out;
}

// bootOptions reads the script tag (src query and data-* attributes) and
// window.DocentConfig.
export function bootOptions(): Options {
  let o: Options = {};
  if (script) {
    const src = new URL(script.src, location.href);
    const attr = (name: string) => script.getAttribute("data-" + name) || undefined;
    o = {
      key: src.searchParams.get("key") || attr("key") || attr("bot-id"),
      apiRoot: attr("server") || src.origin,
      openOnInit: attr("open") === "true" || undefined,
      appearance: { title: attr("title"), position: attr("position"), theme: { baseColor: attr("accent") } },
    };
  }
  return merge(o, (window as any).DocentConfig || {});
}
