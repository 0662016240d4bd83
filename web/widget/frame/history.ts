// History: how a resumed conversation's past messages enter the transcript.
// Building and laying out every message of a long conversation before the
// composer is usable made opening the widget slow (PERFORMANCE G4: 51
// messages took ~250 ms of Markdown and layout). The newest messages, as many
// as fill the panel (VIEW_CHARS of text, at most MAX_TAIL messages), are shown
// at once; the older ones are filled in above them afterwards, one chunk per
// task, keeping what the visitor sees in place. Filled-in messages
// are `.msg.past`, which the stylesheet lays out only when scrolled into view
// (content-visibility), so a chunk costs little even in a long log.

import type { Strings } from "./i18n";
import type { ChatMessage } from "./types";
import { MessageView } from "./ui";

// A full panel holds about 25 lines of 55 characters (400 px wide; a phone's
// full-screen panel about as much): VIEW_CHARS, with room to spare, covers it.
// Each message also costs its bubble's padding and its sources' lines.
const VIEW_CHARS = 2000;
const MESSAGE_CHARS = 80;
const SOURCE_CHARS = 60;
const MAX_TAIL = 8;
const CHUNK = 10;

export class History {
  private filling = 0; // fills under way

  constructor(private readonly log: HTMLElement) {}

  // split returns the views of the newest messages, enough to fill the
  // panel, for the caller to place, and the older messages, for fill.
  split(messages: unknown[], t: Strings): { views: HTMLElement[]; older: ChatMessage[] } {
    const valid = messages.filter((m): m is ChatMessage => !!m && typeof m === "object");
    let cut = valid.length;
    for (let chars = 0; cut > 0 && valid.length - cut < MAX_TAIL && chars < VIEW_CHARS; ) {
      const m = valid[--cut];
      chars += MESSAGE_CHARS + String(m.text || "").length + SOURCE_CHARS * (Array.isArray(m.sources) ? m.sources.length : 0);
    }
    return { views: valid.slice(cut).map((m) => new MessageView(m, t).el), older: valid.slice(0, cut) };
  }

  // fill inserts older (oldest first) above anchor, newest chunk first, so
  // the messages nearest to what the visitor reads come first. The log
  // carries data-history="partial" until every fill is done. The anchor
  // leaving the log (the transcript was emptied) stops a fill.
  fill(older: ChatMessage[], anchor: Element | undefined, t: Strings) {
    if (!older.length || !anchor) return;
    this.filling++;
    this.log.setAttribute("data-history", "partial");
    const done = () => {
      if (--this.filling === 0) this.log.removeAttribute("data-history");
    };
    const step = () => {
      if (!anchor!.isConnected) return done();
      const frag = document.createDocumentFragment();
      for (const m of older.splice(-CHUNK)) {
        const el = new MessageView(m, t).el;
        el.classList.add("past");
        frag.append(el);
      }
      const first = frag.firstElementChild!;
      // Keep the distance from the bottom: the visitor's view stays on the
      // same messages while older ones appear above.
      const fromBottom = this.log.scrollHeight - this.log.scrollTop;
      anchor!.before(frag);
      this.log.scrollTop = this.log.scrollHeight - fromBottom;
      anchor = first;
      older.length ? setTimeout(step) : done();
    };
    setTimeout(step);
  }
}
