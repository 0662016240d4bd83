import { ApiError, postJSON, StreamResult, streamChat } from "../frame/api";
import { eq, ok, test } from "./harness";

// withFetch runs fn with a fake global fetch and restores the real one.
async function withFetch(fake: (url: string, init: RequestInit) => Promise<Response>, fn: () => Promise<void>) {
  const real = globalThis.fetch;
  globalThis.fetch = fake as typeof fetch;
  try {
    await fn();
  } finally {
    globalThis.fetch = real;
  }
}

// sseResponse streams the given chunks (bytes split anywhere, even inside a
// multi-byte character) as a text/event-stream body.
function sseResponse(chunks: string[], status = 200): Response {
  const enc = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      for (const s of chunks) c.enqueue(enc.encode(s));
      c.close();
    },
  });
  return new Response(body, { status, headers: { "Content-Type": "text/event-stream" } });
}

function splitBytes(s: string, size: number): Uint8Array[] {
  const b = new TextEncoder().encode(s);
  const out: Uint8Array[] = [];
  for (let i = 0; i < b.length; i += size) out.push(b.slice(i, i + size));
  return out;
}

const REQ = { session_id: "s", message: "hi", client_message_id: "c" };

async function collect(resp: Response): Promise<{ result: StreamResult; deltas: string[]; start: unknown; sources: unknown }> {
  const seen = { deltas: [] as string[], start: null as unknown, sources: null as unknown };
  let sent: RequestInit | null = null;
  let result!: StreamResult;
  await withFetch(
    async (url, init) => {
      eq(url, "/widget/chat");
      sent = init;
      return resp;
    },
    async () => {
      result = await streamChat(REQ, {
        start: (d) => (seen.start = d),
        delta: (t) => seen.deltas.push(t),
        sources: (s) => (seen.sources = s),
      });
    },
  );
  const headers = (sent as unknown as RequestInit).headers as Record<string, string>;
  eq([headers["Content-Type"], headers.Accept], ["application/json", "text/event-stream"]);
  eq(JSON.parse(String((sent as unknown as RequestInit).body)), REQ);
  return { result, ...seen };
}

const STREAM =
  'id: 1\nevent: start\ndata: {"message_id":"m1","kind":"answer"}\n\n' +
  ": heartbeat\n\n" +
  'id: 2\nevent: delta\ndata: {"text":"Héllo"}\n\n' +
  'id: 3\nevent: delta\ndata: {"text":" wörld"}\n\n' +
  'id: 4\nevent: sources\ndata: {"sources":[{"title":"Doc","url":"https://d.example"}]}\n\n' +
  'id: 5\nevent: done\ndata: {"text":"Héllo wörld","session_id":"s2","kind":"answer"}\n\n';

test("api: streamChat reads start, deltas, sources and done", async () => {
  for (const size of [1, 3, 7, 1000]) {
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        for (const b of splitBytes(STREAM, size)) c.enqueue(b);
        c.close();
      },
    });
    const got = await collect(new Response(body, { headers: { "Content-Type": "text/event-stream; charset=utf-8" } }));
    eq(got.start, { message_id: "m1", kind: "answer" });
    eq(got.deltas, ["Héllo", " wörld"], "chunk size " + size);
    eq(got.sources, [{ title: "Doc", url: "https://d.example" }]);
    eq(got.result, { end: "done", done: { text: "Héllo wörld", session_id: "s2", kind: "answer" } });
  }
});

test("api: a stream that ends without done is interrupted", async () => {
  const got = await collect(sseResponse(['event: delta\ndata: {"text":"part"}\n\n', 'event: done\ndata: {"text":"x"}\n']));
  eq(got.deltas, ["part"]);
  eq(got.result, { end: "interrupted" });
});

test("api: an error event ends the stream with its code, retryable only when the server says so", async () => {
  const cases: [string, boolean][] = [
    ['{"code":"upstream_failed","detail":"x"}', false],
    ['{"code":"assistant_unavailable","detail":"x","retryable":true}', true],
    ['{"code":"internal","detail":"x","retryable":false}', false],
    ['{"code":"draining","detail":"x","retryable":"yes"}', false],
  ];
  for (const [data, retryable] of cases) {
    const got = await collect(sseResponse(['event: delta\ndata: {"text":"a"}\n\nevent: error\ndata: ' + data + "\n\n"]));
    eq(got.result, { end: "error", code: JSON.parse(data).code, detail: "x", retryable }, data);
  }
});

test("api: malformed events are skipped", async () => {
  const got = await collect(sseResponse(["event: delta\ndata: {nope\n\nevent: delta\ndata: 5\n\nevent: delta\ndata: {\"text\":\"ok\"}\n\nevent: done\ndata: {}\n\n"]));
  eq(got.deltas, ["ok"]);
  eq(got.result, { end: "done", done: {} });
});

test("api: a JSON (non-streaming) reply is accepted", async () => {
  const resp = new Response(JSON.stringify({ text: "t", session_id: "s" }), { headers: { "Content-Type": "application/json" } });
  eq((await collect(resp)).result, { end: "done", done: { text: "t", session_id: "s" } });
});

async function errorOf(p: () => Promise<unknown>): Promise<ApiError> {
  try {
    await p();
  } catch (e) {
    ok(e instanceof ApiError, "not an ApiError: " + e);
    return e as ApiError;
  }
  throw new Error("no error");
}

test("api: problem+json errors keep their code; network failures are 'network'", async () => {
  const problem = (status: number, body: string) => async () =>
    new Response(body, { status, headers: { "Content-Type": "application/problem+json" } });
  await withFetch(problem(409, '{"type":"about:blank","title":"Busy","status":409,"code":"reply_in_progress","detail":"d"}'), async () => {
    const e = await errorOf(() => streamChat(REQ, {}));
    eq([e.status, e.code, e.detail], [409, "reply_in_progress", "d"]);
  });
  await withFetch(problem(502, "<html>bad gateway</html>"), async () => {
    const e = await errorOf(() => postJSON("/widget/session/init", {}));
    eq([e.status, e.code], [502, "http_502"]);
  });
  await withFetch(
    () => Promise.reject(new TypeError("Failed to fetch")),
    async () => eq((await errorOf(() => postJSON("/x", {}))).code, "network"),
  );
});
