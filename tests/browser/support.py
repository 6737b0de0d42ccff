"""Driving the console like a person: open a screen, sign in, fill a field, press a button,
wait for words to appear, keep a screenshot of every screen visited.

Selectors are the `data-testid` attributes the screens set (a Quasar input carries it on its
frame, so the field itself is `[data-testid=x] input`)."""

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from selenium.common.exceptions import (
    ElementClickInterceptedException,
    ElementNotInteractableException,
    StaleElementReferenceException,
    WebDriverException,
)
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement

WAIT_SECONDS = 30.0
SCREENSHOTS = Path(os.environ.get("ERP_SCREENSHOT_DIR", ".erp/screenshots"))


class Person:
    """One person at one browser, signed in to the console at `base_url`."""

    def __init__(self, driver: WebDriver, base_url: str) -> None:
        self.driver = driver
        self.base_url = base_url.rstrip("/")
        self.downloads: Path | None = None

    def open(self, path: str) -> None:
        self.driver.get(f"{self.base_url}{path}")
        self.wait_for(
            lambda: self.driver.execute_script("return document.readyState") == "complete"
        )

    def sign_in(self, username: str, password: str) -> None:
        self.open("/login")
        self.driver.find_element(By.ID, "username").send_keys(username)
        self.driver.find_element(By.ID, "password").send_keys(password)
        self.driver.find_element(By.ID, "login-submit").click()
        self.wait_for(lambda: "/login" not in self.driver.current_url, what="signed in")

    def sign_out(self) -> None:
        self.by_testid("logout").click()
        self.wait_for(lambda: "/login" in self.driver.current_url, what="signed out")

    def by_testid(self, testid: str) -> WebElement:
        found: WebElement = self.wait_for(
            lambda: _first(self.driver.find_elements(By.CSS_SELECTOR, f'[data-testid="{testid}"]')),
            what=f"[data-testid={testid}]",
        )
        return found

    def has_testid(self, testid: str) -> bool:
        return bool(self.driver.find_elements(By.CSS_SELECTOR, f'[data-testid="{testid}"]'))

    def field(self, testid: str) -> WebElement:
        frame = self.by_testid(testid)
        if frame.tag_name in ("input", "textarea"):
            return frame
        found: WebElement = self.wait_for(
            lambda: _first(frame.find_elements(By.CSS_SELECTOR, "input, textarea")),
            what=f"input in [data-testid={testid}]",
        )
        return found

    def fill(self, testid: str, value: str) -> None:
        element = self.field(testid)
        element.send_keys(Keys.CONTROL, "a")
        element.send_keys(Keys.DELETE)
        element.send_keys(value)

    def choose(self, testid: str, option_text: str) -> None:
        """Pick `option_text` in a Quasar select (the menu is rendered at the end of body)."""
        self.by_testid(testid).click()
        option = self.wait_for(
            lambda: _first(
                [
                    item
                    for item in self.driver.find_elements(By.CSS_SELECTOR, ".q-menu .q-item")
                    if option_text in item.text
                ]
            ),
            what=f"option {option_text!r}",
        )
        option.click()

    def press(self, testid: str) -> None:
        """Click, again if the element was redrawn under us (tables refresh after loading)."""

        def clicked() -> bool:
            self.by_testid(testid).click()
            return True

        self.wait_for(clicked, what=f"click on [data-testid={testid}]")

    def double_press(self, testid: str) -> None:
        """Two clicks in a row, as an impatient person does."""
        ActionChains(self.driver).double_click(self.by_testid(testid)).perform()

    def text_of(self, testid: str) -> str:
        return self.by_testid(testid).text

    def wait_text(self, text: str, seconds: float = WAIT_SECONDS) -> None:
        self.wait_for(lambda: text in self.body_text(), seconds, what=f"text {text!r}")

    def body_text(self) -> str:
        try:
            return str(self.driver.find_element(By.TAG_NAME, "body").text)
        except WebDriverException:
            return ""

    def wait_for(
        self, condition: Callable[[], Any], seconds: float = WAIT_SECONDS, what: str = "condition"
    ) -> Any:
        deadline = time.monotonic() + seconds
        while True:
            try:
                value = condition()
            except (
                StaleElementReferenceException,
                ElementClickInterceptedException,
                ElementNotInteractableException,
            ):
                value = None  # redrawn, covered (a closing menu) or not ready: try again
            if value:
                return value
            if time.monotonic() > deadline:
                self.screenshot(f"timeout-{_slug(what)}")
                raise AssertionError(
                    f"waited {seconds:.0f}s for {what} on {self.driver.current_url}; "
                    f"page says: {self.body_text()[:1500]}"
                )
            time.sleep(0.1)

    def screenshot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.driver.save_screenshot(str(path))
        return path


def _first(elements: list[WebElement]) -> WebElement | None:
    visible = [element for element in elements if element.is_displayed()]
    return visible[0] if visible else (elements[0] if elements else None)


def _slug(text: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in text)[:60]
