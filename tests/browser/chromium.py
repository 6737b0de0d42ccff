"""Headless Chromium for the browser tests: Debian's `chromium` + `chromium-driver`, installed
here when missing and running as root (the test setup of a fresh machine), driven by Selenium.

Flags: no sandbox (root in a container), and no background networking, sync or component
updates — this machine has no internet, and Chromium's attempts would be refused."""

import os
import shutil
import subprocess
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
PACKAGES = ("chromium", "chromium-driver", "fonts-wqy-zenhei")


def ensure_chromium() -> str | None:
    """None when Chromium and its driver are here (installed now if we may); else why not."""
    if CHROMIUM.exists() and CHROMEDRIVER.exists():
        return None
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        return "Debian's chromium and chromium-driver are not installed (and we are not root)"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for args in (["apt-get", "update", "-q"], ["apt-get", "install", "-y", "-q", *PACKAGES]):
        done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
        if done.returncode != 0 and args[1] == "install":
            return f"apt-get install failed: {done.stderr[-500:]}"
    return None if CHROMIUM.exists() and CHROMEDRIVER.exists() else "chromium still missing"


def headless_chromium(
    user_data_dir: Path, *, width: int = 1366, height: int = 900
) -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        f"--window-size={width},{height}",
        f"--user-data-dir={user_data_dir}",
        "--lang=zh-CN",
    ):
        options.add_argument(flag)
    options.add_experimental_option(
        "prefs",
        {
            "download.default_directory": str(user_data_dir / "downloads"),
            "download.prompt_for_download": False,
        },
    )
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(60)
    return driver
