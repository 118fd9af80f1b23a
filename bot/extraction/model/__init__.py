"""Data files of the shipped check-worthiness model (see MODEL_CARD.md); no code."""
