"""Each role's main page on a phone (390 px) and a laptop (1 280 px): no serious or
critical axe-core violation (WCAG 2.1 AA), and nothing wider than the screen."""

import pytest
from playwright.sync_api import expect

from budget.models import Role
from tests.e2e.accessibility import assert_accessible
from tests.e2e.conftest import give_role, sign_in

ROLES = [
    (Role.CONTROLLER, "bildningsnamnden"),
    (Role.FINANCE, None),
    (Role.COUNCILLOR, None),
    (Role.SECRETARY, None),
    (Role.ADMINISTRATOR, None),
]


@pytest.mark.parametrize(("role", "committee"), ROLES, ids=[r.name for r, _ in ROLES])
def test_each_roles_start_page_is_accessible_and_fits_a_phone_and_a_laptop(
    demo_year, e2e_user, live_server, page, role, committee
):
    give_role(e2e_user, role, committee)
    sign_in(page, live_server, e2e_user.username)

    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.reload()
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(page, context=f"{role.label}, {width} px")
        assert page.evaluate("document.documentElement.scrollWidth") <= width, width
