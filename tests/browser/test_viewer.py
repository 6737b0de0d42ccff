"""A viewer reads every screen but sees no command form, and the services refuse a command
signed as them if it is sent directly."""

import uuid

import httpx
import pytest
from selenium.webdriver.common.by import By

from eventkit.http.user_tokens import UserTokenSigner

from .conftest import Browsers
from .screens import SCREENS
from .stack import Stack

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.timeout(900)]


def test_a_viewer_sees_no_command_form_on_any_screen(stack: Stack, browser: Browsers) -> None:
    viewer = browser.person("chakan")
    for path in SCREENS:
        viewer.open(path)
        viewer.wait_for(lambda: viewer.has_testid("logout"), what=f"{path} drawn")
        viewer.wait_for(lambda: "加载中" not in viewer.body_text(), what=f"{path} loaded")
        forms = viewer.driver.find_elements(By.CSS_SELECTOR, '[data-testid^="form-"]')
        assert not forms, f"{path} shows {[f.get_attribute('data-testid') for f in forms]}"
    viewer.open("/users")
    viewer.wait_text("无权")


def test_the_services_refuse_a_viewers_commands_sent_directly(stack: Stack) -> None:
    key = (stack.data_dir / "user-token-signing.pem").read_bytes()
    token = UserTokenSigner(key).sign("chakan", ["viewer"])
    headers = {"Authorization": f"Bearer {token}"}
    customer = {
        "customer_id": f"V-{uuid.uuid4().hex[:6]}",
        "name": "x",
        "credit_limit": "1",
        "payment_terms_days": 1,
    }
    refused = httpx.post(f"{stack.service_urls['sales']}/customers", json=customer, headers=headers)
    assert refused.status_code == 403
    readable = httpx.get(f"{stack.service_urls['sales']}/orders", headers=headers)
    assert readable.status_code == 200
