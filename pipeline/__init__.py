"""Builds official bulletins (通报) from structured data."""
