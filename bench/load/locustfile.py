"""The month-end rush, for locust (bench/load/run.sh runs it; not part of the test suite).

ControllerUser (one per controller in the plan, 50): logs in once, opens the committee's
draft report for the open period, saves changed figures a few times (LOAD_SAVES, default
4), then saves and submits it once ("Spara och lämna in"); after that it only reads (its
report, the dashboard). Forecasts are never below the activity's frame, so no committee
forecasts a negative deviation and no submission needs an action plan: a refused
submission is an error here, never a success.

CouncillorUser (20): logs in once, then reads the dashboard, a committee's drill-down in a
published period and, now and then, the month report in Excel.

Every save is recorded (what was typed, in kronor, and how it ended: ok; failed; pending
if the run stopped before the answer; unconfirmed if the page after the redirect did not
show the success message) and written to LOAD_RESULTS when the test stops, with every
request's time; bench/load/verify.py compares the saves with the database.

Environment: LOAD_PLAN (bench/load/prepare.py's JSON), LOAD_RESULTS (where to write),
LOAD_PASSWORD, LOAD_SAVES.

How the client stands in for a browser behind the TLS proxy
-------------------------------------------------------------
gunicorn runs with the production settings, as deployed behind a TLS-terminating proxy:
the proxy speaks https to the browser and plain http to gunicorn on loopback, adding
``X-Forwarded-Proto: https``. So every request here carries that header (without it
SECURE_SSL_REDIRECT would answer 301 to an https:// address nobody listens on, which
fails loudly), and every POST carries the Origin and Referer a browser on
https://127.0.0.1:PORT would send, which is what Django's CSRF check compares with the
request's host (no CSRF_TRUSTED_ORIGINS needed: the origin is the site itself).

Django then marks its session, CSRF and messages cookies ``Secure``. python-requests
stores those cookies but, seeing an http:// URL, never sends them back, as a browser
would not over http: every login would look lost (the CSRF check answers 403).
``BehindTlsProxy`` is a cookie policy that treats the loopback leg as the https leg it
stands for, for loopback hosts only, and ``ProxiedSession`` (the users' client) builds
each Cookie header under that policy. The production settings stay as they are, no
cookie is handled by hand, and no Secure cookie would be sent over a network.

Redirects are never followed automatically: each locust request is one HTTP request
(verify.py compares their number with gunicorn's access log), and an unexpected
redirect (to the login, or to https) is a failure rather than a silently followed hop.
"""

import html
import json
import os
import random
import re
from decimal import ROUND_HALF_UP, Decimal
from http.cookiejar import DefaultCookiePolicy
from pathlib import Path
from urllib.parse import urlsplit

from locust import HttpUser, between, events, task
from locust.clients import HttpSession
from locust.exception import StopUser

PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text(encoding="utf-8"))
RESULTS = Path(os.environ["LOAD_RESULTS"])
PASSWORD = os.environ["LOAD_PASSWORD"]
SAVES = int(os.environ.get("LOAD_SAVES", "4"))

YEAR = PLAN["year"]
MONTH = PLAN["month"]
LATEST_PUBLISHED = PLAN["published_months"][-1]
LOOPBACK = {"127.0.0.1", "::1", "localhost"}
LOGIN_FORM = "/konto/login/?next=/"
THOUSAND = Decimal(1000)
TENTH = Decimal("0.1")
CENT = Decimal("0.01")
MINUS = "\u2212"
EN_DASH = "\u2013"

CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ROW_VERSION_RE = re.compile(r'name="row_version" value="(\d+)"')
FIELD_RE = re.compile(r'name="((?:outcome|forecast|comment)_\d+)"')
# An amount field as the page shows it: what a browser sends back when nobody touched it.
SHOWN_RE = re.compile(r'name="((?:outcome|forecast)_\d+)" value="([^"]*)"')
STATUS_RE = re.compile(r'Status: <span class="badge">([^<]+)</span>')
MESSAGE_RE = re.compile(r'<li class="message message--(\w+)">(.*?)</li>', re.S)
TAG_RE = re.compile(r"<[^>]+>")

# What the users record, by controller; written at test stop for verify.py.
RECORDS: dict = {}
# Every request: [name, method, start (epoch s), response time (ms), ok]; exact percentiles
# for bench/LOAD.md (locust's own CSV rounds them to two significant digits).
REQUESTS: list = []
_controllers = iter(PLAN["controllers"])
_councillors = iter(PLAN["councillors"])


def next_user(users):
    """The next of the plan's users for a new locust user; when none is left, it stops."""
    try:
        return next(users)
    except StopIteration:
        raise StopUser() from None


class BehindTlsProxy(DefaultCookiePolicy):
    """Send Secure cookies to loopback, which stands for the https leg (module docstring)."""

    def return_ok_secure(self, cookie, request):
        if urlsplit(request.get_full_url()).hostname in LOOPBACK:
            return True
        return super().return_ok_secure(cookie, request)


class ProxiedSession(HttpSession):
    """locust's HttpSession as seen through the TLS proxy: X-Forwarded-Proto on every
    request, and the Cookie header built under BehindTlsProxy.

    requests builds each request's Cookie header from a copy of the session's cookies in a
    fresh jar with the default policy (Session.prepare_request), so a policy set on the
    session's jar alone changes nothing; the header is built again here from the jar
    itself. Cookies are stored as usual (storing is not where Secure is checked)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.trust_env = False
        self.cookies.set_policy(BehindTlsProxy())
        self.headers["X-Forwarded-Proto"] = "https"

    def prepare_request(self, request):
        prepared = super().prepare_request(request)
        prepared.headers.pop("Cookie", None)  # prepare_cookies only fills an absent header
        prepared.prepare_cookies(self.cookies)
        return prepared


def messages(html: str) -> list[tuple[str, str]]:
    """(level, text) of the Django messages on a page."""
    return [
        (level, " ".join(TAG_RE.sub(" ", text).split())) for level, text in MESSAGE_RE.findall(html)
    ]


def answer(r) -> str:
    """The answer's status, or the connection error when there was no answer (status 0)."""
    error = getattr(r, "error", None)
    return f"status {r.status_code}" + (f" ({error!r})" if r.status_code == 0 and error else "")


def typed(tkr: Decimal) -> str:
    """An amount in tkr as a person types it, in one of the forms the form accepts."""
    style = random.randrange(3)  # noqa: S311 - load-test data, not secrets
    if style == 0:  # "−130 825,5": minus sign, spaces between thousands, decimal comma
        text = f"{abs(tkr):,.1f}".replace(",", " ").replace(".", ",")
        return f"{MINUS}{text}" if tkr < 0 else text
    if style == 1:  # "-130825,5"
        return f"{tkr:.1f}".replace(".", ",")
    return f"{tkr:.1f}".replace(".", ",").replace("-", EN_DASH)  # "–130825,5"


def kr(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def amount_text(kronor: Decimal | None) -> str | None:
    return None if kronor is None else format(kronor.quantize(CENT), "f")


class Browser(HttpUser):
    """A signed-in browser session through the TLS proxy (see the module docstring)."""

    abstract = True
    wait_time = between(1, 3)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.client = ProxiedSession(
            base_url=self.host,
            request_event=self.environment.events.request,
            user=self,
            pool_manager=self.pool_manager,
        )

    def on_start(self):
        self.origin = "https://" + urlsplit(self.host).netloc
        self.login()

    def post(self, path, data, *, name):
        return self.client.post(
            path,
            data=data,
            name=name,
            headers={"Origin": self.origin, "Referer": self.origin + path},
            allow_redirects=False,
            catch_response=True,
        )

    def page(self, path, *, name):
        """GET a page; any redirect is unexpected (a lost session redirects to the login)."""
        return self.client.get(path, name=name, allow_redirects=False, catch_response=True)

    def login(self):
        # "/" sends the anonymous browser on to the login form, as in real use. Redirects
        # are followed by hand here, so that each locust request is one HTTP request
        # (verify.py compares their number with gunicorn's access log).
        with self.page("/", name="GET / (anonymous)") as r:
            ok = r.status_code == 302 and r.headers.get("Location") == LOGIN_FORM
            if ok:
                r.success()
            else:
                r.failure(
                    f"not sent to the login form: {r.status_code} {r.headers.get('Location')}"
                )
        if not ok:
            raise StopUser()
        with self.page(LOGIN_FORM, name="GET login form") as r:
            token = CSRF_RE.search(r.text)
            ok = r.status_code == 200 and 'name="username"' in r.text and token
            if not ok:
                r.failure(f"no login form: {r.status_code}")
        if not ok:
            raise StopUser()
        data = {
            "csrfmiddlewaretoken": token.group(1),
            "username": self.username,
            "password": PASSWORD,
            "next": "/",
        }
        with self.post("/konto/login/", data, name="POST login") as r:
            ok = r.status_code == 302 and r.headers.get("Location") == "/"
            if ok:
                r.success()
            else:  # never try again: django-axes locks a user out after failed logins
                r.failure(f"login refused for {self.username}: {r.status_code}")
        if not ok:
            raise StopUser()


class ControllerUser(Browser):
    fixed_count = len(PLAN["controllers"])

    def on_start(self):
        self.me = next_user(_controllers)
        self.username = self.me["username"]
        self.url = f"/uppfoljning/{YEAR}/{MONTH}/{self.me['committee']}/"
        self.lines = self.me["lines"]
        # What this user believes the report holds: activity id → (outcome, forecast, comment).
        self.state = {
            line["activity"]: (kr(line["outcome"]), kr(line["forecast"]), line["comment"])
            for line in self.lines
        }
        self.expected_fields = {
            f"{kind}_{line['activity']}"
            for line in self.lines
            for kind in (("outcome", "forecast", "comment") if PLAN["asks_forecast"] else ("outcome", "comment"))
        }  # fmt: skip
        self.saves = 0
        self.submitted = False
        self.record = RECORDS[self.username] = {
            "committee": self.me["committee"],
            "report": self.me["report"],
            "attempts": [],
        }
        super().on_start()
        self.open_form(expect=None)

    # --- the report page -----------------------------------------------------------

    def open_form(self, *, expect):
        """GET the report; ``expect``: the success message a save must have left, or None.
        Returns True when the page is as expected."""
        with self.page(self.url, name="GET report form") as r:
            problem = self._check_form(r, expect)
            if problem:
                r.failure(problem)
            return problem is None

    def _check_form(self, r, expect):
        if r.status_code != 200:
            return answer(r)
        shown = messages(r.text)
        errors = [text for level, text in shown if level == "error"]
        if errors:
            return "error message: " + " | ".join(errors)
        if expect and not any(level == "success" and expect in text for level, text in shown):
            return f"no ”{expect}” after saving; messages: {shown}"
        status = STATUS_RE.search(r.text)
        status = status.group(1) if status else None
        if self.submitted:
            if status != "Inlämnad" or FIELD_RE.search(r.text):
                return f"submitted report shows status {status} or is still editable"
            return None
        if status != "Utkast":
            return f"draft shows status {status}"
        token = CSRF_RE.search(r.text)
        row_version = ROW_VERSION_RE.search(r.text)
        if not token or not row_version:
            return "no CSRF token or row_version in the form"
        fields = set(FIELD_RE.findall(r.text))
        if fields != self.expected_fields:
            return f"form fields differ from the plan: {len(fields)} vs {len(self.expected_fields)}"
        self.shown = {name: html.unescape(value) for name, value in SHOWN_RE.findall(r.text)}
        self.token = token.group(1)
        self.row_version = int(row_version.group(1))
        return None

    def next_values(self) -> dict:
        """New figures: every line on the first save, about a quarter of them later; a
        couple of comments each time. Forecasts stay at or above the frame."""
        rng = random
        new = {}
        for line in self.lines:
            aid = line["activity"]
            outcome, forecast, comment = self.state[aid]
            if self.saves == 0 or rng.random() < 0.25:  # noqa: S311
                frame = (kr(line["frame"]) or Decimal(0)) / THOUSAND  # tkr, whole
                share = Decimal(MONTH) / 12 * (1 + Decimal(rng.randint(-30, 30)) / 1000)  # noqa: S311
                outcome = (frame * share).quantize(TENTH, rounding=ROUND_HALF_UP) * THOUSAND
                if PLAN["asks_forecast"]:
                    slack = int(abs(frame) * Decimal("0.3"))  # up to 3 % better, in 0.1 tkr
                    forecast = (frame + Decimal(rng.randint(0, slack)) / 10) * THOUSAND  # noqa: S311
            new[aid] = [outcome, forecast, comment]
        for line in rng.sample(self.lines, min(2, len(self.lines))):
            new[line["activity"]][2] = (
                f"Prognosen följer budget ({self.username}, sparning {self.saves + 1})."
            )
        return {aid: tuple(v) for aid, v in new.items()}

    def save(self, action):
        values = self.next_values()
        data = {
            "csrfmiddlewaretoken": self.token,
            "row_version": self.row_version,
            "action": action,
        }
        for aid, (outcome, forecast, comment) in values.items():
            old = self.state[aid]
            # A changed amount is typed anew; an unchanged one is sent back as the page
            # shows it (the form keeps the exact amount it stands for).
            data[f"outcome_{aid}"] = (
                typed(outcome / THOUSAND)
                if outcome != old[0]
                else self.shown.get(f"outcome_{aid}", "")
            )
            if PLAN["asks_forecast"]:
                data[f"forecast_{aid}"] = (
                    typed(forecast / THOUSAND)
                    if forecast != old[1]
                    else self.shown.get(f"forecast_{aid}", "")
                )
            data[f"comment_{aid}"] = comment
        if action == "lamna_in":
            # Asked for only when an action plan falls short of a negative deviation.
            data["shortfall_reason"] = "Belastningstest: fler åtgärder tas fram."
        attempt = {
            "action": action,
            "row_version": self.row_version,
            "values": {
                str(aid): [amount_text(o), amount_text(f), c] for aid, (o, f, c) in values.items()
            },
            "result": "pending",
        }
        self.record["attempts"].append(attempt)
        name = "POST report: save draft" if action == "spara" else "POST report: save and submit"
        with self.post(self.url, data, name=name) as r:
            redirected = r.status_code == 302 and r.headers.get("Location") == self.url
            if redirected:
                r.success()
            else:
                problem = f"{answer(r)}: {messages(r.text) if r.text else ''}"
                r.failure(problem)
                attempt["result"] = "failed"
                attempt["detail"] = problem[:500]
        if not redirected:
            raise StopUser()  # counted as a failure; verify.py reports what became of it
        # The redirect's page tells whether the save (and the submission) went through.
        if action == "lamna_in":
            self.submitted = True
        expect = "Utkastet är sparat." if action == "spara" else "Rapporten är inlämnad."
        if self.open_form(expect=expect):
            attempt["result"] = "ok"
            self.state = values
            self.saves += 1
        else:
            attempt["result"] = "unconfirmed"
            raise StopUser()

    @task
    def work(self):
        if self.submitted:
            if random.random() < 0.5:  # noqa: S311
                self.open_form(expect=None)
            else:
                with self.page(
                    f"/uppfoljning/{YEAR}/oversikt/", name="GET dashboard (controller)"
                ) as r:
                    if r.status_code != 200 or f"<h1>Översikt {YEAR}" not in r.text:
                        r.failure(answer(r))
        elif self.saves < SAVES:
            self.save("spara")
        else:
            self.save("lamna_in")


class CouncillorUser(Browser):
    fixed_count = len(PLAN["councillors"])

    def on_start(self):
        self.username = next_user(_councillors)
        super().on_start()

    @task(10)
    def dashboard(self):
        with self.page(f"/uppfoljning/{YEAR}/oversikt/", name="GET dashboard (councillor)") as r:
            if r.status_code != 200 or f"<h1>Översikt {YEAR}" not in r.text:
                r.failure(answer(r))

    @task(8)
    def drill_down(self):
        committee = random.choice(PLAN["committees"])  # noqa: S311
        month = random.choice(PLAN["published_months"][-2:])  # noqa: S311
        url = f"/uppfoljning/{YEAR}/{month}/{committee['code']}/oversikt/"
        with self.page(url, name="GET committee drill-down") as r:
            if r.status_code != 200 or f"<h1>{committee['name']}:" not in r.text:
                r.failure(answer(r))

    @task(1)
    def month_report(self):
        url = f"/uppfoljning/{YEAR}/{LATEST_PUBLISHED}/manadsrapport.xlsx"
        with self.page(url, name="GET month report (xlsx)") as r:
            if r.status_code != 200 or not r.content.startswith(b"PK"):
                r.failure(f"{answer(r)}, {len(r.content or b'')} bytes")


@events.request.add_listener
def on_request(request_type, name, response_time, exception, start_time=None, **_kwargs):
    REQUESTS.append([name, request_type, start_time, response_time, exception is None])


@events.test_stop.add_listener
def write_results(environment, **_kwargs):
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    results = {
        "controllers": RECORDS,
        "requests": REQUESTS,
    }
    RESULTS.write_text(json.dumps(results, ensure_ascii=False), encoding="utf-8")
