"""Results: loading answers into DataFrames for `scoring/`, reports, exports and the
response import. The dashboard calls the same functions as the CLI."""
