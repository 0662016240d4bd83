// The Docent loader's additions to a chat-embed-config payload (title,
// greeting, accent, theme_mode, agent_id, contact_id, thread_id, inline,
// focus) and the persona fields of PROTOCOL §3, checked one by one. A
// persona field that fails refuses the whole config (it decides who the
// visitor is); an invalid presentation field is dropped and reported, never
// fatal: a typo in a colour must not cost a site its chat.

export interface Presentation {
  title?: string;
  greeting?: string;
  accent?: string; // any CSS colour; resolved (and judged for contrast) by theme.ts
  theme_mode?: "light" | "dark" | "auto";
  agent_id?: string;
  contact_id?: string;
  thread_id?: string; // the secret session_id to resume (data-thread-id)
  inline?: boolean;
  focus?: boolean; // the loader's: the panel was opened on request (open()), not on load
}

export const MAX_TITLE = 120;
export const MAX_GREETING = 1000; // the server's limit too (chat.MaxGreetingChars)

// CONTROL matches characters no visible label or id has.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;
const text = (max: number, lines = false) => (v: unknown): string | undefined => {
  if (typeof v !== "string") return undefined;
  const s = v.trim();
  if (!s || [...s].length > max || CONTROL.test(s) || (!lines && /[\n\t]/.test(s))) return undefined;
  return s;
};

const checks: { [K in keyof Presentation]-?: (v: unknown) => Presentation[K] | undefined } = {
  title: text(MAX_TITLE),
  greeting: text(MAX_GREETING, true),
  accent: (v) => (typeof v === "string" && v.length <= 64 && /^[#a-z0-9(),.%\s/+-]+$/i.test(v.trim()) ? v.trim() : undefined),
  theme_mode: (v) => (v === "light" || v === "dark" || v === "auto" ? v : undefined),
  agent_id: (v) => (typeof v === "string" && /^[A-Za-z0-9_.:-]{1,64}$/.test(v) ? v : undefined),
  contact_id: text(200),
  thread_id: (v) => (typeof v === "string" && /^[A-Za-z0-9_-]{43}$/.test(v) ? v : undefined),
  inline: (v) => (typeof v === "boolean" ? v : undefined),
  focus: (v) => (typeof v === "boolean" ? v : undefined),
};

// presentation returns the valid additions of payload o and the names of the
// ones it dropped (present but invalid; null and "" mean "not set").
export function presentation(o: Record<string, unknown>): { value: Presentation; dropped: string[] } {
  const value: Presentation = {};
  const dropped: string[] = [];
  for (const k of Object.keys(checks) as (keyof Presentation)[]) {
    const raw = Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined;
    if (raw === undefined || raw === null || raw === "") continue;
    const v = checks[k](raw);
    if (v === undefined) dropped.push(k);
    else (value as Record<string, unknown>)[k] = v;
  }
  return { value, dropped };
}
