// Colour helpers shared by the loader and the frame: the channel's theme colour
// is validated (it ends up in CSS) and paired with a readable text colour.

// hexColor returns c as #rrggbb if it is a #rgb or #rrggbb colour, else "".
export function hexColor(c: unknown): string {
  if (typeof c !== "string") return "";
  if (/^#[0-9a-f]{3}$/i.test(c)) c = c.replace(/\w/g, "$&$&");
  return /^#[0-9a-f]{6}$/i.test(c as string) ? (c as string).toLowerCase() : "";
}

// ink picks black or white text for a #rrggbb background, whichever contrasts
// more (WCAG relative luminance): black above L = 0.1791, where both give
// 4.58:1, so the chosen one is always ≥ 4.5:1. (c < .04 equals the spec's
// c ≤ .04045 for 8-bit channels.)
export function ink(hex: string): string {
  let lum = 0;
  [0.2126, 0.7152, 0.0722].map((k, i) => {
    const c = parseInt(hex.substr(1 + 2 * i, 2), 16) / 255;
    lum += k * (c < 0.04 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  });
  return lum > 0.1791 ? "#000" : "#fff";
}

// cssColor returns any opaque CSS colour (hex, a name such as "green",
// rgb()/hsl()) as #rrggbb, else "". No colour and #rrggbb, what most
// channels publish, are answered without a canvas: creating its 2D context
// costs a host page ~10 ms at 4× CPU throttle (PERFORMANCE G3). (Not
// hexColor: its #rgb expansion would cost the loader bytes, G1, for a rarer
// value the canvas handles as well.) For the rest a detached canvas parses
// the colour as the browser does: it keeps its previous (transparent) fill
// for anything it cannot parse, var() included, and reports translucent
// colours as rgba(…), which are refused too, since readable text on them
// cannot be guaranteed. No layout, no element in any document, and only
// #rrggbb ever reaches CSS. Values are read as text, as the canvas does.
export function cssColor(c: unknown): string {
  if (!c) return "";
  if (/^#[\da-f]{6}$/i.test(c as string)) return ("" + c).toLowerCase();
  const x = document.createElement("canvas").getContext("2d")!;
  x.fillStyle = "#0000";
  x.fillStyle = c as string;
  return /^#\w{6}$/.test(x.fillStyle) ? x.fillStyle : "";
}
