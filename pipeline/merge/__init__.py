"""Clerks' edits kept across rebuilds, and edited bulletins checked against the data."""
