"""A GET changes nothing: every URL of the project, opened by every role, leaves every
table with the rows it had (sessions aside: signing in writes one).

The URLs and their sample arguments are the permission matrix's (test_permissions_matrix),
so a new view is covered as soon as it has its line there. March is open for reporting and
no report is started, so the report pages take the path where a report could be created.
"""

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection
from django.urls import reverse

from followup.models import ReportingPeriod
from tests.test_permissions_matrix import ROLES, personas, project_urls, sample_kwargs

__all__ = ["personas"]  # the fixture, used by the test below


def counting_query() -> tuple[list[str], str, list]:
    """(the models' labels, one query counting what ``model.objects.count()`` counts for each
    model, its parameters): one query, not one per model after each of some 80 URLs."""
    labels, counts, params = [], [], []
    for model in apps.get_models():
        if model._meta.label == "sessions.Session":
            continue
        sql, model_params = model.objects.order_by().values("pk").query.sql_with_params()
        labels.append(model._meta.label)
        # Django's own SQL of each model's manager: no outside text in it.
        counts.append(f"(SELECT COUNT(*) FROM ({sql}) AS counted)")  # noqa: S608
        params.extend(model_params)
    return labels, "SELECT " + ", ".join(counts), params


def row_counts(query) -> dict:
    """{model label: its rows} (sessions aside: signing in writes one)."""
    labels, sql, params = query
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return dict(zip(labels, cursor.fetchone(), strict=True))


@pytest.mark.parametrize("role", ROLES)
def test_no_get_of_any_url_writes_a_row(client, plan, personas, role):
    march = ReportingPeriod.objects.get(plan=plan, month=3)
    march.status = ReportingPeriod.Status.OPEN
    march.save()
    user = personas[role]
    if user is not None:
        client.force_login(user)
    target = get_user_model().objects.exclude(pk=getattr(user, "pk", None)).first()
    query = counting_query()
    before = row_counts(query)
    changed = []
    for name, route in project_urls():
        client.get(reverse(name, kwargs=sample_kwargs(name, route, target.pk)))
        after = row_counts(query)
        if after != before:
            changed.append(f"{name}: " + ", ".join(k for k in after if after[k] != before[k]))
            before = after
        if name == "logout" and user is not None:
            client.force_login(user)  # signing in again is logged (axes): not the GET's doing
            before = row_counts(query)

    assert changed == []
