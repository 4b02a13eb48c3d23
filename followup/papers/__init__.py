"""Council papers made from the follow-up: Excel workbooks for kommunfullmäktige and
kommunstyrelsen, written from the same domain functions as the pages.

- ``month_report``: what one period's month report (Månadsrapport) holds, read in a fixed
  number of queries whatever the number of committees.
- ``month_report_workbook``: that report as a workbook (manadsrapport-2026-10.xlsx).
- ``interim_report`` and ``interim_report_workbook``: the interim report (Delårsrapport)
  and the annual accounts (Årsbokslut) with their statements, balance requirement,
  investments, companies and goals (delarsrapport-2026.xlsx, arsbokslut-2026.xlsx).
- ``common``: what the workbooks share (heading, sums, the committees' summary, printing).
- ``paper``: the paper of a period, whichever kind it is (the command and the download).
"""
