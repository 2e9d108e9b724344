"""Translators' tools: sync/new/done, PO and XLIFF exchange, status, lint, the review PDF."""
