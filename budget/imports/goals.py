"""Reading the sheet "Mål och nyckeltal": vision, perspectives, goals and indicators."""

from budget.exports import layout
from budget.imports.sheets import YEAR_RANGE, max_length
from budget.models import FinancialIndicator, Goal, Indicator, Perspective, Vision


def read(ctx, data):
    read_goals(ctx, data)


def read_goals(ctx, data):
    sheet = layout.GOALS_SHEET
    sections = ctx.sections(sheet)
    vision_section = sections.get(layout.VISION.title)
    if vision_section is not None:
        values = ctx.key_values(vision_section, layout.VISION)
        title, title_row = values.get("title", (None, vision_section.header_row))
        text, text_row = values.get("text", (None, vision_section.header_row))
        title = "" if title is None else str(title).strip()
        text = "" if text is None else str(text).strip()
        if title and text:
            if len(title) > max_length(Vision, "title"):
                ctx.problems.add(sheet, title_row, 1, "Visionens rubrik är för lång.")
            data["vision"] = {"title": title, "text": text}
        elif title or text:
            ctx.problems.add(
                sheet,
                text_row if title else title_row,
                1,
                "Visionen behöver både rubrik och text.",
            )
    data["perspectives"] = []
    seen = {}
    for row in ctx.each(sections.get(layout.PERSPECTIVES.title)):
        code = row.text(
            "code", required=True, slug=True, max_length=max_length(Perspective, "code")
        )
        name = row.text("name", required=True, max_length=max_length(Perspective, "name"))
        description = row.text("description")
        if row.ok and not ctx.duplicate(seen, code, row, "code", f"Styrperspektivet ”{code}”"):
            data["perspectives"].append({"code": code, "name": name, "description": description})
    data["goals"] = []
    goals = {}
    for row in ctx.each(sections.get(layout.GOALS.title)):
        number = row.integer("number", low=1, high=32767)
        title = row.text("title", required=True, max_length=max_length(Goal, "title"))
        description = row.text("description")
        if row.ok and number in goals:
            row.problem(row.columns["number"], f"Mål {number} finns redan.")
        if row.ok:
            goals[number] = {
                "number": number,
                "title": title,
                "description": description,
                "indicators": [],
                "financial_indicators": [],
            }
            data["goals"].append(goals[number])
    seen = {}
    for row in ctx.each(sections.get(layout.INDICATORS.title)):
        goal = row.integer("goal")
        code = row.text("code", required=True, slug=True, max_length=max_length(Indicator, "code"))
        name = row.text("name", required=True, max_length=max_length(Indicator, "name"))
        description = row.text("description")
        limits = {"places": 2, "limit": 10**10}
        baseline = row.decimal("baseline_value", **limits)
        baseline_year = row.integer("baseline_year", **YEAR_RANGE)
        target = row.decimal("target_value", **limits)
        target_year = row.integer("target_year", **YEAR_RANGE)
        direction = row.choice("direction", Indicator.Direction.choices)
        source = row.text("source", max_length=max_length(Indicator, "source"))
        if goal is not None and goal not in goals:
            row.problem(row.columns["goal"], f"Mål {goal} finns inte under ”Inriktningsmål”.")
        if row.ok and not ctx.duplicate(seen, (goal, code), row, "code", f"Nyckeltalet ”{code}”"):
            goals[goal]["indicators"].append(
                {
                    "code": code,
                    "name": name,
                    "description": description,
                    "baseline": {"value": baseline, "year": baseline_year},
                    "target": {"value": target, "year": target_year},
                    "direction": direction,
                    "source": source,
                }
            )
    seen = {}
    for row in ctx.each(sections.get(layout.FINANCIAL_INDICATORS.title)):
        goal = row.integer("goal")
        code = row.text(
            "code", required=True, slug=True, max_length=max_length(FinancialIndicator, "code")
        )
        name = row.text("name", required=True, max_length=max_length(FinancialIndicator, "name"))
        method = row.choice("method", FinancialIndicator.Method.choices)
        if goal is not None and goal not in goals:
            row.problem(row.columns["goal"], f"Mål {goal} finns inte under ”Inriktningsmål”.")
        if row.ok and not ctx.duplicate(seen, code, row, "code", f"Nyckeltalet ”{code}”"):
            goals[goal]["financial_indicators"].append(
                {"code": code, "name": name, "method": method}
            )
