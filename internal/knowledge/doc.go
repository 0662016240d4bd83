// Package knowledge owns Docent's knowledge base: reading documents (Markdown,
// HTML, plain text), reducing them to clean text, splitting them into chunks
// that keep their title, heading path and source for citations, storing them
// through the store, and the in-memory BM25 index that answers ranked top-k
// searches. Every search is scoped to one collection: there is no code path
// that searches across collections.
package knowledge
