// History: how a resumed conversation's past messages enter the transcript.
// Building and laying out every message of a long conversation before the
// composer is usable made opening the widget slow (PERFORMANCE G4: 51
// messages took ~250 ms of Markdown and layout). The newest TAIL messages are
// shown at once; the older ones are filled in above them afterwards, one
// chunk per task, keeping what the visitor sees in place. Filled-in messages
// are `.msg.past`, which the stylesheet lays out only when scrolled into view
// (content-visibility), so a chunk costs little even in a long log.

import type { Strings } from "./i18n";
import type { ChatMessage } from "./types";
import { MessageView } from "./ui";

export const TAIL = 8;
const CHUNK = 10;

export class History {
  private filling = 0; // fills under way

  constructor(private readonly log: HTMLElement) {}

  // split returns the views of the newest messages, for the caller to place,
  // and the older messages, for fill.
  split(messages: unknown[], t: Strings): { views: HTMLElement[]; older: ChatMessage[] } {
    const valid = messages.filter((m): m is ChatMessage => !!m && typeof m === "object");
    const cut = Math.max(0, valid.length - TAIL);
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
