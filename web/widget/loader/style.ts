// The loader's stylesheet. It is applied through a constructable stylesheet in
// our shadow root, never as inline style in the host document, so host pages
// with a strict style-src CSP work. `:host{all:initial!important}` shields the
// host element from page CSS resets (important declarations of the shadow
// context win over normal and important ones of the page).

import type { Config } from "./options";
import { hexColor, ink } from "../shared/color";

const DEFAULT_ACCENT = "#1f5fbf";

// loaderCSS comes after positionCSS so the narrow-viewport rule wins.
export const loaderCSS =
  ":host{all:initial!important}" +
  "button,.p{position:fixed;z-index:var(--z)}" +
  "button{width:56px;height:56px;border:0;border-radius:50%;background:var(--a);color:var(--i);cursor:pointer;" +
  "box-shadow:0 4px 14px #0004;display:grid;place-items:center;padding:0;margin:0}" +
  "button:focus-visible{outline:2px solid #fff;box-shadow:0 0 0 5px #000}" +
  "svg{width:26px;height:26px;fill:none;stroke:currentColor;stroke-width:2;stroke-linecap:round;stroke-linejoin:round}" +
  ".p{width:400px;height:600px;max-width:calc(100vw - 40px);border-radius:12px;overflow:hidden;" +
  "box-shadow:0 8px 32px #0004;background:#fff}" +
  "iframe{border:0;width:100%;height:100%;display:block}" +
  "[data-unread]::after{content:attr(data-unread);position:absolute;top:-4px;right:-4px;min-width:18px;" +
  "padding:0 5px;box-sizing:border-box;border-radius:9px;background:#c00;color:#fff;font:600 11px/18px sans-serif;text-align:center}" +
  "@media (max-width:480px){.p{inset:0;width:100%;height:100%;max-width:none;max-height:none;border-radius:0}}" +
  "@media (prefers-reduced-motion:no-preference){button{transition:transform .15s}button:hover{transform:scale(1.06)}}";

// positionCSS holds the per-channel values. Every value is validated or
// numeric, so config text can never add CSS of its own.
export function positionCSS(c: Config): string {
  const accent = hexColor(c.theme?.baseColor) || DEFAULT_ACCENT;
  const side = c.position === "bottom-left" ? "left" : "right";
  const x = px(c.offset?.x, 20);
  const y = px(c.offset?.y, 20);
  return (
    `:host{--a:${accent};--i:${ink(accent)};--z:${px(c.zIndex, 2147483000)}}` +
    `button,.p{${side}:${x}px}button{bottom:${y}px}.p{bottom:${y + 68}px;max-height:calc(100vh - ${y + 88}px)}`
  );
}

function px(v: unknown, fallback: number): number {
  return typeof v === "number" && isFinite(v) ? Math.round(v) : fallback;
}
