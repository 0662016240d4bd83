// The plain tree the Markdown renderer produces, and the URL policy shared by
// the block and inline parsers. Keeping the tree DOM-free lets the parsers be
// tested outside a browser.

export interface MdElement {
  tag: string;
  attrs?: Record<string, string>;
  children: MdNode[];
}

// A string is a text node.
export type MdNode = string | MdElement;

export const MAX_DEPTH = 12; // nesting bound for quotes, lists and emphasis
export const LINK_REL = "noopener noreferrer nofollow";

export function el(tag: string, children: MdNode[] = [], attrs?: Record<string, string>): MdElement {
  return attrs ? { tag, attrs, children } : { tag, children };
}

// safeURL returns the normalised URL if it is http, https or mailto, else "".
// Everything else (javascript:, data:, relative paths, protocol-relative
// URLs) is refused.
export function safeURL(raw: string): string {
  const s = raw.trim();
  if (!/^(https?:\/\/|mailto:)/i.test(s) || /[\s\0-\x1f\x7f]/.test(s)) return "";
  try {
    const u = new URL(s);
    return u.protocol === "http:" || u.protocol === "https:" || u.protocol === "mailto:" ? u.href : "";
  } catch {
    return "";
  }
}

// link builds an anchor; its title shows the full destination, so link text
// cannot hide where a link goes (PI-03).
export function link(href: string, children: MdNode[]): MdElement {
  return el("a", children, { href, title: href, rel: LINK_REL, target: "_blank" });
}
