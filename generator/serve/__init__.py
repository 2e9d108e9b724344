"""The front desk: a local web page to find, preview, print and verify handouts (`handouts serve`), and
printing through CUPS (`handouts print`). It sits above the build: it builds on demand with the same code."""
