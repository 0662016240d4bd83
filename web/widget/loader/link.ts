// How the loader's two halves talk. widget.js (loader.ts) is what every host
// page loads: options, the launcher, the JS API. Everything only an open
// widget needs lives in loader-open.js (open.ts), which the loader imports
// when it creates the iframe, so it costs the host page nothing until the
// visitor opens the chat (PERFORMANCE G1, G3). One open half serves one
// iframe: a new init, or destroy, drops it with the iframe.
//
// Property names end in "_" so the build shortens them, the same way in both
// bundles (web/webbuild). Both bundles come from one build; a loader cached
// from an older release may briefly import a newer open half, so change
// these interfaces only by adding to them.

import type { Options, State } from "./options";

// Link is what the loader lends the open half of one iframe.
export interface Link {
  opts_: Options; // this init's options (fixed for the iframe's life)
  frame_: HTMLIFrameElement;
  origin_: string; // Docent's origin: the only one we post to or hear from
  inline_: unknown;
  rtl_: boolean;
  ident_(): Options; // the current login (loginUser, logoutUser change it)
  token_(): string | undefined; // the current exchange token (§6.4)
  asked_(): unknown; // open() was called: the frame may take focus
  state_(): State;
  live_(half: Opened): boolean; // still the loader's current iframe
  setToken_(token?: unknown): void;
  set_(patch: Partial<State>): void;
  close_(): void;
  report_(error: unknown): void;
}

// Opened is what the open half gives back.
export interface Opened {
  message_(e: MessageEvent): void; // every message the page receives
  config_(fresh?: number): Promise<void>; // send chat-embed-config
  post_(message: object): void;
  drop_(): void; // the iframe is gone: stop listening
}

// err makes the errors handed to onError, each with a stable code:
// invalid_option, config_failed (also for a missing or unknown key),
// target_not_found, open_failed, or the frame's own (docent:error).
export const err = (code: string, detail = "") => Object.assign(Error("docent: " + code + " " + detail), { code });

// call runs a host callback. One that throws is logged and does not stop
// the widget: its state, the queue and the handshake carry on.
export function call(f: ((a: any) => unknown) | undefined, a?: unknown) {
  try {
    f?.(a);
  } catch (e) {
    console.error(e);
  }
}
