import { originAllowed, urlConfig, validatePayload } from "../frame/handshake";
import type { WidgetConfig } from "../frame/types";
import { eq, test } from "./harness";

test("handshake: validatePayload accepts valid configs", () => {
  eq(validatePayload({ mode: "public", locale: "en-US", direction: "rtl" }), { mode: "public", locale: "en-US", direction: "rtl" });
  eq(validatePayload({}), { mode: "public" });
  eq(validatePayload({ mode: "customer", user_id: 42 }, "customer"), { mode: "customer", user_id: "42" });
  eq(validatePayload({ mode: "customer", user_id: "9007199254740992" }, "customer"), { mode: "customer", user_id: "9007199254740992" }); // 2^53
  eq(validatePayload({ mode: "employee", user_id: "7", require_user_id: true }), { mode: "employee", require_user_id: true, user_id: "7" });
  eq(validatePayload({ mode: "test", user_id: "fp-abc" }, "test"), { mode: "test", user_id: "fp-abc" });
  eq(validatePayload({ mode: "public", identity_token: "a.b.c", token: null }), { mode: "public", identity_token: "a.b.c" });
  eq(validatePayload({ identity_token: null, assertion: "", token: "t.u.v" }), { mode: "public", token: "t.u.v" });
});

test("handshake: without a mode, the channel's persona applies", () => {
  eq(validatePayload({ user_id: "9" }, "customer"), { mode: "customer", user_id: "9" });
  eq(validatePayload({}, "customer"), null); // customer needs a user_id
  eq(validatePayload({ assertion: "x.y.z" }, "test"), { mode: "test", assertion: "x.y.z" });
  eq(validatePayload({}, "unknown-persona"), { mode: "public" });
});

test("handshake: validatePayload refuses invalid configs (PM-04)", () => {
  const bad: [unknown, string?][] = [
    [null],
    ["public"],
    [[{ mode: "public" }]],
    [{ mode: "admin" }],
    [{ mode: 1 }],
    [{ mode: "public" }, "customer"], // the channel's persona locks the mode
    [{ mode: "customer" }], // user_id required
    [{ mode: "customer", user_id: 0 }],
    [{ mode: "customer", user_id: -3 }],
    [{ mode: "customer", user_id: 1.5 }],
    [{ mode: "customer", user_id: "abc" }],
    [{ mode: "customer", user_id: "9007199254740993" }], // above 2^53: the server refuses it
    [{ mode: "customer", user_id: "9999999999999999" }],
    [{ mode: "customer", user_id: "007" }],
    [{ mode: "public", user_id: { id: 1 } }],
    [{ mode: "public", user_id: "x".repeat(129) }],
    [{ locale: "en_US" }],
    [{ locale: "<script>" }],
    [{ locale: 5 }],
    [{ direction: "up" }],
    [{ identity_token: 5 }],
    [{ assertion: "x".repeat(9000) }],
    [{ token: ["a"] }],
    [{ require_user_id: "yes" }],
    [{ allow_generated_id: 1 }],
  ];
  for (const [p, persona] of bad) eq(validatePayload(p, persona), null, JSON.stringify(p));
});

test("handshake: a __proto__ key pollutes nothing (PM-04)", () => {
  const p = JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"mode":"public"}');
  eq(validatePayload(p), { mode: "public" });
  eq(({} as any).polluted, undefined);
});

test("handshake: origin allowlist is an exact match (PM-02)", () => {
  const cfg: WidgetConfig = { allowed_origins: ["https://example.com", "https://SHOP.example"], persona: "public", identity: { mode: "none" } };
  const cases: [string, boolean][] = [
    ["https://example.com", true],
    ["https://shop.example", true],
    ["https://example.com.evil.net", false],
    ["https://evilexample.com", false],
    ["http://example.com", false],
    ["https://example.com:8443", false],
    ["https://example.com/", false],
    ["null", false],
    ["", false],
  ];
  for (const [origin, want] of cases) eq(originAllowed(origin, cfg, {}), want, origin);
});

test("handshake: empty allowlist admits any origin only for public, identity-less channels without user_id", () => {
  const open: WidgetConfig = { allowed_origins: [], persona: "public", identity: { mode: "none" } };
  eq(originAllowed("https://any.example", open, {}), true);
  eq(originAllowed("http://localhost:8080", open, { mode: "public" }), true);
  eq(originAllowed("https://any.example", open, { user_id: "42" }), false);
  eq(originAllowed("null", open, {}), false);
  eq(originAllowed("https://any.example", { ...open, persona: "customer" }, {}), false);
  eq(originAllowed("https://any.example", { ...open, identity: { mode: "signed" } }, {}), false);
  eq(originAllowed("https://any.example", { persona: "public" }, {}), true); // unset identity mode = none
  eq(originAllowed("https://any.example", {}, {}), false); // config.json failed to load: fail closed
});

test("handshake: URL fallback parameters are validated", () => {
  const open: WidgetConfig = { persona: "test", identity: { mode: "none" } };
  eq(urlConfig("?mode=test&locale=ar&direction=rtl&v=3", open, true), { mode: "test", locale: "ar", direction: "rtl" });
  eq(urlConfig("?mode=root&locale=%3Cx%3E&direction=sideways", {}, true), { mode: "public" });
  eq(urlConfig("", {}, true), { mode: "public" });
  eq(urlConfig("", { persona: "customer" }, true), { mode: "customer" }); // the channel's persona by default
  eq(urlConfig("?mode=test&locale=de", { persona: "customer" }, true), { mode: "customer", locale: "de" }); // wrong mode: a guest
});
