"""The follow-up pages, one module per part of the year's work."""
