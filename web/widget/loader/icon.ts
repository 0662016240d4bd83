// The launcher icon, built with createElementNS: assigning markup through
// innerHTML would throw on host pages that enforce Trusted Types.

const NS = "http://www.w3.org/2000/svg";
const CHAT = "M4 5h16v11H9l-5 4z";
const CLOSE = "M6 6l12 12M18 6 6 18";

export function icon(): SVGSVGElement {
  const svg = document.createElementNS(NS, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  svg.append(document.createElementNS(NS, "path"));
  return svg;
}

// setIcon shows a chat bubble while closed and a cross while open.
export function setIcon(launcher: HTMLElement, open: boolean) {
  launcher.querySelector("path")!.setAttribute("d", open ? CLOSE : CHAT);
}
