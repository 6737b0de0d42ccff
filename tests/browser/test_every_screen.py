"""Every screen opens for an administrator without an error, in Chinese and in English, and
leaves a screenshot (docs/console.md shows some)."""

import pytest

from .conftest import Browsers
from .screens import SCREENS
from .stack import Stack

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.timeout(900)]


def test_every_screen_opens_and_is_screenshotted(stack: Stack, browser: Browsers) -> None:
    admin = browser.person("admin", stack.admin_password)
    for path in (*SCREENS, "/users"):
        admin.open(path)
        admin.wait_for(lambda: admin.has_testid("logout"), what=f"{path} drawn")
        admin.wait_for(lambda: "加载中" not in admin.body_text(), what=f"{path} loaded")
        text = admin.body_text()
        assert "Traceback" not in text, path
        assert "Internal Server Error" not in text, path
        name = path.strip("/").split("?")[0].replace("/", "-") or "dashboard"
        admin.screenshot(f"screen-{name}")
    admin.open("/language/en")
    admin.open("/stock")
    admin.wait_text("Items & stock")
    admin.screenshot("screen-stock-en")
