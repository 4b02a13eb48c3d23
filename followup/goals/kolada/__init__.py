"""Indicator values from Kolada, the open database of Swedish municipalities.

``client`` fetches (or parses a saved response file), ``importer`` writes the values
the plan's indicators are mapped to, ``mappings`` keeps which KPI feeds which indicator.
"""
