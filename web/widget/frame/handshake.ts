// The frame's side of the postMessage handshake (PROTOCOL §3, SECURITY T6/T7,
// PM-01…PM-10). The frame announces itself with `chat-embed-ready` (to "*": it
// carries nothing), and accepts a `chat-embed-config` only when it comes from
// window.parent, from an origin the channel allows (exact match, never a
// suffix or substring test), with a payload that validates. Only then does it
// ack — to that origin alone, which it remembers as the parent origin for all
// later messages. Without a valid config it falls back to URL parameters
// after a short wait, so a host that never answers still gets a usable widget.

import type { WidgetConfig } from "./types";

export interface EmbedConfig {
  mode: string;
  locale?: string;
  direction?: string;
}

export interface HandshakeResult {
  config: EmbedConfig;
  origin: string | null; // the verified parent origin, null without one
  ackMs?: number; // ready → ack latency
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
  const mode = o.mode === undefined ? "public" : o.mode;
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
  for (const k of ["identity_token", "assertion", "token"]) {
    const v = o[k];
    if (v !== undefined && v !== null && (typeof v !== "string" || v.length > MAX_TOKEN)) return null;
  }
  return { mode, locale: o.locale as string | undefined, direction: o.direction as string | undefined };
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
export function urlConfig(search: string): EmbedConfig {
  const q = new URLSearchParams(search);
  const locale = q.get("locale") || "";
  const direction = q.get("direction");
  return {
    mode: MODES.includes(q.get("mode") || "") ? q.get("mode")! : "public",
    locale: LOCALE.test(locale) ? locale : undefined,
    direction: direction === "rtl" || direction === "ltr" ? direction : undefined,
  };
}

// handshake runs the protocol. It resolves with the first accepted config, or
// with the URL fallback (at once when not framed, after FALLBACK_MS
// otherwise). onConfig is called for every accepted config, including later
// ones: reopening the widget sends a fresh config that must be applied.
export function handshake(
  channel: Promise<WidgetConfig>,
  onConfig: (c: EmbedConfig, origin: string) => void,
): Promise<HandshakeResult> {
  const fallback = urlConfig(location.search);
  const parent = window.parent;
  if (parent === window) return Promise.resolve({ config: fallback, origin: null });
  return new Promise((resolve) => {
    let verified: string | null = null;
    let settled = false;
    const t0 = performance.now();
    const settle = (r: HandshakeResult) => {
      if (settled) return;
      settled = true;
      clearInterval(ready);
      clearTimeout(timeout);
      resolve(r);
    };
    let tries = 0;
    const announce = () => {
      if (verified || ++tries > READY_TRIES) return clearInterval(ready);
      parent.postMessage({ type: "chat-embed-ready", version: 1 }, "*");
    };
    const ready = setInterval(announce, READY_INTERVAL_MS);
    const timeout = setTimeout(() => settle({ config: fallback, origin: null }), FALLBACK_MS);
    announce();
    addEventListener("message", async (e: MessageEvent) => {
      const m = e.data;
      if (e.source !== parent || !m || typeof m !== "object" || m.type !== "chat-embed-config") return;
      const cfg = await channel;
      const payload = validatePayload(m.payload, cfg.persona);
      if (!payload || !originAllowed(e.origin, cfg, m.payload)) return; // PM-01…PM-04: no ack
      if (verified && e.origin !== verified) return; // the parent cannot change origin
      verified = e.origin;
      const ackMs = Math.round(performance.now() - t0);
      parent.postMessage(
        { type: "chat-embed-ack", ok: true, session_mode: "anonymous", identity: "anonymous" },
        e.origin,
      );
      onConfig(payload, e.origin);
      settle({ config: payload, origin: e.origin, ackMs });
    });
  });
}
