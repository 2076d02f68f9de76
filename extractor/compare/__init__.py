"""`extract compare`: agencies side by side, from a batch dataset.

figures (what is computed from the dataset, and how rows are chosen and
sorted) -> render (CSV, Markdown, HTML).
"""
