// Package e2e owns Docent's browser end-to-end tests: a real Docent server
// and a host page on another site, driven in headless Chromium through the
// DevTools protocol. They check what only a browser can: the loader's shadow
// root on a hostile page, the lazy cross-site iframe, streaming as the
// visitor sees it, resuming after a reload, and inert rendering of untrusted
// text. The tests live in *_test.go files; the host pages in testdata/.
package e2e
