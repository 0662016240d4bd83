// The frame's look from the embed config: the accent colour (any CSS colour,
// named ones too, with text colour picked for contrast ≥ 4.5:1) and the
// theme mode (light, dark, or auto following prefers-color-scheme; the
// colours live in frame.css under html[data-theme=light|dark]).

import { cssColor, hexColor, ink } from "../shared/color";

// applyAccent sets --accent/--on-accent, or returns false for a colour the
// browser does not accept (which then changes nothing). It goes through the
// CSSOM, which the frame's CSP allows (no inline styles).
export function applyAccent(app: HTMLElement, colour: unknown): boolean {
  const hex = hexColor(colour) || cssColor(colour);
  if (!hex) return false;
  app.style.setProperty("--accent", hex);
  app.style.setProperty("--on-accent", ink(hex));
  return true;
}

// applyThemeMode sets html[data-theme] to light or dark; "auto" follows the
// visitor's prefers-color-scheme, also when it changes (the OS switching to
// its night theme). A later explicit mode stops following.
const scheme = matchMedia("(prefers-color-scheme: dark)");
let mode = "light";
scheme.addEventListener("change", () => mode === "auto" && paint());

export function applyThemeMode(m: string | undefined) {
  mode = m === "dark" || m === "auto" ? m : "light";
  paint();
}

function paint() {
  const dark = mode === "dark" || (mode === "auto" && scheme.matches);
  document.documentElement.setAttribute("data-theme", dark ? "dark" : "light");
}
