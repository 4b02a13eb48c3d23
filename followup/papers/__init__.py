"""Council papers made from the follow-up: Excel workbooks for kommunfullmäktige and
kommunstyrelsen, written from the same domain functions as the pages.

- ``month_report``: what one period's month report (Månadsrapport) holds, read in a fixed
  number of queries whatever the number of committees.
- ``month_report_workbook``: that report as a workbook (manadsrapport-2026-10.xlsx).
- ``interim_report`` and ``interim_report_workbook``: the interim report (Delårsrapport)
  and the annual accounts (Årsbokslut): summary with the verdicts, Driftredovisning,
  statements, balance requirement, investments per project, companies and kommunkoncernen,
  prognossäkerhet, goals with the financial goals, reallocations and the committees' parts
  (delarsrapport-2026.xlsx, arsbokslut-2026.xlsx); ``interim_sheets``: its tables of the
  committees, investments and companies; ``statement_sheets``: its
  statements (figures from followup.statements.figures).
- ``committee_parts`` and ``committee_sheets``: what both kinds of paper share: each
  committee's part (activities, comments, the report's thread, the action plans with
  their measures as of the period) and the reallocations decided.
- ``common``: what the workbooks share (heading, sums, the committees' summary, printing:
  row heights for wrapped text and page breaks that keep a part together).
- ``paper``: the paper of a period, whichever kind it is (the command and the download).
"""
