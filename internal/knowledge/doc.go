// Package knowledge owns Docent's knowledge base: reading documents (Markdown,
// HTML, plain text), reducing them to clean text, splitting them into chunks
// that keep their title, heading path and source for citations, storing them
// through the store, and the in-memory BM25 index that answers ranked top-k
// searches. Every search is scoped to one collection: there is no code path
// that searches across collections.
//
// The flow is Read (bytes → Parsed: title and heading/paragraph/code blocks,
// with hidden and invisible text removed, PI-09) → SplitChunks (Parsed →
// Pieces of roughly 60–220 words under their heading path) → the store
// (PutDocument, a no-op when the content hash is unchanged) → Index
// (ReplaceDocument). Ingester drives it for paths and embedded file systems.
//
// Terms is the one normalization shared by indexing, querying and the
// extractive answerer, so a word in a question meets the same word in a
// document whatever its case, accents or light inflection, in the eight
// languages Docent serves.
package knowledge
