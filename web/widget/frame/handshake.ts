// The frame's side of the postMessage handshake (PROTOCOL §3, SECURITY T6/T7,
// PM-01…PM-10). The frame announces itself with `chat-embed-ready {version,
// nonce}` (to "*": it carries nothing secret), and accepts a
// `chat-embed-config` only when it comes from window.parent, from an origin
// the channel allows (exact match, never a suffix or substring test), with
// the current handshake nonce when it carries one (PM-05), and with a payload
// that validates. The first such origin becomes the verified parent origin:
// later configs and the loader's `docent:*` messages are accepted only from
// it (and from window.parent), and everything the frame posts goes to it
// alone. Every ack carries the nonce the next config must echo (rotated per
// ack). The ok ack is posted by the chat once the session reflects the
// config; a config from the right parent that fails validation gets
// `{ok:false, error}` at once and changes nothing; anything else gets no
// answer. Every refusal is counted (telemetry.ts). Without a valid config the
// frame falls back to URL parameters after a short wait, so a host that never
// answers still gets a usable widget (PM-10).

import { presentation, Presentation } from "./options";
import type { WidgetConfig } from "./types";

// Credentials a config may carry (PROTOCOL §3, §6). They arrive only by
// postMessage from the verified parent; of them only a persona user_id may
// also come from the URL fallback (see urlConfig).
export interface Credentials {
  identity_token?: string; // §6.1
  assertion?: string; // §6.2, single use
  token?: string; // §6.4 exchange token, sent as Authorization: Bearer
  user_id?: string; // §6.3 direct id (persona user_id)
}

export interface EmbedConfig extends Credentials, Presentation {
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

// Refusal names why a config was not applied; telemetry counts them by name
// (the server accepts exactly these: httpapi.RefusalReasons).
export type Refusal = "origin_not_allowed" | "not_parent" | "stale_nonce" | "bad_message" | "persona_not_allowed" | "invalid_user_id";

export interface Checked {
  config?: EmbedConfig;
  error?: Refusal;
  dropped: string[]; // invalid presentation fields left out
}

const MODES = ["public", "customer", "employee", "test"];
const LOCALE = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,4}$/;
const MAX_TOKEN = 8192;
const READY_INTERVAL_MS = 100;
const READY_TRIES = 10;
const FALLBACK_MS = 1000;

// checkPayload checks a chat-embed-config payload (persona table of
// PROTOCOL §3 plus the Docent loader's additions) and returns the parts the
// frame applies, or why it refuses it. It reads only known fields with type
// checks, so odd payloads (prototype keys, huge or deeply nested objects)
// cost nothing and change nothing (PM-04).
export function checkPayload(p: unknown, persona?: string): Checked {
  const bad = (error: Refusal): Checked => ({ error, dropped: [] });
  if (!p || typeof p !== "object" || Array.isArray(p)) return bad("bad_message");
  const o = p as Record<string, unknown>;
  const locked = persona && MODES.includes(persona) ? persona : "";
  // Without a mode the channel's own persona applies (the loader sends none).
  const mode = o.mode === undefined ? locked || "public" : o.mode;
  if (typeof mode !== "string") return bad("bad_message");
  if (!MODES.includes(mode) || (locked && locked !== mode)) return bad("persona_not_allowed"); // the channel locks its mode
  if (o.locale !== undefined && (typeof o.locale !== "string" || !LOCALE.test(o.locale))) return bad("bad_message");
  if (o.direction !== undefined && o.direction !== "ltr" && o.direction !== "rtl") return bad("bad_message");
  const uid = o.user_id;
  const hasUser = uid !== undefined && uid !== null && uid !== "";
  if (mode === "customer" || mode === "employee") {
    if (!isPositiveInteger(uid)) return bad("invalid_user_id");
  } else if (hasUser && !(typeof uid === "string" && uid.length <= 128 && uid.trim()) && !isPositiveInteger(uid)) {
    return bad("invalid_user_id");
  }
  for (const k of ["require_user_id", "allow_generated_id"]) {
    if (o[k] !== undefined && typeof o[k] !== "boolean") return bad("bad_message");
  }
  // A host that says it requires a user id and sends none has lost its user.
  if (o.require_user_id === true && !hasUser) return bad("invalid_user_id");
  const out: EmbedConfig = { mode };
  for (const k of ["locale", "direction", "require_user_id", "allow_generated_id"] as const) {
    if (o[k] !== undefined) (out as any)[k] = o[k];
  }
  if (hasUser) out.user_id = String(uid);
  for (const k of ["identity_token", "assertion", "token"] as const) {
    const v = o[k];
    if (v === undefined || v === null || v === "") continue; // null: anonymous
    if (typeof v !== "string" || v.length > MAX_TOKEN) return bad("bad_message");
    out[k] = v;
  }
  const extra = presentation(o);
  return { config: Object.assign(out, extra.value), dropped: extra.dropped };
}

// validatePayload is checkPayload's config, or null when refused.
export function validatePayload(p: unknown, persona?: string): EmbedConfig | null {
  return checkPayload(p, persona).config || null;
}

// isPositiveInteger: 1 … 2^53, the server's range (identity.ValidPersonaUserID),
// as a number or as decimal digits (compared exactly, as a BigInt).
function isPositiveInteger(v: unknown): boolean {
  if (typeof v === "number") return Number.isSafeInteger(v) && v > 0;
  return typeof v === "string" && /^[1-9][0-9]{0,15}$/.test(v) && BigInt(v) <= 2n ** 53n;
}

// originAllowed applies the channel's allowed-origins policy to a sender.
// An empty list admits any http(s) origin only for a public channel without
// identity, and only for a config that claims no user_id.
export function originAllowed(origin: string, cfg: WidgetConfig, payload: unknown): boolean {
  if (!/^https?:\/\/[^/?#\s]+$/.test(origin)) return false; // also refuses "null"
  const list = Array.isArray(cfg.allowed_origins) ? cfg.allowed_origins : [];
  if (list.length > 0) return list.some((a) => typeof a === "string" && a.toLowerCase() === origin);
  const uid = payload && typeof payload === "object" ? (payload as Record<string, unknown>).user_id : undefined;
  const mode = cfg.identity?.mode || "none"; // the server treats an unset mode as none
  return cfg.persona === "public" && mode === "none" && (uid === undefined || uid === null || uid === "");
}

// urlConfig reads the URL fallback (PROTOCOL §3): mode, user_id,
// require_user_id, allow_generated_id, direction, locale (v is a cache
// buster). A user_id from the URL is a claim anyone can type, so it becomes a
// direct identity only when (1) the frame is framed — then the browser has
// enforced frame-ancestors, i.e. the embedding page is one of the channel's
// allowed origins — and (2) the channel identifies visitors by direct id
// (identity mode "direct", which the server also requires, with a non-empty
// allowed-origins list). Otherwise the id is ignored. A URL config the
// persona rules refuse (wrong mode, bad id) yields a guest in the channel's
// own mode, keeping the valid language and direction.
export function urlConfig(search: string, cfg: WidgetConfig, framed: boolean): EmbedConfig {
  const q = new URLSearchParams(search);
  const o: Record<string, unknown> = {};
  for (const k of ["mode", "locale", "direction"]) if (q.get(k)) o[k] = q.get(k);
  for (const k of ["require_user_id", "allow_generated_id"]) {
    const v = q.get(k);
    if (v === "true" || v === "false") o[k] = v === "true";
  }
  const direct = framed && cfg.identity?.mode === "direct" && Array.isArray(cfg.allowed_origins) && cfg.allowed_origins.length > 0;
  if (direct && q.get("user_id")) o.user_id = q.get("user_id");
  const checked = checkPayload(o, cfg.persona);
  if (checked.config) return checked.config;
  const persona = cfg.persona && MODES.includes(cfg.persona) ? cfg.persona : "public";
  const guest: EmbedConfig = { mode: persona };
  if (typeof o.locale === "string" && LOCALE.test(o.locale)) guest.locale = o.locale;
  if (o.direction === "rtl" || o.direction === "ltr") guest.direction = o.direction;
  return guest;
}

// Nonces holds the handshake nonce (PM-05): announced in chat-embed-ready,
// replaced by every ack, which names the next one. A config carrying any
// other nonce is stale and ignored; one carrying none is accepted (host
// scripts written to the plain PROTOCOL §3 contract know no nonces).
export class Nonces {
  current = fresh();
  accepts(n: unknown): boolean {
    return n === undefined || n === null || n === this.current;
  }
  rotate(): string {
    return (this.current = fresh());
  }
}

function fresh(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

export const nonces = new Nonces();

// readyMessage is the frame's announcement (PROTOCOL §3), asking its parent
// for a config that echoes nonce.
export function readyMessage(nonce: string) {
  return { type: "chat-embed-ready", version: 1, nonce };
}

// timing records the handshake for the latency report and the QA surface
// (performance.now() milliseconds; 0 = not yet).
export const timing = { ready: 0, readies: 0, config: 0 };

export interface Hooks {
  onConfig(c: EmbedConfig, origin: string, dropped: string[]): void;
  onParent(m: Record<string, unknown>): void;
  onRefused(reason: Refusal): void;
}

// handshake runs the protocol. It resolves with the first accepted config, or
// with the URL fallback (at once when not framed, after FALLBACK_MS
// otherwise). onConfig is called for every accepted config, including later
// ones: reopening the widget or logging a user in sends a fresh config that
// must be applied. onParent receives the loader's `docent:*` messages (token,
// logout) once the parent origin is verified, and only from it.
export function handshake(channel: Promise<WidgetConfig>, hooks: Hooks): Promise<HandshakeResult> {
  const parent = window.parent;
  const framed = parent !== window;
  const fallback = channel.then((cfg) => ({ config: urlConfig(location.search, cfg, framed), origin: null }));
  if (!framed) return fallback;
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
    const announce = () => {
      if (heard || timing.readies >= READY_TRIES) return clearInterval(ready);
      if (!timing.readies++) timing.ready = performance.now();
      parent.postMessage(readyMessage(nonces.current), "*");
    };
    const ready = setInterval(announce, READY_INTERVAL_MS);
    const timeout = setTimeout(() => fallback.then(settle), FALLBACK_MS);
    announce();
    addEventListener("message", async (e: MessageEvent) => {
      const m = e.data;
      if (!m || typeof m !== "object" || typeof m.type !== "string") return; // PM-04
      // PM-03: only our parent window; a sibling frame or popup on an allowed
      // origin is ignored whatever it sends.
      if (e.source !== parent) {
        if (m.type === "chat-embed-config") hooks.onRefused("not_parent");
        return;
      }
      if (m.type !== "chat-embed-config") {
        if (verified && e.origin === verified && m.type.startsWith("docent:")) hooks.onParent(m);
        return;
      }
      performance.mark("docent:config"); // user timing: a config arrived
      const cfg = await channel;
      // PM-01, PM-02: the parent cannot change origin, and must be allowed.
      if ((verified && e.origin !== verified) || !originAllowed(e.origin, cfg, m.payload)) return hooks.onRefused("origin_not_allowed");
      if (!nonces.accepts(m.nonce)) return hooks.onRefused("stale_nonce"); // PM-05
      heard = true;
      const checked = checkPayload(m.payload, cfg.persona);
      if (!checked.config) {
        hooks.onRefused(checked.error!);
        parent.postMessage({ type: "chat-embed-ack", ok: false, error: checked.error, nonce: nonces.rotate() }, e.origin);
        return;
      }
      if (!timing.config) timing.config = performance.now();
      verified = e.origin;
      hooks.onConfig(checked.config, e.origin, checked.dropped);
      settle({ config: checked.config, origin: e.origin });
    });
  });
}
