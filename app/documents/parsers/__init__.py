"""Field parsers, one module per document type."""
