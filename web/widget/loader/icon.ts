// The launcher icon, built with createElementNS: assigning markup through
// innerHTML would throw on host pages that enforce Trusted Types. A channel
// (or init override) may set its own image; the stylesheet shows it while
// closed and the cross while open, and a broken image falls back to ours.
// The button's aria-label names it; the svg has no text of its own.

import { iconOK } from "./options";

const NS = "http://www.w3.org/2000/svg";
const CHAT = "M4 5h16v11H9l-5 4z";
const CLOSE = "M6 6l12 12M18 6 6 18";

export function icon(launcher: HTMLElement, url: unknown, alt: string) {
  if (iconOK(url)) {
    const img = document.createElement("img");
    img.src = url as string;
    img.alt = alt;
    img.onerror = () => img.remove();
    launcher.append(img);
  }
  const svg = document.createElementNS(NS, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.append(document.createElementNS(NS, "path"));
  launcher.append(svg);
}

// setIcon shows a chat bubble while closed and a cross while open.
export function setIcon(launcher: HTMLElement, open: boolean) {
  launcher.querySelector("path")!.setAttribute("d", open ? CLOSE : CHAT);
}
