// The launcher icon: an empty span that the stylesheet draws as a chat
// bubble while closed and as a cross while open (style.ts), so the loader
// creates no SVG: a page's first SVG element costs it ~10 ms of script at 4×
// CPU throttle (PERFORMANCE G3), and markup through innerHTML would throw on
// host pages that enforce Trusted Types. A channel (or init override) may
// set its own image; the stylesheet shows it while closed and the cross
// while open, and a broken image falls back to ours. The button's
// aria-label names it; the span has no text of its own.

import { iconOK } from "./options";

export function icon(launcher: HTMLElement, url: unknown, alt: string) {
  // An empty iconUrl (config.json publishes "" when the channel has none)
  // means our icon, not an image of the page itself.
  if (url && iconOK(url)) {
    const img = document.createElement("img");
    img.src = url as string;
    img.alt = alt;
    img.onerror = () => img.remove();
    launcher.append(img);
  }
  launcher.append(document.createElement("span"));
}
