"""Fixtures for Avoca's black-box end-to-end tests.

The suite starts the real binary (`$AVOCA_BIN serve`) against a fresh PostgreSQL database on the
server named by `$AVOCA_TEST_PG_URL` and a real SMTP server (aiosmtpd) that collects the mail the
server's outbox delivers. Everything talks HTTP on 127.0.0.1; nothing here knows the server's
internals.

Fixtures:
  smtp         (session)  the mailbox: `smtp.wait_for_mail(to, subject_contains, timeout=15)`.
  server       (module)   a server on its own database, whose first account (`server.admin`,
                          role admin) is already signed up and enrolled.
  fresh_server (function) the same, for tests that must not share throttle counters.
  bare_server  (function) a server on an empty database (nobody signed up yet).
"""

from __future__ import annotations

import base64
import email
import email.policy
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.parse
import uuid
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

import pyotp
import pytest
import requests
from aiosmtpd.controller import Controller

PASSWORD = "tidy-lantern-4821"
HTTP_TIMEOUT = 30


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


# --------------------------------------------------------------------------------------------
# SMTP: a real server collecting every message.
# --------------------------------------------------------------------------------------------

@dataclass
class Mail:
    seq: int
    received_at: float
    mail_from: str
    rcpt_tos: list[str]
    to_header: str
    subject: str
    text: str
    raw: bytes


class Mailbox:
    """Collects what the SMTP server receives."""

    def __init__(self) -> None:
        self._lock = threading.Condition()
        self._messages: list[Mail] = []

    # aiosmtpd handler hook
    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd API)
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode("utf-8")
        message = email.message_from_bytes(raw, policy=email.policy.default)
        body_part = message.get_body(preferencelist=("plain", "html"))
        text = body_part.get_content() if body_part is not None else ""
        with self._lock:
            mail = Mail(
                seq=len(self._messages), received_at=time.time(), mail_from=envelope.mail_from,
                rcpt_tos=[r.lower() for r in envelope.rcpt_tos], to_header=str(message.get("To", "")),
                subject=str(message.get("Subject", "")), text=text, raw=raw)
            self._messages.append(mail)
            self._lock.notify_all()
        return "250 Message accepted for delivery"

    def mark(self) -> int:
        """A position: pass it as `since` to only see mail received after this point."""
        with self._lock:
            return len(self._messages)

    def messages(self, to: str | None = None, subject_contains: str | None = None, since: int = 0) -> list[Mail]:
        with self._lock:
            found = self._messages[since:]
        if to is not None:
            to = to.lower()
            found = [m for m in found if to in m.rcpt_tos or to in m.to_header.lower()]
        if subject_contains is not None:
            found = [m for m in found if subject_contains.lower() in m.subject.lower()]
        return found

    def wait_for(self, to: str, subject_contains: str, timeout: float = 15, since: int = 0) -> Mail:
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                found = self.messages(to, subject_contains, since)
                if found:
                    return found[-1]
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [(m.rcpt_tos, m.subject) for m in self._messages[since:]]
                    raise AssertionError(
                        f"no e-mail to {to!r} with a subject containing {subject_contains!r} "
                        f"within {timeout}s; received since mark: {seen}")
                self._lock.wait(min(left, 0.2))

    def wait_for_mail(self, to: str, subject_contains: str, timeout: float = 15, since: int = 0) -> str:
        """The text body of the newest matching message (waits for it to arrive)."""
        return self.wait_for(to, subject_contains, timeout, since).text


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def smtp(e2e_environment):
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    mailbox.port = port
    try:
        yield mailbox
    finally:
        controller.stop()


# --------------------------------------------------------------------------------------------
# PostgreSQL: one fresh database per server.
# --------------------------------------------------------------------------------------------

def _psql(admin_url: str, sql: str) -> None:
    result = subprocess.run(
        ["psql", admin_url, "-v", "ON_ERROR_STOP=1", "-q", "-c", sql],
        capture_output=True, text=True, timeout=60)
    if result.returncode != 0:
        raise RuntimeError(f"psql failed ({sql}): {result.stderr.strip()}")


def create_database(admin_url: str) -> tuple[str, str]:
    name = f"avoca_e2e_{uuid.uuid4().hex[:12]}"
    _psql(admin_url, f'CREATE DATABASE "{name}"')
    parts = urllib.parse.urlsplit(admin_url)
    return name, urllib.parse.urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def drop_database(admin_url: str, name: str) -> None:
    try:
        _psql(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    except Exception as error:  # teardown must not hide the real failure
        print(f"warning: could not drop database {name}: {error}")


# --------------------------------------------------------------------------------------------
# The server process.
# --------------------------------------------------------------------------------------------

class AvocaServer:
    def __init__(self, binary: str, pg_admin_url: str, smtp_port: int, extra_env: dict[str, str] | None = None,
                 database: tuple[str, str] | None = None) -> None:
        """`database`: (name, url) of an existing database to share (a second instance on it);
        by default a fresh database is created."""
        self.binary = binary
        self.extra_env = dict(extra_env or {})
        self.pg_admin_url = pg_admin_url
        self.smtp_port = smtp_port
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.data_dir = Path(tempfile.mkdtemp(prefix="avoca-e2e-"))
        self.log_path = self.data_dir / "server.log"
        self.db_name, self.db_url = database or create_database(pg_admin_url)
        self.process: subprocess.Popen | None = None
        self.admin: Account | None = None

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("AVOCA_") and k != "DATABASE_URL"}
        env.update({
            "AVOCA_PORT": str(self.port),
            "AVOCA_HOST": "127.0.0.1",
            "AVOCA_DATA_DIR": str(self.data_dir),
            "DATABASE_URL": self.db_url,
            "AVOCA_SMTP_URL": f"smtp://127.0.0.1:{self.smtp_port}",
            "AVOCA_MAIL_FROM": "Avoca <no-reply@avoca.test>",
            "AVOCA_BCRYPT_COST": "4",
            "AVOCA_AUTH_BACKOFF_BASE": "0.05",
            "AVOCA_LOG_LEVEL": "info",
        })
        env.update(self.extra_env)
        return env

    def start(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        attempt = 0
        while True:
            attempt += 1
            # The lead may be relinking the binary right now: wait for it to be there.
            while not (os.path.isfile(self.binary) and os.access(self.binary, os.X_OK)):
                if time.monotonic() > deadline:
                    raise RuntimeError(f"AVOCA_BIN {self.binary} does not exist or is not executable")
                time.sleep(1)
            log = open(self.log_path, "ab")
            try:
                self.process = subprocess.Popen(
                    [self.binary, "serve"], env=self.env(), stdout=log, stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL, cwd=self.data_dir, start_new_session=True)
            except OSError as error:  # e.g. ETXTBSY while the linker writes it
                log.close()
                if time.monotonic() > deadline or attempt >= 5:
                    raise RuntimeError(f"cannot start {self.binary}: {error}") from error
                time.sleep(2)
                continue
            log.close()
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    break
                try:
                    if requests.get(self.url("/healthz"), timeout=2).status_code == 200:
                        return
                except requests.RequestException:
                    pass
                time.sleep(0.1)
            code = self.process.poll()
            if code is None:
                self.stop()
                raise RuntimeError(f"avoca did not answer GET /healthz = 200 within {timeout}s\n"
                                   f"--- server log ---\n{self.log_tail()}")
            if attempt >= 3 or time.monotonic() > deadline:
                raise RuntimeError(f"avoca exited with status {code} during start-up\n"
                                   f"--- server log ---\n{self.log_tail()}")
            time.sleep(2)  # maybe a half-written binary: try again

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def close(self) -> None:
        self.stop()
        drop_database(self.pg_admin_url, self.db_name)
        shutil.rmtree(self.data_dir, ignore_errors=True)

    def log_tail(self, lines: int = 200) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return "(no server log)"
        return "\n".join(text.splitlines()[-lines:])

    # HTTP helpers ----------------------------------------------------------------------------

    def url(self, path: str) -> str:
        return self.base + path

    def request(self, method: str, path: str, *, json_body=None, token: str | None = None,
                api_key: str | None = None, headers: dict | None = None, **kwargs) -> requests.Response:
        all_headers = dict(headers or {})
        if token is not None:
            all_headers["Authorization"] = f"Bearer {token}"
        if api_key is not None:
            all_headers["Authorization"] = f"Token {api_key}"
        return requests.request(method, self.url(path), json=json_body, headers=all_headers,
                                timeout=HTTP_TIMEOUT, **kwargs)

    def post(self, path: str, json_body=None, **kwargs) -> requests.Response:
        return self.request("POST", path, json_body=json_body, **kwargs)

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def delete(self, path: str, **kwargs) -> requests.Response:
        return self.request("DELETE", path, **kwargs)


def _start_server(e2e_environment, smtp, extra_env: dict[str, str] | None = None) -> AvocaServer:
    binary, pg_url = e2e_environment
    server = AvocaServer(binary, pg_url, smtp.port, extra_env)
    try:
        server.start()
    except BaseException:
        print(server.log_tail())
        server.close()
        raise
    return server


def _server_with_admin(e2e_environment, smtp):
    """Starts a server and signs up its first account, which must become the admin."""
    srv = _start_server(e2e_environment, smtp)
    try:
        srv.admin = new_account(srv, smtp, prefix="admin")
        assert srv.admin.employee["role"] == "admin", srv.admin.employee
        yield srv
    finally:
        srv.close()


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
    with closing(_start_server(e2e_environment, smtp)) as srv:
        yield srv


# Calls come only from the test (through the ingest API), never from the built-in simulator, and
# the directory starts empty, so what the console shows is exactly what the test made.
CONSOLE_ENV = {"AVOCA_SIMULATOR": "off", "AVOCA_DEMO_DATA": "off", "AVOCA_OFFER_TIMEOUT": "30",
               "AVOCA_TIME_ZONE": "America/Chicago"}


@pytest.fixture
def console_server(e2e_environment, smtp):
    """A server on an empty database, without simulator or demo data (for browser tests)."""
    srv = _start_server(e2e_environment, smtp, CONSOLE_ENV)
    try:
        yield srv
    finally:
        srv.close()


def create_api_key(server: AvocaServer, *scopes: str, name: str = "e2e") -> str:
    """`avoca api-key create` against the server's database; returns the key."""
    command = [server.binary, "api-key", "create", "--name", name]
    for scope in scopes:
        command += ["--scope", scope]
    result = subprocess.run(command, env=server.env(), cwd=server.data_dir, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, f"{' '.join(command)} failed ({result.returncode}): {result.stderr[-2000:]}"
    lines = [line.strip() for line in result.stdout.splitlines() if line.strip()]
    assert lines, f"{' '.join(command)} printed nothing: {result.stderr[-2000:]}"
    return lines[-1]


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


# --------------------------------------------------------------------------------------------
# Identity helpers.
# --------------------------------------------------------------------------------------------

@dataclass
class Account:
    email: str
    password: str
    first_name: str = "Test"
    last_name: str = "User"
    secret: str | None = None
    otpauth_url: str | None = None
    last_step: int | None = None  # the newest TOTP step the server has seen used
    recovery_codes: list[str] = field(default_factory=list)
    access_token: str | None = None
    refresh_token: str | None = None
    session_id: str | None = None
    employee: dict | None = None

    def totp(self) -> pyotp.TOTP:
        assert self.otpauth_url or self.secret, "account has no TOTP secret yet"
        if self.otpauth_url:
            return pyotp.parse_uri(self.otpauth_url)
        return pyotp.TOTP(self.secret)

    def take_session(self, body: dict) -> None:
        self.access_token = body["access_token"]
        self.refresh_token = body.get("refresh_token")
        self.session_id = body["session_id"]
        self.employee = body["employee"]


def unique_email(prefix: str = "user") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}@avoca.test"


def error_code(response: requests.Response) -> str | None:
    try:
        return response.json()["error"]["code"]
    except Exception:
        return None


def describe(response: requests.Response) -> str:
    return f"{response.request.method} {response.request.path_url} -> {response.status_code} {response.text[:500]}"


def expect(response: requests.Response, status: int, code: str | None = None) -> requests.Response:
    assert response.status_code == status, f"expected {status}: {describe(response)}"
    if code is not None:
        assert error_code(response) == code, f"expected error code {code!r}: {describe(response)}"
    return response


def extract_code(text: str) -> str:
    match = re.search(r"\b(\d{6})\b", text)
    assert match, f"no 6-digit code in the e-mail: {text!r}"
    return match.group(1)


def signup(server: AvocaServer, account: Account) -> requests.Response:
    return server.post("/api/auth/signup", {
        "email": account.email, "password": account.password,
        "first_name": account.first_name, "last_name": account.last_name})


def signup_and_verify(server: AvocaServer, smtp: Mailbox, email_address: str | None = None,
                      password: str = PASSWORD, prefix: str = "user") -> Account:
    """Signs up and confirms the e-mailed code; the account has no authenticator yet."""
    account = Account(email=email_address or unique_email(prefix), password=password)
    mark = smtp.mark()
    expect(signup(server, account), 201)
    code = extract_code(smtp.wait_for_mail(account.email, "verification code", since=mark))
    expect(server.post("/api/auth/verify-email", {"email": account.email, "code": code}), 200)
    return account


def sign_in(server: AvocaServer, account: Account, expected: str | None = None) -> str:
    """Password step; returns the mfa_token."""
    response = expect(server.post("/api/auth/signin", {"email": account.email, "password": account.password}), 200)
    body = response.json()
    if expected is not None:
        assert body["mfa_required"] == expected, describe(response)
    return body["mfa_token"]


def next_totp(account: Account) -> tuple[str, int]:
    """A code for the earliest step the server has not seen used, within its ±1 step window.

    A used step is never accepted twice, so after using step s the next sign-in needs s+1, which
    the server accepts one step early; anything later means waiting for the clock.
    """
    totp = account.totp()
    interval = totp.interval
    now_step = int(time.time() // interval)
    step = now_step if account.last_step is None else max(now_step, account.last_step + 1)
    if step > now_step + 1:
        # Wait until `step` is at most one step ahead (small margin for clock edges).
        time.sleep(max(0.0, (step - 1) * interval - time.time()) + 0.5)
    return totp.at(step * interval), step


def complete_totp(server: AvocaServer, account: Account, mfa_token: str) -> dict:
    code, step = next_totp(account)
    response = expect(server.post("/api/auth/totp/verify", {"mfa_token": mfa_token, "code": code}), 200)
    account.last_step = step
    body = response.json()
    account.take_session(body)
    return body


def enroll(server: AvocaServer, account: Account) -> dict:
    """Sign-in with `enroll`, TOTP setup and confirmation; the account gets a session."""
    mfa_token = sign_in(server, account, expected="enroll")
    setup = expect(server.post("/api/auth/totp/setup", {"mfa_token": mfa_token}), 200).json()
    account.secret = setup["secret"]
    account.otpauth_url = setup["otpauth_url"]
    body = complete_totp(server, account, mfa_token)
    account.recovery_codes = list(body.get("recovery_codes") or [])
    return body


def new_session(server: AvocaServer, account: Account) -> dict:
    """A further sign-in (password + TOTP) of an enrolled account."""
    mfa_token = sign_in(server, account, expected="verify")
    return complete_totp(server, account, mfa_token)


def new_account(server: AvocaServer, smtp: Mailbox, prefix: str = "user", email_address: str | None = None) -> Account:
    """Signed up, verified, enrolled, signed in."""
    account = signup_and_verify(server, smtp, email_address, prefix=prefix)
    enroll(server, account)
    return account


def decode_qr_svg(svg: str, workdir: Path) -> str:
    """Renders the SVG with rsvg-convert and reads it back with zbarimg."""
    for tool, package in (("rsvg-convert", "librsvg2-bin"), ("zbarimg", "zbar-tools")):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is not installed (Debian package {package})", pytrace=False)
    svg_path, png_path = workdir / "qr.svg", workdir / "qr.png"
    svg_path.write_text(svg)
    subprocess.run(["rsvg-convert", "-z", "4", "-o", str(png_path), str(svg_path)],
                   check=True, capture_output=True, timeout=60)
    result = subprocess.run(["zbarimg", "-q", "--raw", str(png_path)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, f"zbarimg could not read the QR code: {result.stderr}"
    return result.stdout.strip()


# --------------------------------------------------------------------------------------------
# JWT helpers (no signature checking: the tests only forge and inspect).
# --------------------------------------------------------------------------------------------

def b64url_decode(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jwt_parts(token: str) -> tuple[dict, dict, str]:
    header, payload, signature = token.split(".")
    return json.loads(b64url_decode(header)), json.loads(b64url_decode(payload)), signature


def jwt_encode(header: dict, payload: dict, signature: str) -> str:
    return ".".join([b64url_encode(json.dumps(header, separators=(",", ":")).encode()),
                     b64url_encode(json.dumps(payload, separators=(",", ":")).encode()), signature])


def median_seconds(samples: list[float]) -> float:
    return statistics.median(samples)
