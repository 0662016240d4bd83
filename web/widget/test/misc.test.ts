import { hexColor, ink } from "../shared/color";
import { isRTL, pickLanguage, strings } from "../frame/i18n";
import { SessionStore } from "../frame/storage";
import { eq, ok, rng, test } from "./harness";

function luminance(hex: string): number {
  const n = parseInt(hex.slice(1), 16);
  return [16, 8, 0].reduce((sum, shift, i) => {
    const c = ((n >> shift) & 255) / 255;
    return sum + [0.2126, 0.7152, 0.0722][i] * (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  }, 0);
}

function contrast(a: string, b: string): number {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

test("color: hexColor validates and expands", () => {
  eq(hexColor("#ABC"), "#aabbcc");
  eq(hexColor("#1F5FBF"), "#1f5fbf");
  for (const bad of ["red", "#12345g", "#1234", "", null, 5, "#fff;}body{x:y", "url(x)"]) eq(hexColor(bad), "", String(bad));
});

test("color: ink always gives readable text (≥ 4.5:1)", () => {
  eq(ink("#ffffff"), "#000");
  eq(ink("#000000"), "#fff");
  eq(ink("#1f5fbf"), "#fff");
  eq(ink("#ffd400"), "#000");
  const r = rng(3);
  for (let i = 0; i < 2000; i++) {
    const c = "#" + Math.floor(r() * 0xffffff).toString(16).padStart(6, "0");
    const text = ink(c) === "#000" ? "#000000" : "#ffffff";
    ok(contrast(c, text) >= 4.5, `${c} with ${text}: ${contrast(c, text).toFixed(2)}`);
  }
});

test("i18n: language choice", () => {
  const cases: [string | null, string][] = [
    ["en-US", "en"],
    ["ES", "es"],
    ["fr-CA", "fr"],
    ["de", "de"],
    ["ru-RU", "ru"],
    ["ar-EG", "ar"],
    ["ja", "ja"],
    ["zh-TW", "zh-TW"],
    ["zh-Hans-CN", "zh-TW"],
    ["pt-BR", "en"],
    ["", "en"],
    [null, "en"],
  ];
  for (const [tag, want] of cases) eq(pickLanguage(tag), want, String(tag));
  eq([isRTL("ar"), isRTL("ar-EG"), isRTL("he"), isRTL("arn"), isRTL("en")], [true, true, true, false, false]);
});

test("i18n: every language has every string, with no unknown keys", () => {
  const keys = Object.keys(strings("en")).sort();
  for (const lang of ["es", "fr", "de", "ru", "ar", "ja", "zh-TW"]) {
    const t = strings(lang);
    eq(Object.keys(t).sort(), keys, lang);
    for (const k of keys) ok((t as any)[k].trim(), `${lang}.${k} empty`);
  }
  ok(strings("ja").send !== strings("en").send, "ja not applied");
});

// A localStorage that counts writes and can be blocked, as in third-party
// iframes with storage partitioning or private modes.
function fakeStorage(blocked = false) {
  const data = new Map<string, string>();
  const s = {
    writes: 0,
    getItem: (k: string) => {
      if (blocked) throw new Error("SecurityError");
      return data.get(k) ?? null;
    },
    setItem: (k: string, v: string) => {
      if (blocked) throw new Error("SecurityError");
      s.writes++;
      data.set(k, v);
    },
    removeItem: (k: string) => {
      if (blocked) throw new Error("SecurityError");
      data.delete(k);
    },
  };
  (globalThis as { localStorage?: unknown }).localStorage = s;
  return s;
}

test("storage: a resumed session is not written again; a new one is", () => {
  const ls = fakeStorage();
  const a = new SessionStore("demo");
  eq(a.get(), null);
  a.set("s1");
  eq(ls.writes, 1);
  const b = new SessionStore("demo"); // the next page load
  eq(b.get(), "s1");
  b.set("s1");
  eq(ls.writes, 1, "resuming the stored session wrote it again");
  b.set("s2");
  eq(ls.writes, 2);
  eq(new SessionStore("demo").get(), "s2");
  b.clear();
  eq(new SessionStore("demo").get(), null);
  b.set("s2"); // after clear it must be written again
  eq(new SessionStore("demo").get(), "s2");
  eq(new SessionStore("other").get(), null, "keys are per channel");
});

test("storage: blocked storage keeps the session in memory", () => {
  fakeStorage(true);
  const s = new SessionStore("demo");
  eq(s.get(), null);
  s.set("s1");
  eq(s.get(), "s1");
  s.clear();
  eq(s.get(), null);
  delete (globalThis as { localStorage?: unknown }).localStorage;
});
