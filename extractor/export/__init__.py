"""Output: the JSON report document and its CSV forms."""
