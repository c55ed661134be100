"""Fixtures for Avoca's black-box end-to-end tests: thin wrappers of `avoca_harness`, where the
server launcher, the SMTP sink and the account helpers live (import helpers from there).

The suite starts the real binary (`$AVOCA_BIN serve`) against a fresh PostgreSQL database on the
server named by `$AVOCA_TEST_PG_URL` and a real SMTP server (aiosmtpd) that collects the mail the
server's outbox delivers. Everything talks HTTP on 127.0.0.1; nothing here knows the server's
internals.

Fixtures:
  smtp           (session)  the mailbox: `smtp.wait_for_mail(to, subject_contains, timeout=15)`.
  server         (module)   a server on its own database, whose first account (`server.admin`,
                            role admin) is already signed up and enrolled.
  fresh_server   (function) the same, for tests that must not share throttle counters.
  bare_server    (function) a server on an empty database (nobody signed up yet).
  console_server (function) a server on an empty database, without simulator or demo data.
  browsers       (function) opens Chromium windows on the console server: `browsers("label")`.
"""

from __future__ import annotations

import os
import shutil
import time
from contextlib import closing

import pytest

from avoca_harness import AvocaServer, Mailbox, new_account
from browser import SCREENS_DIR, Browser


# --------------------------------------------------------------------------------------------
# Environment: both variables are required; a missing one FAILS the run (never skips it).
# --------------------------------------------------------------------------------------------

def _required_env() -> tuple[str, str]:
    problems = []
    binary = os.environ.get("AVOCA_BIN", "").strip()
    pg_url = os.environ.get("AVOCA_TEST_PG_URL", "").strip()
    if not binary:
        problems.append("AVOCA_BIN is not set (path to the avoca binary, e.g. .build/debug/avoca)")
    if not pg_url:
        problems.append("AVOCA_TEST_PG_URL is not set (superuser URL of a PostgreSQL server, "
                        "e.g. postgres://postgres@127.0.0.1:54329/postgres)")
    if problems:
        pytest.fail("e2e suite cannot run: " + "; ".join(problems) + ". Run it through scripts/test.",
                    pytrace=False)
    return binary, pg_url


@pytest.fixture(scope="session", autouse=True)
def e2e_environment() -> tuple[str, str]:
    binary, pg_url = _required_env()
    # The binary may be mid-rebuild: give it a while to reappear before failing.
    deadline = time.monotonic() + 120
    while not (os.path.isfile(binary) and os.access(binary, os.X_OK)):
        if time.monotonic() > deadline:
            pytest.fail(f"AVOCA_BIN={binary} does not exist or is not executable", pytrace=False)
        time.sleep(1)
    if shutil.which("psql") is None:
        pytest.fail("psql is not installed (Debian package postgresql-client)", pytrace=False)
    return binary, pg_url


@pytest.fixture(scope="session")
def smtp(e2e_environment):
    with closing(Mailbox.start()) as mailbox:
        yield mailbox


# --------------------------------------------------------------------------------------------
# Servers
# --------------------------------------------------------------------------------------------

def start_server(e2e_environment, smtp: Mailbox, env: dict[str, str] | None = None) -> AvocaServer:
    """A started server on a fresh database (closed again if it does not start)."""
    binary, pg_url = e2e_environment
    server = AvocaServer(binary, pg_url, smtp.port, env)
    try:
        server.start()
    except BaseException:
        print(server.log_tail())
        server.close()
        raise
    return server


def _server_with_admin(e2e_environment, smtp):
    """Starts a server and signs up its first account, which must become the admin."""
    with closing(start_server(e2e_environment, smtp)) as srv:
        srv.admin = new_account(srv, smtp, prefix="admin")
        assert srv.admin.employee["role"] == "admin", srv.admin.employee
        yield srv


@pytest.fixture(scope="module")
def server(e2e_environment, smtp):
    """A server whose first (admin) account exists: `server.admin`."""
    yield from _server_with_admin(e2e_environment, smtp)


@pytest.fixture
def fresh_server(e2e_environment, smtp):
    """Like `server`, but per test: its throttle counters are its own."""
    yield from _server_with_admin(e2e_environment, smtp)


@pytest.fixture
def bare_server(e2e_environment, smtp):
    """A server on an empty database."""
    with closing(start_server(e2e_environment, smtp)) as srv:
        yield srv


# Calls come only from the test (through the ingest API), never from the built-in simulator, and
# the directory starts empty, so what the console shows is exactly what the test made.
CONSOLE_ENV = {"AVOCA_SIMULATOR": "off", "AVOCA_DEMO_DATA": "off", "AVOCA_OFFER_TIMEOUT": "30",
               "AVOCA_TIME_ZONE": "America/Chicago"}


@pytest.fixture
def console_server(e2e_environment, smtp):
    """A server on an empty database, without simulator or demo data (for browser tests)."""
    with closing(start_server(e2e_environment, smtp, CONSOLE_ENV)) as srv:
        yield srv


@pytest.fixture
def browsers(request, console_server):
    """Opens browsers (`browsers("label")`) on the console server; saves each one's last screen and
    closes it afterwards."""
    opened: list[Browser] = []
    # Screens of an earlier run of this test would be mistaken for this run's.
    for old in SCREENS_DIR.glob(f"{request.node.name.lower().replace('_', '-')}-*"):
        old.unlink()

    def open_browser(label: str = "") -> Browser:
        browser = Browser(console_server.base, request.node.name, label)
        opened.append(browser)
        return browser

    yield open_browser
    for browser in opened:
        # The last state of the page, for reading a failure (not one of the reviewed screens).
        try:
            stem = "-".join(p for p in (browser.test_name, browser.label, "zz-last") if p)
            browser.driver.save_screenshot(str(SCREENS_DIR / f"{stem}.png"))
            (SCREENS_DIR / f"{stem}.txt").write_text(browser.js("return document.body.innerText") or "")
        except Exception as error:  # the browser may be gone; the test's own failure matters more
            print(f"could not save the last screen: {error}")
        browser.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.failed:
        for name, value in getattr(item, "funcargs", {}).items():
            if isinstance(value, AvocaServer):
                report.sections.append((f"avoca server log ({name}, last 200 lines)", value.log_tail()))
            elif isinstance(value, (tuple, list)):  # several instances, e.g. a cluster
                for index, member in enumerate(value):
                    if isinstance(member, AvocaServer):
                        report.sections.append(
                            (f"avoca server log ({name}[{index}], last 200 lines)", member.log_tail()))
