"""The one error ingestion raises."""


class IngestError(Exception):
    """A file that cannot be ingested; str(error) is a clear one-line message for users."""
