import { ApiError } from "../frame/api";
import { claims, credentialsOf, hasCredentials, identityOf, isTokenError, whoOf } from "../frame/identity";
import { Parent } from "../frame/parent";
import { eq, ok, pick, rng, test } from "./harness";

// jws builds an unsigned compact JWS with the given payload (the frame never
// verifies: it only reads whose credentials a config carries).
function jws(payload: unknown): string {
  const b64 = (s: string) =>
    btoa(String.fromCharCode(...new TextEncoder().encode(s))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  return b64('{"alg":"HS256"}') + "." + b64(JSON.stringify(payload)) + ".sig";
}

test("identity: claims reads a JWS payload without verifying, or gives {}", () => {
  eq(claims(jws({ sub: "alice", exp: 5 })), { sub: "alice", exp: 5 });
  eq(claims(jws({ user_id: "Zoë ☃" })), { user_id: "Zoë ☃" }); // UTF-8 and base64url
  for (const bad of ["", "abc", "a..c", "a.!!!.c", jws([1, 2]), jws("s"), jws(null)]) eq(claims(bad), {}, bad);
});

test("identity: whoOf tells users apart across credential kinds", () => {
  const alice = whoOf({ identity_token: jws({ user_id: "alice" }) });
  eq(alice, "v:alice");
  eq(whoOf({ assertion: jws({ sub: "alice", jti: "1" }) }), alice); // both verified namespaces
  eq(whoOf({ assertion: jws({ sub: "alice", jti: "2" }) }), alice); // a fresh assertion, same user
  eq(whoOf({ token: jws({ sub: "bob" }) }), "v:bob");
  eq(whoOf({ user_id: "alice" }), "d:alice"); // direct ids never equal verified ones
  eq(whoOf({}), "");
  eq(whoOf({ identity_token: "opaque" }), "v:opaque"); // unreadable: the token stands in
  eq(whoOf({ identity_token: jws({ sub: "mallory" }) }), "v:" + jws({ sub: "mallory" })); // identity tokens name user_id
});

test("identity: hasCredentials, isTokenError, identityOf", () => {
  eq([hasCredentials({}), hasCredentials({ token: "t" }), hasCredentials({ user_id: "1" })], [false, true, true]);
  eq(isTokenError(new ApiError(401, "token_expired")), true);
  eq(isTokenError(new ApiError(401, "invalid_token")), true);
  eq(isTokenError(new ApiError(401, "session_invalid")), false);
  eq(isTokenError(new ApiError(403, "invalid_token")), false);
  eq(isTokenError(new Error("invalid_token")), false);
  const of = (status?: string) => identityOf({ session_id: "s", identity: status === undefined ? undefined : { status } });
  eq([of("verified"), of("direct"), of("anonymous"), of("rejected"), of(), of("admin")], ["verified", "direct", "anonymous", "anonymous", "anonymous", "anonymous"]);
});

test("parent: one token request for concurrent needs, none without a verified origin (TX-06, PM-07)", async () => {
  const posted: [unknown, string][] = [];
  const g = globalThis as any;
  const saved = g.window;
  g.window = { parent: { postMessage: (m: unknown, o: string) => posted.push([m, o]) } };
  try {
    const p = new Parent();
    await p.requestToken(); // no origin yet: nothing posted, resolves at once
    p.post({ type: "docent:state" });
    eq(posted.length, 0);
    p.origin = "https://host.example";
    const waits = Array.from({ length: 20 }, () => p.requestToken());
    eq(posted, [[{ type: "docent:token-request" }, "https://host.example"]]);
    let done = 0;
    waits.forEach((w) => w.then(() => done++));
    p.tokenArrived();
    await Promise.all(waits);
    eq(done, 20);
    const again = p.requestToken(); // a later need asks again
    eq(posted.length, 2);
    p.tokenArrived();
    await again;
  } finally {
    g.window = saved;
  }
});

test("identity: credentialsOf keeps only identity fields", () => {
  eq(credentialsOf({ mode: "public", locale: "en", token: "t", user_id: "", identity_token: "i" } as any), { identity_token: "i", token: "t" });
});

test("identity: claims and whoOf never throw on hostile input (property)", () => {
  const r = rng(11);
  const parts = ["", ".", "..", "eyJ", "e30", "bnVsbA", "W10", "!!", "%%", "__proto__", "\u0000", "\ud800", "a".repeat(300)];
  for (let i = 0; i < 3000; i++) {
    const s = Array.from({ length: 1 + Math.floor(r() * 5) }, () => pick(r, parts)).join(pick(r, [".", "", "-", "_"]));
    const c = claims(s);
    ok(c && typeof c === "object" && !Array.isArray(c), "claims(" + JSON.stringify(s) + ") is not an object");
    const who = whoOf(pick(r, [{ identity_token: s }, { assertion: s }, { token: s }, { user_id: s }]));
    ok(typeof who === "string" && (s === "" ? who === "" : who.length > 2), "whoOf(" + JSON.stringify(s) + ") = " + who);
  }
  eq(({} as any).polluted, undefined);
  eq(claims("x." + btoa('{"__proto__":{"polluted":1}}').replace(/=+$/, "") + ".y").polluted, undefined);
});
