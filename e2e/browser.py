"""Helpers for the console tests: a headless Chromium, screenshots of every screen (two sizes,
light and dark), waiting on the page, and a small ingest client that plays a phone call through
the API the way a telephony bridge does.

Nothing here knows the console's internals beyond what a person sees: CSS selectors of visible
elements, texts, and the DevTools protocol for colour scheme, viewport and network conditions.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import (
    ElementClickInterceptedException, NoAlertPresentException, NoSuchElementException, StaleElementReferenceException,
    TimeoutException, UnexpectedAlertPresentException,
)
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement

from avoca_harness import describe

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
SCREENS_DIR = Path(__file__).resolve().parent / "artifacts" / "screens"
# Every screen is captured at both sizes, in both colour schemes.
SHOT_SIZES = ((1280, 800), (1920, 1080))
SCHEMES = ("light", "dark")
DEFAULT_SIZE = (1440, 900)
COMPANY_TIME_ZONE = "America/Chicago"
BROWSER_TIME_ZONE = "Asia/Tokyo"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


class Browser:
    """One Chromium window (one person at one desk)."""

    def __init__(self, base_url: str, test_name: str, label: str = "") -> None:
        for path in (CHROMIUM, CHROMEDRIVER):
            if not Path(path).exists():
                pytest.fail(f"{path} is missing (Debian packages chromium and chromium-driver)", pytrace=False)
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                         f"--window-size={DEFAULT_SIZE[0]},{DEFAULT_SIZE[1]}", "--lang=en-US",
                         "--autoplay-policy=no-user-gesture-required", "--hide-scrollbars",
                         "--force-color-profile=srgb", "--disable-gpu"):
            options.add_argument(argument)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        # An alert stays open (never silently dismissed), so a script run from data cannot go unseen.
        options.unhandled_prompt_behavior = "ignore"
        self.driver = webdriver.Chrome(service=webdriver.ChromeService(executable_path=CHROMEDRIVER), options=options)
        self.driver.set_script_timeout(30)
        self.base = base_url
        self.test_name = _slug(test_name)
        self.label = _slug(label)
        self.shots: list[Path] = []
        self._counter = 0
        self.console_errors: list[str] = []
        self.viewport(*DEFAULT_SIZE)
        self.scheme("light")
        # The person works far from the company (the server's AVOCA_TIME_ZONE): the console must
        # still show and book times on the company's clock.
        self.cdp("Emulation.setTimezoneOverride", {"timezoneId": BROWSER_TIME_ZONE})

    # ---------------------------------------------------------------- life cycle

    def close(self) -> None:
        try:
            self.collect_console()
        finally:
            self.driver.quit()

    def cdp(self, command: str, params: dict | None = None):
        return self.driver.execute_cdp_cmd(command, params or {})

    def open(self, path: str = "/") -> None:
        self.driver.get(self.base + path)

    # ---------------------------------------------------------------- appearance

    def viewport(self, width: int, height: int) -> None:
        self.cdp("Emulation.setDeviceMetricsOverride",
                 {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})

    def scheme(self, name: str) -> None:
        self.cdp("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": name}]})

    def settle(self) -> None:
        """Waits for two animation frames, so a changed viewport or colour scheme is painted."""
        self.driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "requestAnimationFrame(() => requestAnimationFrame(() => done(true)));")

    def shot(self, screen: str, sizes=SHOT_SIZES) -> list[Path]:
        """Saves the screen at each of `sizes` (1280×800 and 1920×1080 unless told), light and dark;
        restores 1440×900 light."""
        SCREENS_DIR.mkdir(parents=True, exist_ok=True)
        self._counter += 1
        prefix = "-".join(p for p in (self.test_name, self.label, f"{self._counter:02d}", _slug(screen)) if p)
        saved = []
        try:
            for width, height in sizes:
                self.viewport(width, height)
                for scheme in SCHEMES:
                    self.scheme(scheme)
                    self.settle()
                    path = SCREENS_DIR / f"{prefix}-{width}x{height}-{scheme}.png"
                    assert self.driver.save_screenshot(str(path)), f"could not save {path}"
                    saved.append(path)
        finally:
            self.viewport(*DEFAULT_SIZE)
            self.scheme("light")
        self.shots.extend(saved)
        return saved

    def element_png(self, element: WebElement, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        assert element.screenshot(str(path)), f"could not save {path}"
        return path

    # ---------------------------------------------------------------- finding and waiting

    def wait(self, condition, timeout: float = 15, message: str = ""):
        """Polls `condition()` until it returns something truthy (exceptions count as not yet)."""
        deadline = time.monotonic() + timeout
        last_error = None
        while True:
            try:
                value = condition()
                if value:
                    return value
            except (NoSuchElementException, StaleElementReferenceException, ElementClickInterceptedException,
                    AssertionError) as error:
                last_error = error
            except UnexpectedAlertPresentException:
                self.assert_no_alert()
                raise
            if time.monotonic() > deadline:
                detail = f" (last: {last_error})" if last_error else ""
                raise TimeoutException(f"timed out after {timeout}s waiting for {message or condition}{detail}")
            time.sleep(0.05)

    def find(self, css: str, root: WebElement | None = None) -> WebElement:
        return (root or self.driver).find_element(By.CSS_SELECTOR, css)

    def find_all(self, css: str, root: WebElement | None = None) -> list[WebElement]:
        return (root or self.driver).find_elements(By.CSS_SELECTOR, css)

    def visible(self, css: str, timeout: float = 15) -> WebElement:
        def check():
            for element in self.find_all(css):
                if element.is_displayed():
                    return element
            return None
        return self.wait(check, timeout, f"a visible {css!r}")

    def gone(self, css: str, timeout: float = 15) -> None:
        self.wait(lambda: not any(e.is_displayed() for e in self.find_all(css)), timeout, f"{css!r} to disappear")

    def wait_text(self, css: str, needle: str, timeout: float = 15) -> WebElement:
        """Waits for a visible element matching `css` whose text contains `needle`."""
        def check():
            for element in self.find_all(css):
                if needle in element.text and element.is_displayed():
                    return element
            return None
        try:
            return self.wait(check, timeout, f"{css!r} containing {needle!r}")
        except TimeoutException as error:
            texts = [e.text for e in self.find_all(css)][:10]
            raise TimeoutException(f"{error.msg}; texts now: {texts!r}") from None

    def click(self, css: str, timeout: float = 15) -> WebElement:
        """Clicks the first visible, enabled match (looked up again if the page redraws it)."""
        def attempt():
            for element in self.find_all(css):
                if element.is_displayed() and element.is_enabled():
                    element.click()
                    return element
            return None
        return self.wait(attempt, timeout, f"a clickable {css!r}")

    def press(self, text: str, root_css: str = "body", timeout: float = 15) -> WebElement:
        """Clicks the button `button` finds, finding it again if the page redraws it in between
        (a panel re-rendered by live call news replaces its buttons)."""
        def attempt():
            element = self.button(text, root_css, timeout=timeout)
            element.click()
            return element
        return self.wait(attempt, timeout, f"a clickable button {text!r} in {root_css!r}")

    def button(self, text: str, root_css: str = "body", timeout: float = 15) -> WebElement:
        """A visible, enabled button (or link styled as one) whose text contains `text`."""
        def check():
            for element in self.find_all(f"{root_css} button, {root_css} a.button"):
                if text in element.text and element.is_displayed() and element.is_enabled():
                    return element
            return None
        return self.wait(check, timeout, f"a button {text!r} in {root_css!r}")

    def fill(self, css: str, value: str, root: WebElement | None = None) -> WebElement:
        element = self.find(css, root) if root is not None else self.visible(css)
        element.clear()
        element.send_keys(value)
        return element

    def js(self, script: str, *args):
        return self.driver.execute_script(script, *args)

    def assert_no_alert(self) -> None:
        try:
            alert = self.driver.switch_to.alert
        except NoAlertPresentException:
            return
        text = alert.text
        alert.dismiss()
        raise AssertionError(f"a JavaScript alert opened (script ran from data!): {text!r}")

    def collect_console(self) -> list[str]:
        """Severe browser-console entries since the last call: uncaught errors and logged errors.

        Refused requests (a 401 from the refresh on first load, a 409 the page shows) are answers
        the console handles; Chromium logs them as "network" entries, which are left out.
        """
        try:
            entries = self.driver.get_log("browser")
        except Exception:
            return []
        errors = [e["message"] for e in entries if e.get("level") == "SEVERE" and e.get("source") != "network"]
        self.console_errors.extend(errors)
        return errors

    # ---------------------------------------------------------------- network

    def offline(self, off: bool) -> None:
        self.cdp("Network.enable")
        self.cdp("Network.emulateNetworkConditions", {
            "offline": off, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})


def decode_qr_png(path: Path) -> str:
    """Reads a QR code from a PNG with zbarimg (QR only, so nothing else is mistaken for one)."""
    if shutil.which("zbarimg") is None:
        pytest.fail("zbarimg is not installed (Debian package zbar-tools)", pytrace=False)
    result = subprocess.run(["zbarimg", "-q", "--raw", "-Sdisable", "-Sqrcode.enable", str(path)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stdout.strip(), \
        f"zbarimg could not read a QR code from {path} (exit {result.returncode}): {result.stderr.strip()}"
    return result.stdout.strip()


class Caller:
    """A phone call played through the ingest API, as a telephony bridge would."""

    def __init__(self, server, api_key: str, phone_number: str) -> None:
        self.server = server
        self.api_key = api_key
        self.phone_number = phone_number
        self.call_id: str | None = None
        self.seq = 0
        self.spoken: list[tuple[int, str, str]] = []  # (seq, speaker, text)
        self.errors: list[str] = []
        self._thread: threading.Thread | None = None

    def start(self) -> dict:
        response = self.server.post("/api/phone-calls", {"phone_number": self.phone_number}, api_key=self.api_key)
        assert response.status_code == 201, f"starting a call failed: {describe(response)}"
        call = response.json()
        self.call_id = call["phone_call_id"]
        return call

    def say(self, text: str, speaker: str = "caller", delay: float = 0.06) -> None:
        """Sends `text` one word per segment, `delay` seconds apart (blocking)."""
        for word in text.split():
            self.seq += 1
            body = {"segments": [{"seq": self.seq, "speaker": speaker, "text": word}]}
            path = f"/api/phone-calls/{self.call_id}/transcript"
            response = self.server.post(path, body, api_key=self.api_key)
            if response.status_code != 200:
                self.errors.append(describe(response))
            self.spoken.append((self.seq, speaker, word))
            if delay:
                time.sleep(delay)

    def say_in_background(self, text: str, speaker: str = "caller", delay: float = 0.06) -> threading.Thread:
        self._thread = threading.Thread(target=self.say, args=(text, speaker, delay), daemon=True)
        self._thread.start()
        return self._thread

    def finish_speaking(self, timeout: float = 60) -> None:
        if self._thread is not None:
            self._thread.join(timeout)
            assert not self._thread.is_alive(), "the caller is still speaking"
            self._thread = None
        assert not self.errors, "transcript segments were refused:\n" + "\n".join(self.errors)

    @property
    def speaking(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def hang_up(self) -> dict:
        response = self.server.post(f"/api/phone-calls/{self.call_id}/end", api_key=self.api_key)
        assert response.status_code == 200, f"ending the call failed: {describe(response)}"
        return response.json()

    def words(self, speaker: str | None = None) -> list[str]:
        return [text for _, who, text in self.spoken if speaker is None or who == speaker]


def rendered_words(browser: Browser) -> list[str]:
    """The words of the transcript as the console shows them, insight labels left out."""
    text = browser.js("""
        const turns = document.querySelectorAll('call-transcript .turn-text');
        return [...turns].map((p) => {
          const copy = p.cloneNode(true);
          copy.querySelectorAll('.visually-hidden').forEach((n) => n.remove());
          return copy.textContent;
        }).join(' ');
    """)
    return text.split()
