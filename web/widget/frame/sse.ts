// A Server-Sent Events parser for bodies read with fetch (we never use
// EventSource, so no credential has to travel in a URL). It follows the WHATWG
// event-stream rules: CR, LF and CRLF line ends (a CRLF may straddle chunks), a
// leading BOM, `field: value` with one optional space, multi-line data joined by
// "\n", comment lines (heartbeats) ignored, events dispatched on a blank line,
// and an unterminated event at the end of the stream discarded.
//
// It is a pure class with no DOM dependency so it can be unit-tested and reused.

export interface SSEEvent {
  id: string; // the last event id seen so far ("" if none)
  event: string; // "message" when the stream gave no event name
  data: string;
}

export class SSEParser {
  private buf = "";
  private started = false;
  private data: string[] = [];
  private hasData = false;
  private type = "";
  private lastId = "";

  // push feeds decoded text and returns the events it completed.
  push(chunk: string): SSEEvent[] {
    this.buf += chunk;
    if (!this.started && this.buf.length > 0) {
      this.started = true;
      if (this.buf.charCodeAt(0) === 0xfeff) this.buf = this.buf.slice(1);
    }
    const out: SSEEvent[] = [];
    let pos = 0;
    // Remember where the next CR and LF are so a chunk of many lines is
    // scanned once, not once per line.
    let cr = -2;
    let lf = -2;
    for (;;) {
      if (cr !== -1 && cr < pos) cr = this.buf.indexOf("\r", pos);
      if (lf !== -1 && lf < pos) lf = this.buf.indexOf("\n", pos);
      if (cr < 0 && lf < 0) break;
      let end: number;
      let next: number;
      if (cr >= 0 && (lf < 0 || cr < lf)) {
        // A lone CR at the end of the buffer may be the first half of a CRLF.
        if (cr === this.buf.length - 1) break;
        end = cr;
        next = this.buf.charCodeAt(cr + 1) === 10 ? cr + 2 : cr + 1;
      } else {
        end = lf;
        next = lf + 1;
      }
      this.line(this.buf.slice(pos, end), out);
      pos = next;
    }
    this.buf = this.buf.slice(pos);
    return out;
  }

  // end finishes the stream. A trailing CR still completes its line, but an
  // event without its terminating blank line is discarded (WHATWG rules).
  end(): SSEEvent[] {
    const out: SSEEvent[] = [];
    if (this.buf.endsWith("\r")) this.line(this.buf.slice(0, -1), out);
    this.buf = "";
    this.data = [];
    this.hasData = false;
    this.type = "";
    return out;
  }

  private line(line: string, out: SSEEvent[]) {
    if (line === "") {
      if (this.hasData) out.push({ id: this.lastId, event: this.type || "message", data: this.data.join("\n") });
      this.data = [];
      this.hasData = false;
      this.type = "";
      return;
    }
    if (line.charCodeAt(0) === 58 /* ":" */) return; // comment: a heartbeat
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    switch (field) {
      case "data":
        this.data.push(value);
        this.hasData = true;
        break;
      case "event":
        this.type = value;
        break;
      case "id":
        if (!value.includes("\0")) this.lastId = value;
        break;
      // "retry" and unknown fields are ignored: we never reconnect by ourselves.
    }
  }
}
