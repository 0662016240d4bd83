// The frame's line to its verified parent (the loader, or a host page's own
// script). Every message goes to the origin verified by the handshake and
// never to "*" (PM-07); before an origin is verified nothing is posted. It
// also runs the frame's half of the exchange-token refresh (PROTOCOL §6.4,
// TX-06/07): ask the parent once, however many requests need a token, and
// ask ahead of time, shortly before the current token expires (the loader
// only answers; it keeps no timers).

import { refreshDelay } from "./identity";

// TOKEN_WAIT_MS bounds the wait for the host's fetchToken(): a host that never
// answers costs the visitor one failed request, not a hung widget.
const TOKEN_WAIT_MS = 10000;

export class Parent {
  origin: string | null = null;
  private waiting: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;

  post(message: Record<string, unknown>) {
    if (this.origin) window.parent.postMessage(message, this.origin);
  }

  // requestToken posts one docent:token-request and resolves when the parent
  // answers with docent:token (with or without a token) or the wait ends.
  // Concurrent callers share the request.
  requestToken(): Promise<void> {
    if (!this.origin) return Promise.resolve();
    if (!this.waiting) {
      this.waiting = new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, TOKEN_WAIT_MS);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
        this.post({ type: "docent:token-request" });
      }).finally(() => {
        this.waiting = this.wake = null;
      });
    }
    return this.waiting;
  }

  // tokenArrived ends a pending requestToken.
  tokenArrived() {
    this.wake?.();
  }

  // schedule plans the proactive refresh of the exchange token the frame
  // now uses (see refreshDelay); schedule() without one cancels it (logout,
  // a refused token: the visitor continues as a guest).
  schedule(token?: string) {
    clearTimeout(this.timer);
    const wait = token ? refreshDelay(token) : null;
    if (wait !== null) this.timer = setTimeout(() => this.requestToken(), wait);
  }
}
