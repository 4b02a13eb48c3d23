"""Forecast proposals: per activity and period, and per investment project.

- methods.py: the methods, pure functions over one activity's plain figures;
- choice.py: which method for an activity (the one closest before) and the Proposal;
- history.py: the figures from the database, in a fixed number of queries;
- proposals.py: ``proposals_for(report)``, what the report form shows;
- investments.py: ``investment_proposals(follow_up)``, with the unspent-budget warning.

docs/decisions/0027-forecast-proposals.md says why these methods and this choice.
"""
