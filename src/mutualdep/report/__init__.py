"""Figures and summaries drawn from results (never from a live model)."""
