"""The ground floor: script conversion, tokens, sentences and passages, used by ingestion, the library,
search and summaries alike. Pure functions; nothing here imports another `bot` package."""
