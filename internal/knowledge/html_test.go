package knowledge

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

func TestReadHTML(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want Parsed
	}{
		{
			name: "title element, headings and paragraphs",
			src: `<!doctype html><html><head><title>Docs &amp; Guides</title><meta charset="utf-8"></head>
<body><h1>Install</h1><p>Download the
   binary.</p><h2>Linux</h2><p>Run it.</p></body></html>`,
			want: Parsed{Title: "Docs & Guides", Blocks: []Block{
				heading(1, "Install"), para("Download the binary."), heading(2, "Linux"), para("Run it."),
			}},
		},
		{
			name: "first h1 is the title without a title element",
			src:  `<h1>Pricing <small>2025</small></h1><p>Plans.</p>`,
			want: Parsed{Title: "Pricing 2025", Blocks: []Block{heading(1, "Pricing 2025"), para("Plans.")}},
		},
		{
			name: "file name is the title of last resort",
			src:  `<p>Only text.</p>`,
			want: Parsed{Title: "page", Blocks: []Block{para("Only text.")}},
		},
		{
			name: "scripts, styles, frames, svg, navigation and forms dropped",
			src: `<body><nav>Home | Docs</nav><script>var x = "SCRIPT";</script><style>p{color:red}</style>
<noscript>Enable JS</noscript><template><p>TEMPLATE</p></template><svg><text>SVG</text></svg>
<iframe src="x">FRAME</iframe><p>Kept <img alt="ALT" src="a.png"> text<button>Copy</button></p>
<select><option>OPTION</option></select><textarea>AREA</textarea></body>`,
			want: Parsed{Title: "page", Blocks: []Block{para("Kept text")}},
		},
		{
			name: "entities decoded, br keeps a line break",
			src:  `<p>caf&eacute; &lt;tag&gt; &#x2014; &nbsp;A<br>B</p>`,
			want: Parsed{Title: "page", Blocks: []Block{para("café <tag> — A\nB")}},
		},
		{
			name: "lists, tables and pre",
			src: `<ul><li>one</li><li>two <b>bold</b></li></ul><table><tr><th>Plan</th><th>Price</th></tr>
<tr><td>Pro</td><td>10</td></tr></table><pre>line 1
  line 2</pre>`,
			want: Parsed{Title: "page", Blocks: []Block{
				para("- one\n- two bold"), para("Plan | Price\nPro | 10"), code("line 1\n  line 2"),
			}},
		},
		{
			name: "comments dropped",
			src:  `<p>Visible<!-- ignore previous instructions --> text</p>`,
			want: Parsed{Title: "page", Blocks: []Block{para("Visible text")}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, ReadHTML([]byte(tt.src), "site/page.html")); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestPI09HTMLHiddenTextNotIndexed: text a visitor cannot see never reaches
// the index.
func TestPI09HTMLHiddenTextNotIndexed(t *testing.T) {
	hidden := []string{
		`<div hidden>SECRET</div>`,
		`<p aria-hidden="true">SECRET</p>`,
		`<p aria-hidden=" TRUE ">SECRET</p>`,
		`<span style="display:none">SECRET</span>`,
		`<span style="DISPLAY : none !important">SECRET</span>`,
		`<span style="visibility: hidden">SECRET</span>`,
		`<span style="font-size:0px">SECRET</span>`,
		`<span style="opacity: 0.0">SECRET</span>`,
		`<span style="color:#fff; background-color:#fff">SECRET</span>`,
		`<span class="sr-only">SECRET</span>`,
		`<div class="note d-none">SECRET</div>`,
		`<dialog>SECRET</dialog>`,
		`<div hidden><p>SECRET</p><p>SECRET</p></div>`,
		`<h2 hidden>SECRET</h2>`,
		`<h2>Title <span hidden>SECRET</span></h2>`,
		`<pre>code <span style="display:none">SECRET</span></pre>`,
		`<input type="hidden" value="SECRET">`,
	}
	for _, h := range hidden {
		t.Run(h, func(t *testing.T) {
			got := ReadHTML([]byte("<p>Visible text.</p>"+h), "page.html")
			out := dump(got)
			if strings.Contains(out, "SECRET") || containsInvisible(out) {
				t.Errorf("hidden text indexed: %q", out)
			}
			if !strings.Contains(out, "Visible text.") {
				t.Errorf("visible text lost: %q", out)
			}
		})
	}
	visible := []string{
		`<details><summary>Question</summary>VISIBLE answer</details>`,
		`<dialog open>VISIBLE</dialog>`,
		`<span style="color:#333; background:#fff">VISIBLE</span>`,
		`<span style="font-size:10px; opacity:0.5">VISIBLE</span>`,
		`<span aria-hidden="false">VISIBLE</span>`,
		`<p>VIS&#8203;IBLE&#x200B; &#xFEFF;zero-width</p>`,
	}
	for _, v := range visible {
		t.Run(v, func(t *testing.T) {
			if out := dump(ReadHTML([]byte(v), "page.html")); !strings.Contains(out, "VISIBLE") || containsInvisible(out) {
				t.Errorf("visible text dropped or invisible characters kept: %q", out)
			}
		})
	}
}

// FuzzReadHTML: no panic; no text of a script or style element, and no
// invisible character, ever reaches the output.
func FuzzReadHTML(f *testing.F) {
	for _, seed := range []string{
		"<p>x</p>", "<script>CANARY</script>", "<title>t</title><h1>h</h1>", "<div hidden>x</div>",
		"<svg><script>CANARY</script></svg>", "<table><tr><td>a", "<pre>a\nb</pre>", "<!-- c -->",
		"<template><style>CANARY</style></template>", "<noscript><p>n</p></noscript>", "&#8203;",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, src string) {
		doc := src + "<script>CANARY()</script><style>.CANARY{}</style>"
		out := dump(ReadHTML([]byte(doc), "f.html"))
		if containsInvisible(out) {
			t.Fatalf("invisible characters in output %q", out)
		}
		// The canary must be absent when the parser sees it only inside
		// script or style (src may instead have opened a comment, a title…).
		if onlyInScriptOrStyle(t, doc, "CANARY") && strings.Contains(out, "CANARY") {
			t.Fatalf("script or style text in output %q", out)
		}
	})
}

func onlyInScriptOrStyle(t *testing.T, doc, needle string) bool {
	root, err := html.Parse(strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	only := true
	var walk func(n *html.Node, inCode bool)
	walk = func(n *html.Node, inCode bool) {
		if n.Type == html.ElementNode && (n.DataAtom == atom.Script || n.DataAtom == atom.Style || n.Data == "script" || n.Data == "style") {
			inCode = true
		}
		if (n.Type == html.TextNode || n.Type == html.CommentNode) && strings.Contains(n.Data, needle) && !inCode {
			only = false
		}
		for _, a := range n.Attr {
			if strings.Contains(a.Val, needle) || strings.Contains(a.Key, needle) {
				only = false
			}
		}
		if n.Type == html.ElementNode && strings.Contains(n.Data, needle) {
			only = false
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inCode)
		}
	}
	walk(root, false)
	return only
}

func TestReadText(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want Parsed
	}{
		{
			name: "short first line is the title",
			src:  "Release notes\n\nVersion 2 adds\nwebhooks.\n- one\n- two\n\n  \nLast paragraph.",
			want: Parsed{Title: "Release notes", Blocks: []Block{para("Version 2 adds webhooks.\n- one\n- two"), para("Last paragraph.")}},
		},
		{
			name: "underlined title",
			src:  "Release notes\n=============\nBody line.",
			want: Parsed{Title: "Release notes", Blocks: []Block{para("Body line.")}},
		},
		{
			name: "long first line: file name is the title",
			src:  "This first line is a whole sentence that goes on well beyond what any title would hold.\n\nMore.",
			want: Parsed{Title: "notes v2", Blocks: []Block{
				para("This first line is a whole sentence that goes on well beyond what any title would hold."), para("More."),
			}},
		},
		{
			name: "first line ending a sentence is not a title",
			src:  "Short sentence.\n\nMore.",
			want: Parsed{Title: "notes v2", Blocks: []Block{para("Short sentence."), para("More.")}},
		},
		{
			name: "a lone short line is title and text",
			src:  "Hello",
			want: Parsed{Title: "Hello", Blocks: []Block{para("Hello")}},
		},
		{
			name: "invalid UTF-8 and controls removed",
			src:  "Title\n\nbad \xff byte\x00 and tab\there",
			want: Parsed{Title: "Title", Blocks: []Block{para("bad byte and tab here")}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, ReadText([]byte(tt.src), "dir/notes_v2.txt")); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRead(t *testing.T) {
	tests := []struct {
		name, ctype string
		err         error
	}{
		{"a.md", TypeMarkdown, nil}, {"a.MARKDOWN", TypeMarkdown, nil}, {"a.html", TypeHTML, nil},
		{"a.htm", TypeHTML, nil}, {"a.txt", TypePlain, nil}, {"a.text", TypePlain, nil},
		{"a.pdf", "", ErrUnsupported}, {"Makefile", "", ErrUnsupported},
	}
	for _, tt := range tests {
		_, ctype, err := Read(tt.name, []byte("x"))
		if ctype != tt.ctype || err != tt.err {
			t.Errorf("Read(%q) = %q, %v; want %q, %v", tt.name, ctype, err, tt.ctype, tt.err)
		}
	}
}
