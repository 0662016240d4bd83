// Unit tests of the loader's option handling (precedence, validation), its
// stylesheet values, and the frame's exchange-token refresh timing. The
// browser behaviour (embedding, API, callbacks) is tested in e2e/embed_*.
import "./loaderenv";
import { combine, merge } from "../loader/options";
import { css } from "../loader/style";
import { cssColor } from "../shared/color";
import { icon } from "../loader/icon";
import { FakeNode } from "./fakedom";
import { refreshDelay } from "../frame/identity";
import { eq, ok, test } from "./harness";

test("loader: merge gives the later source precedence, never erases, copies", () => {
  const boot = { key: "demo", appearance: { title: "Docs", theme: { baseColor: "#111111" } } };
  const init = { appearance: { title: "Help", position: "bottom-left", theme: undefined }, locale: undefined };
  const got: any = merge(boot, init);
  eq(got, { key: "demo", appearance: { title: "Help", theme: { baseColor: "#111111" }, position: "bottom-left" } });
  // The overriding source (a host's DocentConfig or init options) is copied,
  // so validation may delete from the result without touching the host's.
  const host = { appearance: { theme: { baseColor: "bad" } } };
  const mine: any = merge({}, host);
  delete mine.appearance.theme.baseColor;
  eq(host.appearance.theme.baseColor, "bad", "merge must copy the overriding source's objects");
  const el = { nodeType: 1 }; // DOM nodes (an inline target) are kept as they are
  eq((merge({}, { target: el }) as any).target === el, true);
  // Objects without Object's prototype (or from another frame) are copied too.
  const bare = Object.assign(Object.create(null), { position: "middle" });
  const copied: any = merge({}, { appearance: bare });
  delete copied.appearance.position;
  eq(bare.position, "middle", "merge must copy a prototype-less object");
});

test("loader: combine drops invalid values and names each one", () => {
  const cases: [string, any, boolean][] = [
    ["mode", "inline", true],
    ["mode", "popup", false],
    ["locale", "ar-EG", true],
    ["locale", "en_US!", false],
    ["appearance.position", "bottom-left", true],
    ["appearance.position", "top-left", false],
    ["appearance.zIndex", 9999, true],
    ["appearance.zIndex", -1, false],
    ["appearance.zIndex", "1;}*{x:y", false],
    ["appearance.offset.x", 24, true],
    ["appearance.offset.y", 1e6, false],
    ["appearance.offset.y", 2.5, false],
    ["appearance.theme.baseColor", "green", true],
    ["appearance.theme.baseColor", "#0a0", true],
    ["appearance.theme.baseColor", "#0a08", false], // translucent: no readable text guaranteed
    ["appearance.theme.baseColor", "red;}body{display:none", false],
    ["appearance.theme.baseColor", "var(--x)", false],
    ["appearance.launcher.iconUrl", "https://cdn.example/i.png", true],
    ["appearance.launcher.iconUrl", "/icon.png", true], // the host page's own origin
    ["appearance.launcher.iconUrl", "http://cdn.example/i.png", false],
    ["appearance.launcher.iconUrl", "javascript:alert(1)", false],
    ["appearance.launcher.iconUrl", "http://[", false],
    ["onError", () => {}, true],
    ["onStateChange", "alert(1)", false],
    ["direction", "rtl", true],
    ["direction", "right-to-left", false],
    ["openOnInit", true, true],
    ["openOnInit", "yes", false],
    ["target", "chat-box", true],
    ["target", 42, false], // neither an element id nor an element
  ];
  for (const [path, value, valid] of cases) {
    const o: any = {};
    const keys = path.split(".");
    const last = keys.pop()!;
    keys.reduce((p, k) => (p[k] = {}), o)[last] = value;
    const bad: string[] = [];
    const got: any = combine([o], (p) => bad.push(p));
    const kept = keys.reduce((p, k) => p?.[k], got)?.[last];
    eq(bad, valid ? [] : [path], `${path} = ${String(value)}`);
    ok(valid ? kept === value : kept === undefined, `${path} = ${String(value)} kept as ${String(kept)}`);
  }
});

test("loader: an invalid override falls back to the published value", () => {
  const init: any = { appearance: { position: "middle", theme: { baseColor: "not-a-colour" } } };
  const got = combine([init], () => {});
  eq(merge({ position: "bottom-left", theme: { baseColor: "#123456" } }, got.appearance), {
    position: "bottom-left",
    theme: { baseColor: "#123456" },
  });
  eq(init.appearance.position, "middle", "the host's own object is left as it was");
});

test("loader: an invalid value gives way to a lower source's valid one", () => {
  const bad: string[] = [];
  const tag = { appearance: { position: "bottom-left" }, locale: "fr" };
  const config = { locale: "fr_FR!" };
  const init = { appearance: { position: "middle" }, direction: "sideways" };
  eq(combine([tag, config, init], (p) => bad.push(p)), { appearance: { position: "bottom-left" }, locale: "fr" });
  eq(bad, ["locale", "direction", "appearance.position"]);
});

test("loader: synonyms are folded per source, so the higher source wins", () => {
  const cases: [string, any[], any][] = [
    ["init widgetKey over the tag's ?key=", [{ key: "a" }, {}, { widgetKey: "b" }], { key: "b" }],
    ["DocentConfig botId over data-key", [{ key: "a" }, { botId: "c" }], { key: "c" }],
    ["key over widgetKey in one source", [{ key: "a", widgetKey: "b" }], { key: "a" }],
    ["init host over data-server", [{ server: "https://a.example" }, { host: "https://b.example" }], { apiRoot: "https://b.example" }],
    ["apiRoot over host in one source", [{ apiRoot: "https://a.example", host: "https://b.example" }], { apiRoot: "https://a.example" }],
  ];
  for (const [name, list, want] of cases) {
    const got: any = combine(list, () => {});
    eq({ key: got.key, apiRoot: got.apiRoot }, { key: undefined, apiRoot: undefined, ...want }, name);
  }
});

test("loader: stylesheet values come only from validated numbers and colours", () => {
  const s = css({ position: "bottom-left", offset: { x: 24, y: 30 }, zIndex: 9999, theme: { baseColor: "green" } }, true);
  ok(s.includes("--a:#008000;--i:#fff;--z:9999"), s);
  ok(s.includes("button,iframe{left:24px}") && s.includes("bottom:calc(30px + env(safe-area-inset-bottom))"), s);
  const d = css({ offset: { x: "x" as any }, zIndex: -5, theme: { baseColor: "}*{color:red" } }, false);
  ok(d.includes("--a:#1f5fbf") && d.includes("right:20px") && !d.includes("color:red"), d);
  ok(/100dvh/.test(d), "narrow viewports use the dynamic viewport height");
});

test("color: cssColor accepts hex and named colours, refuses the rest", () => {
  eq(cssColor("green"), "#008000");
  eq(cssColor("#ABC"), "#aabbcc");
  eq(cssColor("rgb(1, 2, 3)"), "#010203");
  for (const bad of ["", "nope", "#12", "#0008", null, 5, {}, "green;x"]) eq(cssColor(bad), "", String(bad));
});

test("color: cssColor needs no canvas for #rrggbb or no colour (G3)", () => {
  const g = globalThis as any;
  const create = g.document.createElement;
  let canvases = 0;
  g.document.createElement = (tag: string) => (canvases++, create(tag));
  try {
    eq([cssColor("#1F5FBF"), cssColor(""), cssColor(undefined), cssColor(null)], ["#1f5fbf", "", "", ""]);
    eq(canvases, 0, "canvases for hex and empty colours");
    eq([cssColor("#f60"), cssColor("green"), cssColor("#12345g")], ["#ff6600", "#008000", ""]);
    eq(canvases, 3, "the rest is parsed by a canvas");
    eq(cssColor(["#ABCDEF"]), "#abcdef", "read as text, as the canvas reads it");
  } finally {
    g.document.createElement = create;
  }
});

test("loader: the launcher icon is a span, after an image only for a usable iconUrl", () => {
  const g = globalThis as any;
  const create = g.document.createElement;
  g.document.createElement = (tag: string) => new FakeNode(tag);
  try {
    for (const [url, want] of [
      [undefined, ["span"]],
      ["", ["span"]], // config.json's "no icon": not an image of the page itself
      ["javascript:alert(1)", ["span"]],
      ["https://cdn.example/i.png", ["img", "span"]],
      ["/icon.png", ["img", "span"]],
    ] as [unknown, string[]][]) {
      const launcher = new FakeNode("button");
      icon(launcher as unknown as HTMLElement, url, "Ask");
      eq(
        launcher.children.map((c) => c.tag),
        want,
        String(url),
      );
    }
  } finally {
    g.document.createElement = create;
  }
});

test("frame: exchange token refresh is scheduled ~60 s before exp, never under 1 s", () => {
  const now = 1_700_000_000_000;
  const jwt = (exp: unknown) => "h." + btoa(JSON.stringify({ sub: "alice", exp })).replace(/=+$/, "") + ".s";
  eq(refreshDelay(jwt(now / 1e3 + 64), now), 4000);
  eq(refreshDelay(jwt(now / 1e3 + 600), now), 540000);
  eq(refreshDelay(jwt(now / 1e3 + 30), now), 15000); // shorter than a minute: half its life
  eq(refreshDelay(jwt(now / 1e3 + 1.5), now), null); // under a second: no timer, no loop
  eq(refreshDelay(jwt(now / 1e3 - 10), now), null); // already expired
  eq(refreshDelay(jwt("soon"), now), null);
  eq(refreshDelay("not-a-jwt", now), null);
});
