// The few browser globals the loader's option and style modules touch at
// load time and in cssColor, for node: no script tag, a page at
// https://shop.example/, and a canvas 2D context that parses colours the way
// browsers do for the values the tests use (a stand-in for the browser, not
// for our code). Imported before loader.test so it runs first.

const NAMED: Record<string, string> = { green: "#008000", white: "#ffffff", black: "#000000", rebeccapurple: "#663399" };

function parse(v: unknown): string | null {
  if (typeof v !== "string") return null;
  const c = v.trim().toLowerCase();
  if (NAMED[c]) return NAMED[c];
  if (/^#[0-9a-f]{6}$/.test(c)) return c;
  if (/^#[0-9a-f]{3}$/.test(c)) return c.replace(/\w/g, "$&$&");
  if (/^#[0-9a-f]{4}$/.test(c)) return "rgba(0, 0, 0, 0)"; // translucent
  const m = /^rgb\((\d+), ?(\d+), ?(\d+)\)$/.exec(c);
  if (m) return "#" + m.slice(1).map((n) => (+n).toString(16).padStart(2, "0")).join("");
  return null;
}

class Context2D {
  private fill = "#000000";
  get fillStyle() {
    return this.fill;
  }
  set fillStyle(v: string) {
    const p = parse(v);
    if (p) this.fill = p; // canvas ignores what it cannot parse
  }
}

const g = globalThis as any;
g.location ||= { href: "https://shop.example/page", origin: "https://shop.example" };
g.document ||= {
  currentScript: null,
  querySelectorAll: () => [],
  createElement: () => ({ getContext: () => new Context2D() }),
};
g.Element ||= class {}; // an inline target may be an element
