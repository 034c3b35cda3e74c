"""Quote search: passages, embeddings, lexical and vector indexes, hybrid ranking."""
