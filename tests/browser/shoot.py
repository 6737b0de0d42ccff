"""Developer tool: sign in to a running console and screenshot screens.

    uv run python -m tests.browser.shoot --base http://127.0.0.1:8100 \\
        --user admin --password PW --out /tmp/shots / /stock /sales

Prints each PNG's path and the first lines of the page's text (what a person would read)."""

import argparse
import tempfile
import time
from pathlib import Path

from .chromium import ensure_chromium, headless_chromium
from .support import Person


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:8100")
    parser.add_argument("--user", default="admin")
    parser.add_argument("--password", required=True)
    parser.add_argument("--out", default=".erp/shots")
    parser.add_argument("--settle", type=float, default=2.0, help="seconds to let data load")
    parser.add_argument("paths", nargs="+")
    args = parser.parse_args()
    problem = ensure_chromium()
    if problem:
        raise SystemExit(problem)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    driver = headless_chromium(Path(tempfile.mkdtemp(prefix="erp-shoot-")))
    try:
        person = Person(driver, args.base)
        person.sign_in(args.user, args.password)
        for path in args.paths:
            person.open(path)
            time.sleep(args.settle)
            name = path.strip("/").replace("/", "_").replace("?", "_") or "dashboard"
            target = out / f"{name}.png"
            driver.save_screenshot(str(target))
            print(target)  # noqa: T201
            print("   ", person.body_text()[:600].replace("\n", " | "))  # noqa: T201
    finally:
        driver.quit()


if __name__ == "__main__":
    main()
