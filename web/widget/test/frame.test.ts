// Unit tests of the frame's issue-4 logic: persona refusals with error codes,
// the loader's payload additions, the URL fallback's direct-id rule, the
// PM-05 nonce, sentence announcements, and complete UI strings.
import { sentenceEnd, plain } from "../frame/announce";
import { checkPayload, Nonces, urlConfig } from "../frame/handshake";
import { LANGUAGES, missingKeys, pickLanguage } from "../frame/i18n";
import { presentation } from "../frame/options";
import type { WidgetConfig } from "../frame/types";
import { eq, ok, test } from "./harness";

test("handshake: refusals name their reason (ack ok:false)", () => {
  const cases: [unknown, string | undefined, string][] = [
    ["x", undefined, "bad_message"],
    [{ mode: 5 }, undefined, "bad_message"],
    [{ mode: "public" }, "customer", "persona_not_allowed"],
    [{ mode: "admin" }, undefined, "persona_not_allowed"],
    [{ mode: "employee", user_id: "12ab" }, "employee", "invalid_user_id"],
    [{ mode: "customer" }, "customer", "invalid_user_id"],
    [{ mode: "public", user_id: "   " }, "public", "invalid_user_id"],
    [{ direction: "diagonal" }, undefined, "bad_message"],
    [{ mode: "test", require_user_id: true }, "test", "invalid_user_id"],
  ];
  for (const [p, persona, want] of cases) eq(checkPayload(p, persona).error, want, JSON.stringify(p));
});

test("handshake: loader additions are validated one by one, invalid ones dropped", () => {
  const r = checkPayload({
    title: "  Help <b>desk</b> ",
    greeting: "Hi!\nAsk me anything.",
    accent: "green",
    theme_mode: "dark",
    agent_id: "agent-1",
    contact_id: "crm:42",
    thread_id: "A".repeat(43),
    inline: true,
    focus: false,
  });
  eq(r.dropped, []);
  eq(r.config, {
    mode: "public",
    title: "Help <b>desk</b>",
    greeting: "Hi!\nAsk me anything.",
    accent: "green",
    theme_mode: "dark",
    agent_id: "agent-1",
    contact_id: "crm:42",
    thread_id: "A".repeat(43),
    inline: true,
    focus: false,
  });
  const bad = presentation({
    title: "x".repeat(121),
    greeting: "x".repeat(1001),
    accent: "red;}body{x:y",
    theme_mode: "sepia",
    agent_id: "../etc",
    contact_id: "a\u0000b",
    thread_id: "short",
    inline: "yes",
    focus: 1,
  });
  eq(bad.value, {});
  eq(bad.dropped, ["title", "greeting", "accent", "theme_mode", "agent_id", "contact_id", "thread_id", "inline", "focus"]);
  eq(presentation({ title: null, greeting: "", accent: undefined }), { value: {}, dropped: [] });
  const proto = JSON.parse('{"__proto__":{"title":"x"},"mode":"public"}');
  eq(presentation(proto).value, {});
});

test("handshake: a URL user_id is a direct identity only when framed on a direct-id channel", () => {
  const direct: WidgetConfig = { persona: "customer", identity: { mode: "direct" }, allowed_origins: ["https://shop.example"] };
  const q = "?mode=customer&user_id=12345&require_user_id=true&allow_generated_id=false&direction=ltr&v=1";
  eq(urlConfig(q, direct, true), { mode: "customer", direction: "ltr", require_user_id: true, allow_generated_id: false, user_id: "12345" });
  eq(urlConfig(q, direct, false).user_id, undefined); // opened top-level: anyone could type it
  eq(urlConfig(q, { ...direct, identity: { mode: "signed" } }, true).user_id, undefined);
  eq(urlConfig(q, { ...direct, allowed_origins: [] }, true).user_id, undefined);
  eq(urlConfig("?mode=customer&user_id=-4", direct, true), { mode: "customer" }); // invalid id: a guest
});

test("handshake: nonces (PM-05)", () => {
  const n = new Nonces();
  const first = n.current;
  ok(/^[0-9a-f]{32}$/.test(first), "a 128-bit hex nonce");
  ok(n.accepts(first) && n.accepts(undefined) && n.accepts(null), "current or none");
  const next = n.rotate();
  ok(next !== first && n.current === next, "rotated");
  ok(!n.accepts(first) && !n.accepts("") && !n.accepts(7), "stale refused");
});

test("announce: sentence ends", () => {
  eq(sentenceEnd("Hello there. How"), 13);
  eq(sentenceEnd("Version 3.5 is"), 0); // no space after the dot: not a sentence end
  eq(sentenceEnd("Done!"), 0); // the stream may go on
  eq(sentenceEnd("こんにちは。元気"), 6);
  eq(sentenceEnd("مرحبا؟ كيف"), 7);
  eq(plain("See **[the docs](https://x.example)** and `code`."), "See the docs and code.");
});

test("i18n: every shipped language is complete", () => {
  eq(LANGUAGES.length, 8);
  for (const [tag] of LANGUAGES) eq(missingKeys(tag), [], tag);
  eq(pickLanguage("zh-Hant-HK"), "zh-TW");
  eq(pickLanguage("ar-EG"), "ar");
  eq(pickLanguage("pt-BR"), "en");
});

test("telemetry: batched, bounded, numbers only", async () => {
  const g = globalThis as any;
  const sent: string[] = [];
  const saved = { fetch: g.fetch, add: g.addEventListener };
  g.addEventListener = () => {};
  g.fetch = (_: string, init: RequestInit) => (sent.push(String(init.body)), Promise.resolve(new Response(null, { status: 204 })));
  try {
    const { Telemetry } = await import("../frame/telemetry");
    const t = new Telemetry();
    t.flush();
    eq(sent.length, 0); // nothing to report: no request
    t.handshake(37.46);
    for (let i = 0; i < 1500; i++) t.refuse("stale_nonce");
    t.refuse("not_parent");
    t.flush();
    eq(sent, ['{"handshake_ms":37.5,"refused":{"stale_nonce":1000,"not_parent":1}}']);
    for (let i = 0; i < 10; i++) {
      t.refuse("bad_message");
      t.flush();
    }
    eq(sent.length, 5); // at most five reports per frame, however hostile the page
  } finally {
    g.fetch = saved.fetch;
    g.addEventListener = saved.add;
  }
});
