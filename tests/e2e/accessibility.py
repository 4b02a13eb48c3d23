"""WCAG 2.1 AA checks with axe-core in the browser tests (the law requires AA of this service).

``assert_accessible(page)`` runs axe-core on the page as the user sees it and fails on every
violation of impact "serious" or "critical". axe-core is vendored for the tests only
(tests/e2e/vendor/, listed in static/vendor/README.md) and is never served by the application.
"""

from functools import cache
from pathlib import Path

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = {"serious", "critical"}
TARGETS_SHOWN = 3

_RUN = """tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})
    .then(r => r.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
        targets: v.nodes.map(n => n.target.join(' ')),
    })))"""


@cache
def _axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


def _inject_axe(page) -> None:
    """Put axe-core into the page without loosening its Content-Security-Policy.

    ``page.add_script_tag(path=...)`` inserts the file's text as an inline <script>, and the
    CSP (script-src 'self') refuses it ("Executing inline script violates ... 'script-src
    'self''"). ``page.evaluate(source)`` goes through the DevTools protocol, which CSP does
    not govern, so axe-core is defined as if loaded by the page while the page keeps the
    production CSP: no ``bypass_csp``, no route for a fake script URL. (The source evaluates
    to a non-function, so Playwright runs it as an expression rather than calling it.)
    Injected once per document: after a navigation it is injected again.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())


def accessibility_violations(page) -> list[dict]:
    """axe-core's serious and critical WCAG 2.1 A/AA violations on the current page."""
    _inject_axe(page)
    violations = page.evaluate(_RUN, WCAG_TAGS)
    return [v for v in violations if v["impact"] in FAILING_IMPACTS]


def assert_accessible(page, *, context: str = "") -> None:
    """Fail listing every serious or critical WCAG 2.1 AA violation axe-core finds on the page.

    ``context`` says which page or state this is (for example "report form after saving").
    """
    violations = accessibility_violations(page)
    if not violations:
        return
    lines = [
        f"{len(violations)} accessibility violation(s) on {page.url}"
        + (f" ({context})" if context else "")
        + ":"
    ]
    for v in violations:
        shown = ", ".join(v["targets"][:TARGETS_SHOWN])
        more = len(v["targets"]) - TARGETS_SHOWN
        lines.append(
            f"- {v['id']} [{v['impact']}] {v['help']}: {shown}"
            + (f" (and {more} more)" if more > 0 else "")
            + f" <{v['helpUrl']}>"
        )
    raise AssertionError("\n".join(lines))
