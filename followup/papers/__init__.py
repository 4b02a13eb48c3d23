"""Council papers made from the follow-up: Excel workbooks for kommunfullmäktige and
kommunstyrelsen, written from the same domain functions as the pages.

- ``month_report``: what one period's month report (Månadsrapport) holds, read in a fixed
  number of queries whatever the number of committees.
- ``month_report_workbook``: that report as a workbook (manadsrapport-2026-10.xlsx).
"""
