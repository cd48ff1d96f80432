"""Exporting: the exporter API, option handling, staging and deterministic writing, the run."""
