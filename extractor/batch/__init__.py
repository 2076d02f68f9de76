"""`extract batch`: thousands of reports into one dataset.

inputs (what to read) -> runner (plan, extract on an engine, build) ->
engines (local worker processes or Dask) -> store (the dataset folder) ->
assemble + writers (CSV, Parquet, DuckDB) with cross_year (checks across an
agency's years).
"""
