"""patient-handouts: print-ready, multilingual patient handouts from reviewed YAML content."""

__version__ = "0.1.0"
