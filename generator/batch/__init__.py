"""Many outputs and many projects in one run: the check cache, the build plan, the worker pool."""
