// The loader's stylesheet. It is applied through a constructable stylesheet in
// our shadow root, never as inline style in the host document, so host pages
// with a strict style-src CSP work. `:host{all:initial!important}` shields the
// host element from page CSS resets (important declarations of the shadow
// context win over normal and important ones of the page); page selectors
// (`* {box-sizing}`, resets, huge z-indexes) cannot reach into the root.
// Nothing moves (no transitions): prefers-reduced-motion holds by design.

import type { Appearance } from "./options";
import { cssColor, ink } from "../shared/color";

// The iframe is the panel, 12 px above the 56 px launcher. Host page CSS
// cannot select anything in here and the host element inherits nothing
// (all:initial), so UA defaults plus these rules are all that applies.
const BASE =
  ":host{all:initial!important}" +
  "button,iframe{position:fixed;z-index:var(--z);border:0;box-shadow:0 4px 16px #0004}" +
  "button{width:56px;height:56px;border-radius:50%;background:var(--a);color:var(--i);cursor:pointer;" +
  "display:grid;place-items:center;padding:0}" +
  "button:focus-visible{outline:2px solid #fff;box-shadow:0 0 0 5px #000}" +
  "img{width:28px}" +
  // The icon is the span (icon.ts), in currentColor (--i, readable on --a):
  // closed, a rounded rectangle whose tail is a square turned 45° that
  // covers the bottom edge and draws the V below it; open, the span and its
  // square become the two strokes of a cross.
  "span{width:18px;height:12px;margin-bottom:4px;border:2px solid;border-radius:4px}" +
  "span:before{content:'';display:block;margin:9.5px 3px;width:5px;height:5px;border:solid;border-width:0 2px 2px 0;background:var(--a);transform:rotate(45deg)}" +
  "img+span,[aria-expanded=true] img{display:none}" +
  "[aria-expanded=true] span{display:block;width:0;height:22px;margin:0;border-width:0 0 0 2px;border-radius:0;transform:rotate(45deg)}" +
  "[aria-expanded=true] span:before{margin:0 -2px;width:0;height:22px;border-width:0 0 0 2px;transform:rotate(90deg)}" +
  "iframe{width:400px;height:600px;max-width:calc(100vw - 40px);border-radius:12px;background:#fff}";

// Narrow and short viewports (phones, upright or turned): the panel fills
// the dynamic viewport (100dvh follows the mobile browser's toolbars; 100vh
// before it for browsers without dvh); the launcher, covered, hides, and the
// frame's own close button closes the panel. Last, so it beats the
// per-channel placement. (The open half adds its own rules after it:
// loader/open.ts.)
const NARROW =
  // On pages with viewport-fit=cover the panel ends above the home-indicator
  // gesture area, so the composer is not in it (the frame's own env() insets
  // are 0: it is not at the screen's edge).
  "@media (max-width:480px),(max-height:480px){iframe{inset:0;width:100%;height:calc(100vh - env(safe-area-inset-bottom));" +
  "height:calc(100dvh - env(safe-area-inset-bottom));max-width:none;max-height:none;border-radius:0}" +
  "[aria-expanded=true]{display:none}}";

// In inline mode the host's container sizes everything and there is no
// launcher: the iframe is a block filling the host element, which fills
// the container.
const INLINE =
  ":host{all:initial!important;display:block!important;width:100%!important;height:100%!important}" +
  "iframe{border:0;width:100%;height:100%;vertical-align:top}";

export const DEFAULT_ACCENT = "#1f5fbf";

// The largest z-index there is: host pages that put their content at it
// still leave the launcher on top, because our host element comes last in
// the document. appearance.zIndex lowers it for hosts whose overlays must win.
const MAX_Z = 2147483647;

// css holds the per-channel values. Every value is validated or numeric, so
// config text can never add CSS of its own.
export function css(a: Appearance, left: boolean): string {
  const accent = cssColor(a.theme?.baseColor) || DEFAULT_ACCENT;
  const x = px(a.offset?.x, 20);
  const y = px(a.offset?.y, 20);
  // The launcher clears the home-indicator gesture area.
  const safe = "px + env(safe-area-inset-bottom))"; // 0 where there is none
  return (
    BASE +
    `:host{--a:${accent};--i:${ink(accent)};--z:${px(a.zIndex, MAX_Z)}}` +
    `button,iframe{${left ? "left" : "right"}:${x}px}button{bottom:calc(${y + safe}}` +
    `iframe{bottom:calc(${y + 68 + safe};max-height:calc(100vh - ${y + 88}px)}` +
    NARROW
  );
}

export { INLINE };

function px(v: unknown, fallback: number): number {
  const n = Math.round(v as number);
  return v != null && n >= 0 ? n : fallback;
}
