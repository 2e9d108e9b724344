"""The content: YAML read with positions, the frozen model, the project loader, problems, safe file I/O."""
