import { MdNode, parseMarkdown, toDOM } from "../frame/markdown";
import { eq, ok, pick, rng, test } from "./harness";
import { fakeDocument, FakeNode, html, walk } from "./fakedom";

const render = (md: string) => html(toDOM(parseMarkdown(md), fakeDocument) as unknown as FakeNode);
const A = (href: string, text: string) =>
  `<a href="${href}" title="${href}" rel="noopener noreferrer nofollow" target="_blank">${text}</a>`;

const cases: [string, string, string][] = [
  ["paragraph with bold", "Hello **world**", "<p>Hello <strong>world</strong></p>"],
  ["italic both ways, no intraword underscore", "*a* _b_ snake_case_name", "<p><em>a</em> <em>b</em> snake_case_name</p>"],
  ["bold italic", "***x***", "<p><strong><em>x</em></strong></p>"],
  ["strikethrough", "~~old~~ ~one~", "<p><del>old</del> ~one~</p>"],
  ["unclosed delimiters stay text", "2 * 3 and **open", "<p>2 * 3 and **open</p>"],
  ["escapes", "\\*not em\\* \\[x]", "<p>*not em* [x]</p>"],
  ["inline code keeps markup literal", "use `<b>` and `` a`b ``", "<p>use <code>&lt;b&gt;</code> and <code>a`b</code></p>"],
  ["raw HTML is literal text", "<script>alert(1)</script><img src=x onerror=alert(1)>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;</p>"],
  ["line breaks kept", "a\nb", "<p>a<br>b</p>"],
  ["paragraphs", "a\n\n\nb", "<p>a</p><p>b</p>"],
  ["https link", "[docs](https://a.example/p?q=1)", "<p>" + A("https://a.example/p?q=1", "docs") + "</p>"],
  ["mailto link", "[mail](mailto:help@a.example)", "<p>" + A("mailto:help@a.example", "mail") + "</p>"],
  ["javascript link is text", "[x](javascript:alert(1))", "<p>x</p>"],
  ["data link is text", "[x](data:text/html,hi)", "<p>x</p>"],
  ["relative link is text", "[x](/admin)", "<p>x</p>"],
  ["protocol-relative link is text", "[x](//evil.example)", "<p>x</p>"],
  ["formatted label of an unsafe link", "[**b**](vbscript:x)", "<p><strong>b</strong></p>"],
  ["link with title and parens", '[w](https://a.example/x_(y) "T")', "<p>" + A("https://a.example/x_(y)", "w") + "</p>"],
  ["image never loads: alt linked", "![alt](https://evil.tld/?q=secret)", "<p>" + A("https://evil.tld/?q=secret", "alt") + "</p>"],
  ["image without alt shows its URL", "![](https://e.tld/i.png)", "<p>" + A("https://e.tld/i.png", "https://e.tld/i.png") + "</p>"],
  ["unsafe image is text", "![pic](javascript:x)", "<p>pic</p>"],
  ["autolink", "<https://a.example/x>", "<p>" + A("https://a.example/x", "https://a.example/x") + "</p>"],
  ["bare URL without trailing period", "see https://a.example/x.", "<p>see " + A("https://a.example/x", "https://a.example/x") + ".</p>"],
  ["bare URL in parentheses", "(https://a.example/x)", "<p>(" + A("https://a.example/x", "https://a.example/x") + ")</p>"],
  ["headings inside the bubble", "# One\n### Three ###\n####### seven", "<h3>One</h3><h5>Three</h5><p>####### seven</p>"],
  ["hashtag is not a heading", "#tag", "<p>#tag</p>"],
  ["bullet list", "- a\n- b", "<ul><li>a</li><li>b</li></ul>"],
  ["ordered list with start", "3. a\n4. b", '<ol start="3"><li>a</li><li>b</li></ol>'],
  ["nested list", "- a\n  - b\n  - c\n- d", "<ul><li>a<ul><li>b</li><li>c</li></ul></li><li>d</li></ul>"],
  ["ordered with nested bullets", "1. one\n   - x\n2. two", "<ol><li>one<ul><li>x</li></ul></li><li>two</li></ol>"],
  ["loose list", "- a\n\n- b", "<ul><li>a</li><li>b</li></ul>"],
  ["list then paragraph", "- a\n\nafter", "<ul><li>a</li></ul><p>after</p>"],
  ["lazy continuation", "- a\ncontinued", "<ul><li>a<br>continued</li></ul>"],
  ["list kinds do not mix", "- a\n1. b", "<ul><li>a</li></ul><ol><li>b</li></ol>"],
  ["fenced code", "```js\nconst a = '<b>';\n\nx\n```\nafter", "<pre><code>const a = '&lt;b&gt;';\n\nx</code></pre><p>after</p>"],
  ["unclosed fence runs to the end", "~~~\ncode", "<pre><code>code</code></pre>"],
  ["rule", "a\n\n---\n\nb", "<p>a</p><hr><p>b</p>"],
  ["block quote", "> quoted **b**\n> more", "<blockquote><p>quoted <strong>b</strong><br>more</p></blockquote>"],
  [
    "table",
    "| A | B |\n|---|:-:|\n| 1 | `|` |\n| a \\| b | c |",
    '<div class="md-table"><table><thead><tr><th>A</th><th>B</th></tr></thead><tbody>' +
      "<tr><td>1</td><td>`</td><td>`</td></tr><tr><td>a | b</td><td>c</td></tr></tbody></table></div>",
  ],
];

for (const [name, md, want] of cases) test("markdown: " + name, () => eq(render(md), want));

test("markdown: toDOM re-checks tags, attributes and hrefs", () => {
  const tree: MdNode[] = [
    { tag: "a", attrs: { href: "javascript:alert(1)", onclick: "x()", style: "color:red" }, children: ["t"] },
    { tag: "script", children: ["alert(1)"] },
    { tag: "img", attrs: { src: "https://e.tld/x.png" }, children: [] },
    { tag: "p", attrs: { class: "ok" }, children: ["<b>"] },
  ];
  eq(
    html(toDOM(tree, fakeDocument) as unknown as FakeNode),
    '<a rel="noopener noreferrer nofollow" target="_blank">t</a>alert(1)<p class="ok">&lt;b&gt;</p>',
  );
});

const ALLOWED = new Set("p h3 h4 h5 h6 ul ol li pre code strong em del a br hr blockquote table thead tbody tr th td div span".split(" "));

// Property: whatever the input, the output holds only allowed tags and
// attributes, every href is http(s) or mailto, and every link is rel-guarded.
test("markdown: random inputs render safely", () => {
  const r = rng(7);
  const parts = [
    "*", "**", "_", "~~", "`", "```", "[", "]", "(", ")", "![", "<", ">", "\\", "|", "# ", "- ", "1. ", "> ", "---",
    "\n", "\n\n", "  ", " ", "a", "é", "https://x.example/a", "javascript:alert(1)", "data:text/html,x", "mailto:a@b",
    "<img src=x onerror=alert(1)>", "<script>", "](", "](javascript:", "](https://y.example)",
  ];
  for (let n = 0; n < 3000; n++) {
    let s = "";
    const len = Math.floor(r() * 40);
    for (let i = 0; i < len; i++) s += pick(r, parts);
    const root = toDOM(parseMarkdown(s), fakeDocument) as unknown as FakeNode;
    walk(root, (e) => {
      ok(ALLOWED.has(e.tag!), `tag ${e.tag} from ${JSON.stringify(s)}`);
      for (const [k, v] of e.attrs) {
        ok(["href", "title", "rel", "target", "start", "class"].includes(k), `attr ${k} from ${JSON.stringify(s)}`);
        if (k === "href") ok(/^(https?:\/\/|mailto:)/.test(v), `href ${v} from ${JSON.stringify(s)}`);
      }
      if (e.tag === "a") ok(e.attrs.get("rel") === "noopener noreferrer nofollow", "rel missing");
    });
  }
});

test("markdown: pathological inputs stay fast", () => {
  const inputs = [
    "[".repeat(20000),
    "*a".repeat(10000),
    "**a ".repeat(5000),
    "`".repeat(3000) + "x",
    "_a_".repeat(5000),
    "> ".repeat(5000) + "x",
    "- ".repeat(3000) + "x",
    ("  ".repeat(50) + "- a\n").repeat(400),
    "![x](" + "(".repeat(10000),
    "https://a.example/" + ")".repeat(10000),
    "#".repeat(6) + " " + " ".repeat(20000) + "#",
  ];
  for (const s of inputs) {
    const t0 = Date.now();
    parseMarkdown(s);
    const ms = Date.now() - t0;
    ok(ms < 1000, `${ms} ms for ${JSON.stringify(s.slice(0, 20))}…`);
  }
});
