"""One module per roster-wide measure: pure functions from facts and policy to results."""
