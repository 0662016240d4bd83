// A minimal stand-in for the DOM methods toDOM uses, so its output can be
// checked under node and serialised to compact HTML.

export class FakeNode {
  children: FakeNode[] = [];
  attrs = new Map<string, string>();
  constructor(
    readonly tag: string | null, // null: a text node
    readonly text = "",
  ) {}
  append(...nodes: FakeNode[]) {
    for (const n of nodes) {
      if (n.tag === "#fragment") this.children.push(...n.children);
      else this.children.push(n);
    }
  }
  setAttribute(k: string, v: string) {
    this.attrs.set(k, v);
  }
}

export const fakeDocument = {
  createElement: (tag: string) => new FakeNode(tag),
  createTextNode: (text: string) => new FakeNode(null, text),
  createDocumentFragment: () => new FakeNode("#fragment"),
} as unknown as Document;

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

export function html(n: FakeNode): string {
  if (n.tag === null) return esc(n.text);
  const inner = n.children.map(html).join("");
  if (n.tag === "#fragment") return inner;
  const attrs = Array.from(n.attrs, ([k, v]) => ` ${k}="${esc(v)}"`).join("");
  return n.tag === "br" || n.tag === "hr" ? `<${n.tag}${attrs}>` : `<${n.tag}${attrs}>${inner}</${n.tag}>`;
}

// walk visits every element node.
export function walk(n: FakeNode, visit: (e: FakeNode) => void) {
  if (n.tag !== null && n.tag !== "#fragment") visit(n);
  n.children.forEach((c) => walk(c, visit));
}
