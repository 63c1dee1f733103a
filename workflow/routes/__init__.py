"""The legal moves of a voorstel: one transitions machine per route."""
