// Colour helpers shared by the loader and the frame: the channel's theme colour
// is validated (it ends up in CSS) and paired with a readable text colour.

// hexColor returns c as #rrggbb if it is a #rgb or #rrggbb colour, else "".
export function hexColor(c: unknown): string {
  if (typeof c !== "string") return "";
  if (/^#[0-9a-f]{3}$/i.test(c)) c = c.replace(/\w/g, "$&$&");
  return /^#[0-9a-f]{6}$/i.test(c as string) ? (c as string).toLowerCase() : "";
}

// ink picks black or white text for a #rrggbb background, whichever contrasts
// more (WCAG relative luminance); the better of the two is always ≥ 4.5:1.
export function ink(hex: string): string {
  const n = parseInt(hex.slice(1), 16);
  const lum = [16, 8, 0].reduce((sum, shift, i) => {
    const c = ((n >> shift) & 255) / 255;
    return sum + [0.2126, 0.7152, 0.0722][i] * (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  }, 0);
  return (lum + 0.05) / 0.05 > 1.05 / (lum + 0.05) ? "#000" : "#fff";
}
