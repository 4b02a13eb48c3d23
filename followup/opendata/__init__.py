"""Open data (docs/decisions/0028): the published periods' figures per committee and the
adopted budget's tables, without login, as CSV and JSON, with a DCAT-AP-SE catalogue and
a page that lists them, under /oppna-data/. Off unless ``settings.OPEN_DATA``.

- ``published``: what is published (adopted plans, published periods as their records
  show them, the adopted budget's tables), as rows with fixed columns; nothing else.
- ``formats``: those rows as CSV and JSON text.
- ``catalogue``: the DCAT-AP-SE description (JSON-LD).
- ``serving``: on or off, the rate limit per client address, and cacheable answers.
- ``views``, ``urls``: the addresses.
"""
