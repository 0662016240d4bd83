// Identity bookkeeping of the frame (PROTOCOL §6): whose credentials a config
// carries, which server errors mean "the exchange token needs a refresh", and
// how a session response's identity is reported. Nothing here verifies
// anything: the server does. The frame only needs to tell configs for the
// same user (a reopen, a duplicate handshake answer, a refreshed token) from
// configs for another user (log in, switch user), which must open a fresh
// session and hide every message of the previous one.

import { ApiError } from "./api";
import type { Credentials } from "./handshake";
import type { SessionResponse } from "./types";

// claims decodes a compact JWS payload WITHOUT verifying it, or returns {}.
export function claims(jws: string): Record<string, unknown> {
  try {
    const part = jws.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    const v = JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(part), (ch) => ch.charCodeAt(0))));
    return v && typeof v === "object" && !Array.isArray(v) ? v : {};
  } catch {
    return {};
  }
}

// whoOf names the user a set of credentials claims to be: "v:ID" for
// verified credentials (identity token user_id, assertion or exchange token
// sub), "d:ID" for a direct id, "" for none. When a token's payload cannot be
// read, the token itself stands in (a different token is then a different
// user, which costs a re-initialisation but never mixes two users).
export function whoOf(c: Credentials): string {
  const jws = c.identity_token || c.assertion || c.token;
  if (jws) {
    const p = claims(jws);
    const id = c.identity_token ? p.user_id : p.sub;
    return "v:" + (typeof id === "string" && id ? id : jws);
  }
  return c.user_id ? "d:" + c.user_id : "";
}

// hasCredentials reports whether a config carries any identity at all. A
// config without one (a reopen) leaves the current identity alone; only
// logout turns an identified visitor into a guest.
export function hasCredentials(c: Credentials): boolean {
  return !!(c.identity_token || c.assertion || c.token || c.user_id);
}

// credentialsOf keeps only the identity fields of a config.
export function credentialsOf(c: Credentials): Credentials {
  const out: Credentials = {};
  for (const k of ["identity_token", "assertion", "token", "user_id"] as const) if (c[k]) out[k] = c[k];
  return out;
}

// credentialString is the credential itself, to tell a retry with the same
// one from a new one for the same user.
export function credentialString(c: Credentials): string {
  return c.identity_token || c.assertion || c.token || c.user_id || "";
}

// isTokenError: the exchange token was refused (PROTOCOL §6.4) and a fresh
// one from the host's fetchToken() may fix it.
export function isTokenError(e: unknown): boolean {
  return e instanceof ApiError && e.status === 401 && (e.code === "token_expired" || e.code === "invalid_token");
}

// identityOf is the identity a session response grants: "verified" or
// "direct", otherwise "anonymous" (including a rejected credential).
export function identityOf(res: SessionResponse): string {
  const s = res.identity?.status;
  return s === "verified" || s === "direct" ? s : "anonymous";
}

// refreshDelay is how long the frame waits before asking its parent for a
// fresh exchange token (PROTOCOL §6.4): about 60 s before the token's exp,
// half its remaining life when that is shorter, and never under a second
// (null: no proactive refresh; a refused request still asks), so a host
// whose fetchToken() returns stale tokens cannot make a loop. The payload
// is read, not verified: the server does that.
export function refreshDelay(token: string, now = Date.now()): number | null {
  const exp = claims(token).exp;
  if (typeof exp !== "number" || !isFinite(exp)) return null;
  const left = exp * 1e3 - now;
  const wait = left - 6e4 >= 1e3 ? left - 6e4 : left / 2;
  return wait >= 1e3 ? wait : null;
}
