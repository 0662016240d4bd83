import { SSEEvent, SSEParser } from "../frame/sse";
import { eq, ok, pick, rng, test } from "./harness";

function parseAll(chunks: string[]): SSEEvent[] {
  const p = new SSEParser();
  const out: SSEEvent[] = [];
  for (const c of chunks) out.push(...p.push(c));
  out.push(...p.end());
  return out;
}

const cases: { name: string; input: string; want: SSEEvent[] }[] = [
  {
    name: "named event with id",
    input: 'id: 1\nevent: start\ndata: {"kind":"answer"}\n\n',
    want: [{ id: "1", event: "start", data: '{"kind":"answer"}' }],
  },
  {
    name: "multi-line data, default type, id persists",
    input: "id: 7\ndata: a\ndata: b\n\ndata:c\n\n",
    want: [
      { id: "7", event: "message", data: "a\nb" },
      { id: "7", event: "message", data: "c" },
    ],
  },
  {
    name: "CRLF and lone CR line ends",
    input: "event: delta\r\ndata: x\r\n\r\nevent: done\rdata: y\r\r",
    want: [
      { id: "", event: "delta", data: "x" },
      { id: "", event: "done", data: "y" },
    ],
  },
  {
    name: "comments are heartbeats, BOM skipped, only one space stripped",
    input: "\uFEFF: ping\n\n:\ndata:  two spaces\n\n",
    want: [{ id: "", event: "message", data: " two spaces" }],
  },
  {
    name: "event without data is not dispatched; bare data field is empty data",
    input: "event: start\n\ndata\n\n",
    want: [{ id: "", event: "message", data: "" }],
  },
  {
    name: "unterminated event at the end is discarded; unknown fields ignored",
    input: "retry: 10\nfoo: bar\ndata: done\n\ndata: partial\n",
    want: [{ id: "", event: "message", data: "done" }],
  },
  {
    name: "id with NUL is ignored",
    input: "id: a\0b\ndata: x\n\n",
    want: [{ id: "", event: "message", data: "x" }],
  },
];

for (const c of cases) {
  test("sse: " + c.name, () => eq(parseAll([c.input]), c.want));
  test("sse: " + c.name + " (every two-way split)", () => {
    for (let i = 0; i <= c.input.length; i++) eq(parseAll([c.input.slice(0, i), c.input.slice(i)]), c.want, "split at " + i);
  });
  test("sse: " + c.name + " (one character at a time)", () => eq(parseAll(c.input.split("")), c.want));
}

// Property: for random streams, the events never depend on how the body was chunked.
test("sse: chunking never changes the events (random streams)", () => {
  const r = rng(1);
  const parts = ["data:", "data: ", "event: delta", "id: 3", ":hb", "\n", "\r", "\r\n", "\n\n", "x", "é", "{}", " ", "\uFEFF"];
  for (let n = 0; n < 500; n++) {
    let s = "";
    const len = Math.floor(r() * 30);
    for (let i = 0; i < len; i++) s += pick(r, parts);
    const whole = parseAll([s]);
    const chunks: string[] = [];
    for (let i = 0; i < s.length; ) {
      const k = 1 + Math.floor(r() * 5);
      chunks.push(s.slice(i, i + k));
      i += k;
    }
    eq(parseAll(chunks), whole, JSON.stringify(s));
  }
});

test("sse: a large chunk of many lines parses in linear time", () => {
  const body = 'event: delta\ndata: {"text":"tok"}\n\n'.repeat(20000);
  const t0 = Date.now();
  const events = parseAll([body]);
  ok(events.length === 20000, "event count " + events.length);
  ok(Date.now() - t0 < 1500, "took " + (Date.now() - t0) + " ms");
});
