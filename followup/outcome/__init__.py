"""Outcome (utfall) from the financial system, loaded from a file by finance.

Each period the committees report their outcome to date per activity. Finance loads it
from the financial system instead of the controllers typing it: a CSV export (csv.py) or
an SIE 4 file (sie.py), through ``manage.py import_outcome`` or the upload page.

Choices a newcomer would ask about:

- **All or nothing.** Every problem is reported with its line, in Swedish, and nothing
  is saved unless the whole file is valid; the reports are written in one transaction
  through the report workflow (open_report, save_report), so the history shows each
  changed outcome with the path it came by (file upload or command).
- **The file is a committee's whole outcome.** For every committee that has rows in the
  file, each of its activities gets the file's outcome, and an activity without rows gets
  0 (a committee's figures never mix a file with older typed values). Committees without
  rows in the file are not touched. Forecasts and comments are kept.
- **Finansförvaltningen and the political reserve** are committees like the others here:
  their lines (skatteintäkter, finansnetto, …) are loaded the same way, with their codes.
- **Signs.** Amounts are net kronor: costs negative, revenues positive. A CSV carries
  them so. SIE books debit positive (costs positive), so outcome = −(sum of balances).
- **Refused, not partly loaded:** a period that is not open; a committee whose report is
  submitted (inlämnad) or approved (godkänd) — it must be returned or corrected first.
- Each load is recorded (OutcomeImport: file name, format, SHA-256, rows, activities, sum).
"""

from followup.outcome.mappings import MappingError, load_outcome_mapping_data, load_outcome_mappings
from followup.outcome.problems import OutcomeFileError, OutcomeProblem
from followup.outcome.service import import_outcome, summary

__all__ = [
    "MappingError",
    "OutcomeFileError",
    "OutcomeProblem",
    "import_outcome",
    "load_outcome_mapping_data",
    "load_outcome_mappings",
    "summary",
]
