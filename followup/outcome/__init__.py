"""Outcome (utfall) from the financial system, loaded from a file by finance.

Each period the committees report their outcome to date per activity. Finance loads it
from the financial system instead of the controllers typing it: a CSV export (csv.py) or
an SIE 4 file (sie.py), through ``manage.py import_outcome`` or the upload page.

Choices a newcomer would ask about:

- **A preview first, then all or nothing per committee.** A file is previewed (preview.py)
  before anything is saved: per committee what would be loaded (activities, rows, sum) or
  why it is left out (a wrong row of the committee, its report submitted or approved);
  rows that belong to no committee (an unknown committee, an SIE object without a
  mapping) and what is not counted (later months, earlier years). Finance confirms the
  preview; then every committee it loads gets all its rows, the others none, in one
  transaction through the report workflow (open_report, save_report), so the history
  shows each changed outcome with the path it came by (file upload or command). The
  confirmation carries the preview's fingerprint and is refused when the file or a
  report has changed since (StalePreview). On the page the file waits between the two
  steps in MEDIA_ROOT under a signed name (pending.py).
- **The file is a committee's whole outcome.** For every committee that has rows in the
  file, each of its activities gets the file's outcome, and an activity without rows gets
  0 (a committee's figures never mix a file with older typed values). Committees without
  rows in the file are not touched. Forecasts and comments are kept.
- **Finansförvaltningen and the political reserve** are committees like the others here:
  their lines (skatteintäkter, finansnetto, …) are loaded the same way, with their codes.
- **Signs.** Amounts are net kronor: costs negative, revenues positive. A CSV carries
  them so. SIE books debit positive (costs positive), so outcome = −(sum of balances).
- **The whole file is refused** when it cannot be read, the period is not open, or no
  committee at all can be loaded; every problem is then listed with its line.
- Each load is recorded (OutcomeImport: file name, format, SHA-256, rows, activities, sum).
"""

from followup.outcome.mappings import MappingError, load_outcome_mapping_data, load_outcome_mappings
from followup.outcome.preview import Preview, StalePreview, preview_outcome
from followup.outcome.problems import OutcomeFileError, OutcomeProblem
from followup.outcome.service import import_data, import_outcome, summary

__all__ = [
    "MappingError",
    "OutcomeFileError",
    "OutcomeProblem",
    "Preview",
    "StalePreview",
    "import_data",
    "import_outcome",
    "preview_outcome",
    "load_outcome_mapping_data",
    "load_outcome_mappings",
    "summary",
]
