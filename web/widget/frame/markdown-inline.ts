// Inline Markdown: code spans, emphasis, links, autolinks and escapes. Raw HTML
// is not a construct here at all, so `<b>` simply stays text. The scanner is
// bounded: a delimiter whose search for a closer failed is not searched for
// again (a later opener could only find a subset of the same closers), and
// link labels are scanned over at most MAX_LABEL characters.

import { el, link, MAX_DEPTH, MdNode, safeURL } from "./md-tree";

const MAX_LABEL = 1000;
const ESCAPABLE = /[!-/:-@[-`{-~]/;
const SPACE = /\s/;
const WORD = /[\p{L}\p{N}_]/u;
const AUTOLINK = /<((?:https?:\/\/|mailto:)[^\s<>]*)>/y;
const BARE_URL = /https?:\/\/[^\s<>]+/y;
// The characters a construct can start with (see construct): plain text runs
// up to the next one are taken whole instead of character by character.
const SPECIAL = /[\\\n`[!<h*_~]/g;

interface LinkParts {
  label: string;
  dest: string;
  end: number; // index after the closing parenthesis
}

export function parseInline(text: string, depth: number, inLink: boolean): MdNode[] {
  if (depth > MAX_DEPTH) return text ? [text] : [];
  return new Scanner(text, depth, inLink).run();
}

class Scanner {
  private out: MdNode[] = [];
  private buf = ""; // pending plain text
  private failed = new Set<string>(); // delimiters known to have no closer
  private i = 0;

  constructor(
    private readonly text: string,
    private readonly depth: number,
    private readonly inLink: boolean,
  ) {}

  run(): MdNode[] {
    const text = this.text;
    while (this.i < text.length) {
      SPECIAL.lastIndex = this.i;
      const next = SPECIAL.exec(text) ? SPECIAL.lastIndex - 1 : text.length;
      if (next > this.i) {
        this.buf += text.slice(this.i, next);
        this.i = next;
      } else if (!this.construct()) this.buf += text[this.i++];
    }
    this.flush();
    return this.out;
  }

  private flush() {
    if (this.buf) this.out.push(this.buf);
    this.buf = "";
  }

  private push(...nodes: MdNode[]) {
    this.flush();
    this.out.push(...nodes);
  }

  // construct consumes the construct starting at i, if any.
  private construct(): boolean {
    const { text, i } = this;
    const c = text[i];
    if (c === "\\" && ESCAPABLE.test(text[i + 1] || "")) {
      this.buf += text[i + 1];
      this.i += 2;
      return true;
    }
    if (c === "\n") {
      this.push(el("br"));
      this.i++;
      return true;
    }
    if (c === "`") return this.codeSpan();
    if (this.inLink) return c === "*" || c === "_" || c === "~" ? this.emphasis() : false;
    if (c === "[" || (c === "!" && text[i + 1] === "[")) return this.linkOrImage(c === "!");
    if (c === "<") return this.autolink();
    if (c === "h") return this.bareURL();
    if (c === "*" || c === "_" || c === "~") return this.emphasis();
    return false;
  }

  private codeSpan(): boolean {
    const { text, i } = this;
    const n = runLength(text, i, "`");
    const close = this.failed.has("`" + n) ? -1 : codeClose(text, i + n, n);
    if (close < 0) {
      this.failed.add("`" + n);
      this.buf += text.slice(i, i + n);
      this.i += n;
      return true;
    }
    let code = text.slice(i + n, close).replace(/\n/g, " ");
    if (code.length > 2 && code[0] === " " && code[code.length - 1] === " " && code.trim()) code = code.slice(1, -1);
    this.push(el("code", [code]));
    this.i = close + n;
    return true;
  }

  private linkOrImage(image: boolean): boolean {
    const parts = linkAt(this.text, image ? this.i + 1 : this.i);
    if (!parts) return false;
    const href = safeURL(parts.dest);
    if (image) {
      // Images are never loaded (PI-03): show the alt text, linked if the URL is http(s).
      const alt = parts.label.trim() || parts.dest;
      if (href && !href.startsWith("mailto:")) this.push(link(href, [alt]));
      else this.buf += alt;
    } else {
      const label = parseInline(parts.label, this.depth + 1, true);
      if (href) this.push(link(href, label));
      else this.push(...label); // an unsafe link keeps only its text
    }
    this.i = parts.end;
    return true;
  }

  private autolink(): boolean {
    AUTOLINK.lastIndex = this.i;
    if (!AUTOLINK.test(this.text)) return false;
    const end = AUTOLINK.lastIndex;
    const url = this.text.slice(this.i + 1, end - 1);
    const href = safeURL(url);
    if (href) this.push(link(href, [url]));
    else this.buf += this.text.slice(this.i, end);
    this.i = end;
    return true;
  }

  private bareURL(): boolean {
    if (WORD.test(this.text[this.i - 1] || "")) return false;
    BARE_URL.lastIndex = this.i;
    if (!BARE_URL.test(this.text)) return false;
    const url = trimURL(this.text.slice(this.i, BARE_URL.lastIndex));
    const href = safeURL(url);
    if (href) this.push(link(href, [url]));
    else this.buf += url;
    this.i += url.length;
    return true;
  }

  // emphasis handles *em*, _em_, **strong**, __strong__ and ~~del~~.
  private emphasis(): boolean {
    const { text, i } = this;
    const c = text[i];
    const double = text[i + 1] === c;
    const delim = double ? c + c : c;
    const after = text[i + delim.length] || "";
    const opens =
      !(c === "~" && !double) && // a single tilde is plain text
      !(c === "_" && WORD.test(text[i - 1] || "")) && // no intraword underscore emphasis
      after !== "" &&
      !SPACE.test(after);
    const close = opens && !this.failed.has(delim) ? emphasisClose(text, i + delim.length, delim) : -1;
    if (close < 0) {
      if (opens) this.failed.add(delim);
      this.buf += delim;
      this.i += delim.length;
      return true;
    }
    const tag = c === "~" ? "del" : double ? "strong" : "em";
    this.push(el(tag, parseInline(text.slice(i + delim.length, close), this.depth + 1, this.inLink)));
    this.i = close + delim.length;
    return true;
  }
}

function runLength(text: string, i: number, ch: string): number {
  let n = 0;
  while (text[i + n] === ch) n++;
  return n;
}

// codeClose finds a backtick run of exactly n characters at or after from.
function codeClose(text: string, from: number, n: number): number {
  const run = "`".repeat(n);
  for (let j = text.indexOf(run, from); j >= 0; j = text.indexOf(run, j + 1)) {
    if (text[j - 1] === "`") continue;
    const len = runLength(text, j, "`");
    if (len === n) return j;
    j += len - 1;
  }
  return -1;
}

// emphasisClose finds the closing delimiter: not preceded by whitespace, not
// part of a longer run for single delimiters, and for "_" not followed by a
// word character. For "***x***" the closer is the last two of the three.
function emphasisClose(text: string, from: number, delim: string): number {
  const c = delim[0];
  for (let j = text.indexOf(delim, from + 1); j >= 0; j = text.indexOf(delim, j + 1)) {
    if (SPACE.test(text[j - 1])) continue;
    if (delim.length === 1) {
      if (text[j - 1] === c || text[j + 1] === c) continue;
    } else if (text[j + 2] === c) {
      j++;
    }
    if (c === "_" && WORD.test(text[j + delim.length] || "")) continue;
    return j;
  }
  return -1;
}

// linkAt parses `[label](dest "title")` starting at the "[" at index i.
function linkAt(text: string, i: number): LinkParts | null {
  let depth = 0;
  let j = i;
  const limit = Math.min(text.length, i + MAX_LABEL);
  for (; j < limit; j++) {
    const ch = text[j];
    if (ch === "\\") j++;
    else if (ch === "[") depth++;
    else if (ch === "]" && --depth === 0) break;
  }
  if (j >= limit || text[j + 1] !== "(") return null;
  const label = text.slice(i + 1, j);
  let k = j + 2;
  while (text[k] === " ") k++;
  let dest = "";
  if (text[k] === "<") {
    const close = text.indexOf(">", k);
    if (close < 0) return null;
    dest = text.slice(k + 1, close);
    k = close + 1;
  } else {
    let parens = 0;
    const start = k;
    for (; k < text.length && !SPACE.test(text[k]); k++) {
      if (text[k] === "(") parens++;
      else if (text[k] === ")" && parens-- === 0) break;
    }
    dest = text.slice(start, k);
  }
  while (text[k] === " ") k++;
  const q = text[k];
  if (q === '"' || q === "'") {
    const close = text.indexOf(q, k + 1);
    if (close < 0) return null;
    k = close + 1;
    while (text[k] === " ") k++;
  }
  return text[k] === ")" ? { label, dest, end: k + 1 } : null;
}

// trimURL drops trailing punctuation that ends a sentence rather than the URL,
// keeping a closing parenthesis that balances one inside the URL.
function trimURL(url: string): string {
  let open = 0;
  let close = 0;
  for (const ch of url) {
    if (ch === "(") open++;
    else if (ch === ")") close++;
  }
  let end = url.length;
  for (;;) {
    const last = url[end - 1];
    if (/[.,;:!?'"*_~]/.test(last)) end--;
    else if (last === ")" && open < close) {
      end--;
      close--;
    } else return url.slice(0, end);
  }
}
