"""Rendering: localize, template, lay out and write PDFs and HTML pages."""
