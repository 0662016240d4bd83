// Screen-reader announcements of streamed replies (WCAG 2.2 AA, issue 4 §7):
// the transcript does not speak by itself, since a live region fed token by
// token is read as noise. The Announcer collects a reply's deltas and hands
// complete sentences to a visually hidden polite live region, then the rest
// when the reply ends.

// END finds sentence ends: . ! ? … followed by closing quotes/brackets and
// whitespace, or the CJK and Arabic full stops, which need no space after.
// (Not line ends: inside a code block every line would be read on its own.)
const END = /([.!?…]["'”’)\]]*\s+|[。！？؟]["'”’)\]」』]*\s*)/g;
const KEEP = 4; // announced lines kept in the region

// sentenceEnd returns the index just after the last complete sentence of s, or 0.
export function sentenceEnd(s: string): number {
  let at = 0;
  for (const m of s.matchAll(END)) at = m.index! + m[0].length;
  return at;
}

// plain strips the Markdown a reply may carry, so a screen reader reads words
// rather than asterisks and link targets.
export function plain(md: string): string {
  return md
    .replace(/```[^]*?```/g, " ")
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/[*_`#>|~]+/g, "")
    .replace(/\s+/g, " ")
    .trim();
}

export class Announcer {
  private pending = "";

  constructor(private readonly region: HTMLElement) {}

  // push adds streamed text and announces the sentences it completes.
  push(delta: string) {
    this.pending += delta;
    const at = sentenceEnd(this.pending);
    if (!at) return;
    this.say(this.pending.slice(0, at));
    this.pending = this.pending.slice(at);
  }

  // end announces what is left of a reply (or, with text, a whole message).
  end(text?: string) {
    this.say(text ?? this.pending);
    this.pending = "";
  }

  reset() {
    this.pending = "";
  }

  private say(text: string) {
    const t = plain(text);
    if (!t) return;
    const p = document.createElement("p");
    p.textContent = t;
    this.region.append(p);
    while (this.region.childElementCount > KEEP) this.region.firstElementChild!.remove();
  }
}
