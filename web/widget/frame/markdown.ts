// A small, safe Markdown renderer for assistant and agent messages. Model and
// knowledge-base text is untrusted (SECURITY.md T20, T21, PI-03, PI-04), so:
// raw HTML is never interpreted (it stays literal text); links are kept only
// for http, https and mailto URLs and always open with
// rel="noopener noreferrer nofollow"; images are never loaded (their alt text
// becomes a link to the URL); and the DOM is built with createElement and
// text nodes only, from a plain tree that toDOM checks against an allowlist.
//
// Supported: paragraphs (line breaks kept), ATX headings, bullet and numbered
// lists (nested by indentation), block quotes, fenced code, rules, GFM tables,
// inline code, bold, italic, strikethrough, links, <autolinks> and bare URLs.

import { el, LINK_REL, MAX_DEPTH, MdElement, MdNode, safeURL } from "./md-tree";
import { parseInline } from "./markdown-inline";

export type { MdElement, MdNode };
export { parseInline, safeURL };

const LIST_ITEM = /^( *)([-*+]|\d{1,9}[.)])(?:[ \t]+(.*))?$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+|$)(.*)$/;
const RULE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const QUOTE = /^ {0,3}>/;
const TABLE_DIVIDER = /^ *\|? *:?-+:? *(\| *:?-+:? *)*\|? *$/;

const isBlank = (line: string) => line.trim() === "";

// parseMarkdown turns Markdown source into a tree of block nodes.
export function parseMarkdown(src: string): MdNode[] {
  return blocks(src.replace(/\r\n?/g, "\n").split("\n"), 0);
}

function blocks(lines: string[], depth: number): MdNode[] {
  const out: MdNode[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (isBlank(line)) {
      i++;
      continue;
    }
    if (depth >= MAX_DEPTH) {
      out.push(el("p", [lines.slice(i).join("\n")]));
      break;
    }
    const fence = FENCE.exec(line);
    if (fence && !(fence[1][0] === "`" && fence[2].includes("`"))) {
      const body: string[] = [];
      i++;
      while (i < lines.length && !closesFence(lines[i], fence[1])) body.push(lines[i++]);
      i++; // the closing fence, if any
      out.push(el("pre", [el("code", [body.join("\n")])]));
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      // Headings inside a chat bubble sit below the frame's own h1.
      const text = heading[2].replace(/(?:^|[ \t]+)#+[ \t]*$/, "").trim(); // optional closing #s
      out.push(el("h" + Math.min(heading[1].length + 2, 6), inline(text, depth)));
      i++;
      continue;
    }
    if (RULE.test(line)) {
      out.push(el("hr"));
      i++;
      continue;
    }
    if (QUOTE.test(line)) {
      const body: string[] = [];
      while (i < lines.length && QUOTE.test(lines[i])) body.push(lines[i++].replace(/^ {0,3}> ?/, ""));
      out.push(el("blockquote", blocks(body, depth + 1)));
      continue;
    }
    if (LIST_ITEM.test(line)) {
      i = list(lines, i, depth, out);
      continue;
    }
    if (i + 1 < lines.length && line.includes("|") && TABLE_DIVIDER.test(lines[i + 1])) {
      i = table(lines, i, depth, out);
      continue;
    }
    const para = [line.trim()];
    i++;
    while (i < lines.length && !isBlank(lines[i]) && !startsBlock(lines[i])) para.push(lines[i++].trim());
    out.push(el("p", inline(para.join("\n"), depth)));
  }
  return out;
}

function closesFence(line: string, open: string): boolean {
  const m = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line);
  return !!m && m[1][0] === open[0] && m[1].length >= open.length;
}

// startsBlock tells whether a line interrupts a paragraph.
function startsBlock(line: string): boolean {
  return FENCE.test(line) || HEADING.test(line) || RULE.test(line) || QUOTE.test(line) || LIST_ITEM.test(line);
}

// list parses one list starting at lines[start] and returns the index after it.
// Items are split by their marker's indentation; each item's lines (with that
// indentation removed) are parsed as blocks, which yields nested lists.
function list(lines: string[], start: number, depth: number, out: MdNode[]): number {
  const first = LIST_ITEM.exec(lines[start])!;
  const indent = first[1].length;
  const ordered = /\d/.test(first[2]);
  const attrs = ordered && parseInt(first[2], 10) !== 1 ? { start: String(parseInt(first[2], 10)) } : undefined;
  const node = el(ordered ? "ol" : "ul", [], attrs);
  let item: string[] | null = null;
  let contentIndent = 0;
  let i = start;
  const flush = () => item && node.children.push(listItem(item, depth));
  for (; i < lines.length; i++) {
    const line = lines[i];
    const m = LIST_ITEM.exec(line);
    if (m && m[1].length <= indent && !RULE.test(line)) {
      if (m[1].length < indent || /\d/.test(m[2]) !== ordered) break;
      flush();
      item = [m[3] || ""];
      contentIndent = m[1].length + m[2].length + 1;
      continue;
    }
    if (isBlank(line)) {
      // A blank line continues the list only if indented content or another item follows.
      const next = lines.slice(i + 1).find((l) => !isBlank(l));
      if (next === undefined || leading(next) <= indent && !LIST_ITEM.test(next)) break;
      item!.push("");
      continue;
    }
    if (leading(line) > indent) {
      item!.push(line.slice(Math.min(leading(line), contentIndent)));
      continue;
    }
    // An unindented line right after item text is a lazy continuation.
    if (isBlank(item![item!.length - 1]) || startsBlock(line)) break;
    item!.push(line.trim());
  }
  flush();
  out.push(node);
  return i;
}

function leading(line: string): number {
  return line.length - line.replace(/^ +/, "").length;
}

// listItem unwraps a leading paragraph so tight lists render without <p>.
function listItem(lines: string[], depth: number): MdElement {
  const body = blocks(lines, depth + 1);
  const head = body[0];
  if (head && typeof head !== "string" && head.tag === "p") body.splice(0, 1, ...head.children);
  return el("li", body);
}

function table(lines: string[], start: number, depth: number, out: MdNode[]): number {
  const head = el("tr", cells(lines[start]).map((c) => el("th", inline(c, depth))));
  const body: MdNode[] = [];
  let i = start + 2;
  for (; i < lines.length && !isBlank(lines[i]) && lines[i].includes("|"); i++) {
    body.push(el("tr", cells(lines[i]).map((c) => el("td", inline(c, depth)))));
  }
  out.push(el("div", [el("table", [el("thead", [head]), el("tbody", body)])], { class: "md-table" }));
  return i;
}

// cells splits a table row on unescaped pipes. (No regex lookbehind: older
// Safari versions reject it at parse time, which would break the whole bundle.)
function cells(row: string): string[] {
  const out: string[] = [];
  let cur = "";
  const s = row.trim();
  for (let i = 0; i < s.length; i++) {
    if (s[i] === "\\" && s[i + 1] === "|") {
      cur += "|";
      i++;
    } else if (s[i] === "|") {
      if (i > 0) out.push(cur.trim());
      cur = "";
    } else cur += s[i];
  }
  if (cur.trim() || !s.endsWith("|")) out.push(cur.trim());
  return out;
}

function inline(text: string, depth: number): MdNode[] {
  return parseInline(text, depth, false);
}

// toDOM builds real nodes from a tree, re-checking tags, attributes and link
// targets so that even a tree not made by parseMarkdown cannot inject markup.
const TAGS = new Set(
  "p h3 h4 h5 h6 ul ol li pre code strong em del a br hr blockquote table thead tbody tr th td div span".split(" "),
);
const ATTRS = new Set(["href", "title", "rel", "target", "start", "class"]);

export function toDOM(nodes: MdNode[], doc: Document = document): DocumentFragment {
  const frag = doc.createDocumentFragment();
  for (const n of nodes) frag.append(node(n, doc));
  return frag;
}

function node(n: MdNode, doc: Document): Node {
  if (typeof n === "string") return doc.createTextNode(n);
  if (!TAGS.has(n.tag)) return doc.createTextNode(plainText([n]));
  const e = doc.createElement(n.tag);
  for (const [k, v] of Object.entries(n.attrs || {})) {
    if (!ATTRS.has(k)) continue;
    if (k === "href" && !safeURL(v)) continue;
    e.setAttribute(k, v);
  }
  if (n.tag === "a") {
    e.setAttribute("rel", LINK_REL);
    e.setAttribute("target", "_blank");
  }
  for (const c of n.children) e.append(node(c, doc));
  return e;
}

// plainText flattens a tree to its text.
export function plainText(nodes: MdNode[]): string {
  return nodes.map((n) => (typeof n === "string" ? n : n.tag === "br" ? "\n" : plainText(n.children))).join("");
}
