// Calls to the Docent server. The frame is served by Docent itself, so every
// path is same-origin and relative. Failures become ApiError values carrying
// the problem+json `code` (RFC 9457), or "network" when no response arrived.

import { SSEParser, SSEEvent } from "./sse";
import type { ChatDone, Source } from "./types";

export class ApiError extends Error {
  constructor(
    readonly status: number, // 0 when the request never got a response
    readonly code: string,
    readonly detail = "",
  ) {
    super(code);
  }
}

export async function getJSON<T>(path: string): Promise<T> {
  return parse<T>(await request(path, { credentials: "same-origin" }));
}

// ExtraHeaders are extra request headers: on exchange channels, the visitor's
// exchange token as Authorization: Bearer (never in a body or URL).
export type ExtraHeaders = Record<string, string>;

export async function postJSON<T>(path: string, body: unknown, headers?: ExtraHeaders): Promise<T> {
  return parse<T>(await request(path, post(body, "application/json", headers)));
}

function post(body: unknown, accept: string, headers?: ExtraHeaders): RequestInit {
  return {
    method: "POST",
    credentials: "same-origin",
    headers: { ...headers, "Content-Type": "application/json", Accept: accept },
    body: JSON.stringify(body),
  };
}

async function request(path: string, init: RequestInit): Promise<Response> {
  let r: Response;
  try {
    r = await fetch(path, init);
  } catch {
    throw new ApiError(0, "network");
  }
  if (!r.ok) throw await problem(r);
  return r;
}

async function parse<T>(r: Response): Promise<T> {
  try {
    return (await r.json()) as T;
  } catch {
    throw new ApiError(r.status, "bad_response");
  }
}

async function problem(r: Response): Promise<ApiError> {
  let p: any = null;
  try {
    p = await r.json();
  } catch {
    // not problem+json (a proxy error page, say): keep the status only
  }
  const code = typeof p?.code === "string" && p.code ? p.code : "http_" + r.status;
  return new ApiError(r.status, code, typeof p?.detail === "string" ? p.detail : "");
}

export interface StreamHandlers {
  start?(data: { message_id?: string; kind?: string }): void;
  delta?(text: string): void;
  sources?(sources: Source[]): void;
}

// StreamResult is how a streamed reply ended. "interrupted" means the body
// ended (or the connection broke) before a done or error event.
export type StreamResult =
  | { end: "done"; done: ChatDone }
  | { end: "error"; code: string; detail: string; retryable: boolean }
  | { end: "interrupted" };

export interface ChatRequest {
  session_id: string;
  message: string;
  client_message_id: string;
  language?: string; // the visitor's language menu choice
}

// streamChat sends one message and reads the SSE reply as it arrives. A
// server that answers with plain JSON instead is handled too.
export async function streamChat(req: ChatRequest, h: StreamHandlers, headers?: ExtraHeaders): Promise<StreamResult> {
  const r = await request("/widget/chat", post(req, "text/event-stream", headers));
  if (!(r.headers.get("Content-Type") || "").includes("text/event-stream") || !r.body) {
    return { end: "done", done: await parse<ChatDone>(r) };
  }
  const reader = r.body.getReader();
  const decoder = new TextDecoder();
  const parser = new SSEParser();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      const events = done ? parser.push(decoder.decode()).concat(parser.end()) : parser.push(decoder.decode(value, { stream: true }));
      for (const ev of events) {
        const result = dispatch(ev, h);
        if (result) {
          reader.cancel().catch(() => {});
          return result;
        }
      }
      if (done) return { end: "interrupted" };
    }
  } catch {
    return { end: "interrupted" }; // the connection broke mid-stream
  }
}

function dispatch(ev: SSEEvent, h: StreamHandlers): StreamResult | undefined {
  let data: any;
  try {
    data = JSON.parse(ev.data);
  } catch {
    return undefined; // a malformed event is skipped, not fatal
  }
  if (!data || typeof data !== "object") return undefined;
  switch (ev.event) {
    case "start":
      h.start?.(data);
      break;
    case "delta":
      if (typeof data.text === "string") h.delta?.(data.text);
      break;
    case "sources":
      if (Array.isArray(data.sources)) h.sources?.(data.sources);
      break;
    case "done":
      return { end: "done", done: data };
    case "error":
      return {
        end: "error",
        code: typeof data.code === "string" && data.code ? data.code : "error",
        detail: typeof data.detail === "string" ? data.detail : "",
        retryable: data.retryable === true, // resending the same client_message_id may succeed
      };
  }
  return undefined;
}
