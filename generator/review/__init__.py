"""Review and provenance: content fingerprints, effective states, approve, verify."""
