// The frame's side of the postMessage handshake (PROTOCOL §3, SECURITY T6/T7,
// PM-01…PM-10). The frame announces itself with `chat-embed-ready` (to "*": it
// carries nothing), and accepts a `chat-embed-config` only when it comes from
// window.parent, from an origin the channel allows (exact match, never a
// suffix or substring test), with a payload that validates. The first such
// origin becomes the verified parent origin: later configs and the loader's
// `docent:*` messages are accepted only from it (and from window.parent), and
// everything the frame posts goes to it alone. The ack is posted by the chat
// once the session reflects the config, so it can say which identity it got.
// Without a valid config the frame falls back to URL parameters after a short
// wait, so a host that never answers still gets a usable widget.

import type { WidgetConfig } from "./types";

// Credentials a config may carry (PROTOCOL §3, §6). They arrive only by
// postMessage from the verified parent, never from a URL.
export interface Credentials {
  identity_token?: string; // §6.1
  assertion?: string; // §6.2, single use
  token?: string; // §6.4 exchange token, sent as Authorization: Bearer
  user_id?: string; // §6.3 direct id (persona user_id)
}

export interface EmbedConfig extends Credentials {
  mode: string;
  locale?: string;
  direction?: string;
  require_user_id?: boolean;
  allow_generated_id?: boolean;
}

export interface HandshakeResult {
  config: EmbedConfig;
  origin: string | null; // the verified parent origin, null without one
}

const MODES = ["public", "customer", "employee", "test"];
const LOCALE = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,4}$/;
const MAX_TOKEN = 8192;
const READY_INTERVAL_MS = 100;
const READY_TRIES = 10;
const FALLBACK_MS = 1000;

// validatePayload checks a chat-embed-config payload (persona table of
// PROTOCOL §3) and returns the parts the frame applies, or null if invalid.
// It reads only known fields with type checks, so odd payloads (prototype
// keys, huge or deeply nested objects) cost nothing and change nothing.
export function validatePayload(p: unknown, persona?: string): EmbedConfig | null {
  if (!p || typeof p !== "object" || Array.isArray(p)) return null;
  const o = p as Record<string, unknown>;
  // Without a mode the channel's own persona applies (the loader sends none).
  const mode = o.mode === undefined ? (persona && MODES.includes(persona) ? persona : "public") : o.mode;
  if (typeof mode !== "string" || !MODES.includes(mode)) return null;
  if (persona && MODES.includes(persona) && persona !== mode) return null; // the channel locks its mode
  if (o.locale !== undefined && (typeof o.locale !== "string" || !LOCALE.test(o.locale))) return null;
  if (o.direction !== undefined && o.direction !== "ltr" && o.direction !== "rtl") return null;
  const uid = o.user_id;
  const hasUser = uid !== undefined && uid !== null && uid !== "";
  if (mode === "customer" || mode === "employee") {
    if (!isPositiveInteger(uid)) return null;
  } else if (hasUser && !(typeof uid === "string" && uid.length <= 128) && !isPositiveInteger(uid)) {
    return null;
  }
  for (const k of ["require_user_id", "allow_generated_id"]) {
    if (o[k] !== undefined && typeof o[k] !== "boolean") return null;
  }
  const out: EmbedConfig = { mode };
  for (const k of ["locale", "direction", "require_user_id", "allow_generated_id"] as const) {
    if (o[k] !== undefined) (out as any)[k] = o[k];
  }
  if (hasUser) out.user_id = String(uid);
  for (const k of ["identity_token", "assertion", "token"] as const) {
    const v = o[k];
    if (v === undefined || v === null || v === "") continue; // null: anonymous
    if (typeof v !== "string" || v.length > MAX_TOKEN) return null;
    out[k] = v;
  }
  return out;
}

function isPositiveInteger(v: unknown): boolean {
  if (typeof v === "number") return Number.isSafeInteger(v) && v > 0;
  return typeof v === "string" && /^[1-9][0-9]{0,15}$/.test(v);
}

// originAllowed applies the channel's allowed-origins policy to a sender.
// An empty list admits any http(s) origin only for a public channel without
// identity, and only for a config that claims no user_id.
export function originAllowed(origin: string, cfg: WidgetConfig, payload: unknown): boolean {
  if (!/^https?:\/\/[^/?#\s]+$/.test(origin)) return false; // also refuses "null"
  const list = Array.isArray(cfg.allowed_origins) ? cfg.allowed_origins : [];
  if (list.length > 0) return list.some((a) => typeof a === "string" && a.toLowerCase() === origin);
  const uid = (payload as Record<string, unknown>).user_id;
  const mode = cfg.identity?.mode || "none"; // the server treats an unset mode as none
  return cfg.persona === "public" && mode === "none" && (uid === undefined || uid === null || uid === "");
}

// urlConfig reads the URL fallback parameters (mode, locale, direction).
// Without a valid mode the channel's persona applies.
export function urlConfig(search: string, persona?: string): EmbedConfig {
  const q = new URLSearchParams(search);
  const locale = q.get("locale") || "";
  const direction = q.get("direction");
  const mode = q.get("mode") || "";
  return {
    mode: MODES.includes(mode) ? mode : persona && MODES.includes(persona) ? persona : "public",
    locale: LOCALE.test(locale) ? locale : undefined,
    direction: direction === "rtl" || direction === "ltr" ? direction : undefined,
  };
}

// handshake runs the protocol. It resolves with the first accepted config, or
// with the URL fallback (at once when not framed, after FALLBACK_MS
// otherwise). onConfig is called for every accepted config, including later
// ones: reopening the widget or logging a user in sends a fresh config that
// must be applied. onParent receives the loader's `docent:*` messages (token,
// logout) once the parent origin is verified, and only from it.
export function handshake(
  channel: Promise<WidgetConfig>,
  onConfig: (c: EmbedConfig, origin: string) => void,
  onParent: (m: Record<string, unknown>) => void,
): Promise<HandshakeResult> {
  const fallback = channel.then((cfg) => ({ config: urlConfig(location.search, cfg.persona), origin: null }));
  const parent = window.parent;
  if (parent === window) return fallback;
  return new Promise((resolve) => {
    let verified: string | null = null;
    let heard = false; // the parent answered: stop announcing
    let settled = false;
    const settle = (r: HandshakeResult) => {
      if (settled) return;
      settled = true;
      clearInterval(ready);
      clearTimeout(timeout);
      resolve(r);
    };
    let tries = 0;
    const announce = () => {
      if (heard || ++tries > READY_TRIES) return clearInterval(ready);
      parent.postMessage({ type: "chat-embed-ready", version: 1 }, "*");
    };
    const ready = setInterval(announce, READY_INTERVAL_MS);
    const timeout = setTimeout(() => fallback.then(settle), FALLBACK_MS);
    announce();
    addEventListener("message", async (e: MessageEvent) => {
      const m = e.data;
      // PM-03: only our parent window; a sibling frame or popup on an allowed
      // origin is ignored whatever it sends.
      if (e.source !== parent || !m || typeof m !== "object" || typeof m.type !== "string") return;
      if (m.type !== "chat-embed-config") {
        if (verified && e.origin === verified && m.type.startsWith("docent:")) onParent(m);
        return;
      }
      heard = true;
      const cfg = await channel;
      const payload = validatePayload(m.payload, cfg.persona);
      if (!payload || !originAllowed(e.origin, cfg, m.payload)) return; // PM-01…PM-04: no ack
      if (verified && e.origin !== verified) return; // the parent cannot change origin
      verified = e.origin;
      onConfig(payload, e.origin);
      settle({ config: payload, origin: e.origin });
    });
  });
}
