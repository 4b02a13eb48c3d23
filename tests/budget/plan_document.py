"""The source document, Mål och budget 2026, as the tests know it."""

# The document's tables, in its order: each is a sheet of the exported workbook and a page in
# the menu, under these titles.
DOCUMENT_TABLES = [
    "Budgetjämförelse",
    "Förändring mot föregående år",
    "Förändring av medel",
    "Resultatbudget",
    "Balansbudget",
    "Kassaflödesbudget",
    "Investeringsbudget",
]
