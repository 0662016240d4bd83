// Full screen on phones (the loader's narrow-viewport rule: 480 px and
// less), the chat panel covers the host page: it is then a modal dialog
// (aria-modal) and Tab wraps around inside it instead of moving focus to
// page controls hidden behind it (WCAG 2.4.11, 2.4.3). As a floating panel
// beside the page, or inline in it, the page stays usable and Tab leaves
// the chat as usual.

const FULL_SCREEN = "(max-width: 480px)";
const FOCUSABLE = "a[href], button:not([disabled]), select:not([disabled]), textarea:not([disabled]), input:not([disabled]), [tabindex]:not([tabindex='-1'])";

export function modalWhenFullScreen(app: HTMLElement) {
  const mq = matchMedia(FULL_SCREEN);
  const modal = () => mq.matches && app.getAttribute("role") === "dialog"; // inline chats are a region
  const mark = () => (modal() ? app.setAttribute("aria-modal", "true") : app.removeAttribute("aria-modal"));
  mq.addEventListener("change", mark);
  new MutationObserver(mark).observe(app, { attributes: true, attributeFilter: ["role"] });
  mark();
  app.addEventListener("keydown", (e) => {
    if (e.key !== "Tab" || !modal()) return;
    const stops = Array.from(app.querySelectorAll<HTMLElement>(FOCUSABLE)).filter((el) => el.getClientRects().length > 0);
    if (!stops.length) return;
    const first = stops[0];
    const last = stops[stops.length - 1];
    if (e.shiftKey ? document.activeElement === first : document.activeElement === last) {
      e.preventDefault();
      (e.shiftKey ? last : first).focus();
    }
  });
}
