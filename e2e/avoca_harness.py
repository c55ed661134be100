"""The client side of Avoca's black-box tests and benchmarks, importable without pytest.

Both the e2e suite (`e2e/conftest.py` wraps these in fixtures; pytest finds this module because
it sits beside the tests) and `scripts/bench-calls` (one `sys.path` line) use it:

  Mailbox            a real SMTP server (aiosmtpd) collecting the mail the server's outbox sends.
  PrivatePostgres    a throw-away PostgreSQL cluster, started the way scripts/test starts one.
  create_database / drop_database   one fresh database per server on a PostgreSQL server.
  AvocaServer        `avoca serve` on a free port (or a handle on a running one): start, wait
                     until healthy, stop / kill -9 by pid, log tail, memory, HTTP helpers.
  Account, new_account, …          sign-up, e-mailed code, TOTP enrolment, sign-in.

Nothing here knows the server's internals: HTTP, SMTP, the command line and /proc only. Every
wait has a deadline.
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
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pyotp
import requests
from aiosmtpd.controller import Controller

PASSWORD = "tidy-lantern-4821"
HTTP_TIMEOUT = 30


class HarnessError(RuntimeError):
    """Something the harness itself could not do (start a server, run initdb, …)."""


def release_binary() -> str:
    """The release build the benchmarks run: .build-release (the README's recipe), else .build."""
    root = Path(__file__).resolve().parent.parent
    candidates = [root / ".build-release" / "release" / "avoca", root / ".build" / "release" / "avoca"]
    return str(next((path for path in candidates if path.exists()), candidates[0]))


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def random_key() -> str:
    """A fresh base64 key of 32 bytes (AVOCA_JWT_SECRET, AVOCA_ENCRYPTION_KEY)."""
    return base64.b64encode(os.urandom(32)).decode()


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
    """Collects what the SMTP server receives. `Mailbox.start()` runs the server on 127.0.0.1
    (`mailbox.port`); `close()` stops it."""

    def __init__(self) -> None:
        self._lock = threading.Condition()
        self._messages: list[Mail] = []
        self._controller: Controller | None = None
        self.port: int | None = None

    @classmethod
    def start(cls, port: int | None = None) -> "Mailbox":
        mailbox = cls()
        mailbox.port = port or free_port()
        mailbox._controller = Controller(mailbox, hostname="127.0.0.1", port=mailbox.port)
        mailbox._controller.start()  # waits (with aiosmtpd's ready_timeout) until it listens
        return mailbox

    def close(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

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


# --------------------------------------------------------------------------------------------
# PostgreSQL: a private cluster, and one fresh database per server.
# --------------------------------------------------------------------------------------------

class PrivatePostgres:
    """A throw-away PostgreSQL cluster, as scripts/test starts one: `initdb` in a temporary folder
    and `pg_ctl start` on a free port (as the `postgres` user when run as root), durability off.
    `url` is its superuser URL. `stop()` stops it with `pg_ctl` on its data folder (never by
    process name) and removes the folder."""

    def __init__(self, max_connections: int = 400) -> None:
        bins = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
        if not bins:
            raise HarnessError("PostgreSQL is not installed (Debian package postgresql)")
        self.bin = bins[-1].parent
        self.dir = Path(tempfile.mkdtemp(prefix="avoca-pg-"))
        self.data = self.dir / "data"
        self.port = free_port()
        self.as_postgres = os.geteuid() == 0
        self.started = False
        try:
            if self.as_postgres:
                if subprocess.run(["id", "postgres"], capture_output=True, timeout=30).returncode != 0:
                    subprocess.run(["useradd", "--system", "--no-create-home", "postgres"],
                                   check=True, capture_output=True, timeout=60)
                shutil.chown(self.dir, "postgres")
            self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres")
            self._run("pg_ctl", "-D", str(self.data), "-l", str(self.dir / "server.log"), "-w", "-t", "60",
                      "start", "-o",
                      f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 "
                      f"-c max_connections={max_connections} "
                      f"-c fsync=off -c synchronous_commit=off -c full_page_writes=off")
            self.started = True
        except BaseException:
            self.stop()
            raise
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, tool: str, *args: str) -> None:
        command = [str(self.bin / tool), *args]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            raise HarnessError(f"{tool} failed: {result.stderr.strip()}")

    def stop(self) -> None:
        try:
            if self.data.exists():
                self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "-t", "60", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)

    close = stop


def psql(admin_url: str, sql: str) -> None:
    result = subprocess.run(
        ["psql", admin_url, "-v", "ON_ERROR_STOP=1", "-q", "-c", sql],
        capture_output=True, text=True, timeout=60)
    if result.returncode != 0:
        raise HarnessError(f"psql failed ({sql}): {result.stderr.strip()}")


def create_database(admin_url: str) -> tuple[str, str]:
    """A fresh database on the server of `admin_url` (a superuser URL): (name, url)."""
    name = f"avoca_e2e_{uuid.uuid4().hex[:12]}"
    psql(admin_url, f'CREATE DATABASE "{name}"')
    parts = urllib.parse.urlsplit(admin_url)
    return name, urllib.parse.urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def drop_database(admin_url: str, name: str) -> None:
    try:
        psql(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    except Exception as error:  # teardown must not hide the real failure
        print(f"warning: could not drop database {name}: {error}")


# --------------------------------------------------------------------------------------------
# /proc
# --------------------------------------------------------------------------------------------

def proc_memory(pid: int | None) -> dict[str, int]:
    """VmRSS / VmHWM of a process in KiB (empty if it is gone or unknown)."""
    found: dict[str, int] = {}
    if pid is None:
        return found
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                key, _, value = line.partition(":")
                if key in ("VmRSS", "VmHWM"):
                    found[key] = int(value.split()[0])
    except OSError:
        pass
    return found


# --------------------------------------------------------------------------------------------
# The server process.
# --------------------------------------------------------------------------------------------

class AvocaServer:
    """`avoca serve` on 127.0.0.1 and a free port, mailing through the SMTP server on `smtp_port`.

    Database: a fresh PostgreSQL database created on `pg_admin_url` (dropped by `close()`); with
    `pg_admin_url=None`, the SQLite file in its data folder; with `shared_with`, that server's
    database, keys and admin (a second instance behind the same balancer).
    `env`: extra environment, winning over the defaults; a value of None removes a default.
    `own_keys`: explicit signing / encryption keys and public URL, so that instances sharing the
    database accept each other's tokens, tickets and TOTP secrets (`shared_with` copies them).
    `AvocaServer.attach(url, pid)` is a handle on a server something else runs.
    """

    def __init__(self, binary: str, pg_admin_url: str | None, smtp_port: int, env: dict[str, str | None] | None = None,
                 *, shared_with: "AvocaServer | None" = None, own_keys: bool = False,
                 http_timeout: float = HTTP_TIMEOUT, stop_timeout: float = 10) -> None:
        self._blank(f"http://127.0.0.1:{free_port()}", http_timeout, stop_timeout)
        self.binary = binary
        self.pg_admin_url = pg_admin_url
        self.smtp_port = smtp_port
        if shared_with is not None:
            self.keys = dict(shared_with.keys)
            self.db_name, self.db_url = shared_with.db_name, shared_with.db_url
            self.admin = shared_with.admin
        else:
            if own_keys:
                self.keys = {"AVOCA_JWT_SECRET": random_key(), "AVOCA_ENCRYPTION_KEY": random_key(),
                             "AVOCA_PUBLIC_URL": self.base}
            if pg_admin_url:
                self.db_name, self.db_url = create_database(pg_admin_url)
                self.owns_database = True
        self.extra_env = {**self.keys, **(env or {})}
        self.data_dir = Path(tempfile.mkdtemp(prefix="avoca-e2e-"))
        self.log_path = self.data_dir / "server.log"

    def _blank(self, base: str, http_timeout: float, stop_timeout: float) -> None:
        self.base = base.rstrip("/")
        self.port = urllib.parse.urlsplit(self.base).port
        self.binary: str | None = None
        self.pg_admin_url: str | None = None
        self.smtp_port: int | None = None
        self.keys: dict[str, str] = {}
        self.extra_env: dict[str, str | None] = {}
        self.db_name: str | None = None
        self.db_url: str | None = None
        self.owns_database = False
        self.data_dir: Path | None = None
        self.log_path: Path | None = None
        self.process: subprocess.Popen | None = None
        self.attached_pid: int | None = None
        self.admin: Account | None = None
        self.ingest_key: str | None = None
        self.http_timeout = http_timeout
        self.stop_timeout = stop_timeout

    @classmethod
    def attach(cls, base_url: str, pid: int | None = None, http_timeout: float = HTTP_TIMEOUT) -> "AvocaServer":
        """A server started by someone else: HTTP helpers and memory only; stop/close do nothing."""
        server = cls.__new__(cls)
        server._blank(base_url, http_timeout, 10)
        server.attached_pid = pid
        return server

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else self.attached_pid

    @property
    def ws_base(self) -> str:
        parts = urllib.parse.urlsplit(self.base)
        return ("wss" if parts.scheme == "https" else "ws") + "://" + parts.netloc

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("AVOCA_") and k != "DATABASE_URL"}
        env.update({
            "AVOCA_PORT": str(self.port),
            "AVOCA_HOST": "127.0.0.1",
            "AVOCA_DATA_DIR": str(self.data_dir),
            "AVOCA_SMTP_URL": f"smtp://127.0.0.1:{self.smtp_port}",
            "AVOCA_MAIL_FROM": "Avoca <no-reply@avoca.test>",
            "AVOCA_BCRYPT_COST": "4",
            "AVOCA_AUTH_BACKOFF_BASE": "0.05",
            # Every account of a run signs up from 127.0.0.1 (the cluster test makes 100 at once).
            "AVOCA_MAIL_REQUESTS_PER_CLIENT": "100000",
            "AVOCA_LOG_LEVEL": "info",
        })
        if self.db_url:
            env["DATABASE_URL"] = self.db_url
        for key, value in self.extra_env.items():
            if value is None:
                env.pop(key, None)
            else:
                env[key] = value
        return env

    def start(self, timeout: float = 60) -> None:
        """Starts `avoca serve` and waits until GET /healthz answers 200 (or raises HarnessError
        with the log tail). Tolerates a binary that is being relinked right now."""
        assert self.binary is not None, "an attached server cannot be started"
        deadline = time.monotonic() + timeout
        attempt = 0
        while True:
            attempt += 1
            # The binary may be mid-rebuild right now: wait for it to be there.
            while not (os.path.isfile(self.binary) and os.access(self.binary, os.X_OK)):
                if time.monotonic() > deadline:
                    raise HarnessError(f"AVOCA_BIN {self.binary} does not exist or is not executable")
                time.sleep(1)
            log = open(self.log_path, "ab")
            try:
                self.process = subprocess.Popen(
                    [self.binary, "serve"], env=self.env(), stdout=log, stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL, cwd=self.data_dir, start_new_session=True)
            except OSError as error:  # e.g. ETXTBSY while the linker writes it
                log.close()
                if time.monotonic() > deadline or attempt >= 5:
                    raise HarnessError(f"cannot start {self.binary}: {error}") from error
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
                raise HarnessError(f"avoca did not answer GET /healthz = 200 within {timeout}s\n"
                                   f"--- server log ---\n{self.log_tail()}")
            if attempt >= 3 or time.monotonic() > deadline:
                raise HarnessError(f"avoca exited with status {code} during start-up\n"
                                   f"--- server log ---\n{self.log_tail()}")
            time.sleep(2)  # maybe a half-written binary: try again

    def check_alive(self) -> None:
        """Raises HarnessError with the exit status and the log if the server process died."""
        if self.process is not None and self.process.poll() is not None:
            raise HarnessError(f"the server exited with status {self.process.returncode} "
                               f"(negative = killed by that signal). Last log lines:\n{self.log_tail(60)}")

    def stop(self) -> None:
        """SIGTERM to the server's process group (it runs in a session of its own), SIGKILL if it
        has not exited within `stop_timeout` seconds."""
        if self.process is None or self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            self.process.wait(timeout=self.stop_timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def kill9(self) -> None:
        """SIGKILL, no goodbye: what a crash or an OOM kill looks like. `start()` restarts it on
        the same port, database and data folder."""
        assert self.process is not None and self.process.poll() is None, "server is not running"
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def close(self) -> None:
        """Stops the server, drops its database (if it created it) and removes its data folder."""
        self.stop()
        if self.owns_database and self.pg_admin_url and self.db_name:
            drop_database(self.pg_admin_url, self.db_name)
        if self.data_dir is not None:
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def memory(self) -> dict[str, int]:
        """VmRSS / VmHWM of the server process in KiB."""
        return proc_memory(self.pid)

    def log_tail(self, lines: int = 200) -> str:
        if self.log_path is None:
            return "(server log not available)"
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
                                timeout=self.http_timeout, **kwargs)

    def post(self, path: str, json_body=None, **kwargs) -> requests.Response:
        return self.request("POST", path, json_body=json_body, **kwargs)

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def delete(self, path: str, **kwargs) -> requests.Response:
        return self.request("DELETE", path, **kwargs)


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


def create_ingest_key(server: AvocaServer, name: str = "telephony bridge") -> str:
    """A calls:ingest API key, created by the server's admin over HTTP."""
    response = expect(server.post("/api/api-keys", {"name": name, "scopes": ["calls:ingest"]},
                                  token=server.admin.access_token), 201)
    return response.json()["key"]


# --------------------------------------------------------------------------------------------
# Responses
# --------------------------------------------------------------------------------------------

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


# --------------------------------------------------------------------------------------------
# Accounts: sign-up, e-mailed code, TOTP enrolment, sign-in.
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


def new_accounts(server: AvocaServer, smtp: Mailbox, count: int, prefix: str = "agent", workers: int = 16) -> list[Account]:
    """`count` signed-up, verified, enrolled, signed-in accounts, created in parallel."""
    with ThreadPoolExecutor(max_workers=min(workers, max(1, count))) as pool:
        return list(pool.map(lambda _: new_account(server, smtp, prefix=prefix), range(count)))


# --------------------------------------------------------------------------------------------
# Inspecting what the server hands out: QR codes, JWTs (no signature checking: the tests only
# forge and inspect), timings.
# --------------------------------------------------------------------------------------------

def decode_qr_svg(svg: str, workdir: Path) -> str:
    """Renders the SVG with rsvg-convert and reads it back with zbarimg."""
    for tool, package in (("rsvg-convert", "librsvg2-bin"), ("zbarimg", "zbar-tools")):
        if shutil.which(tool) is None:
            raise HarnessError(f"{tool} is not installed (Debian package {package})")
    svg_path, png_path = workdir / "qr.svg", workdir / "qr.png"
    svg_path.write_text(svg)
    subprocess.run(["rsvg-convert", "-z", "4", "-o", str(png_path), str(svg_path)],
                   check=True, capture_output=True, timeout=60)
    result = subprocess.run(["zbarimg", "-q", "--raw", str(png_path)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, f"zbarimg could not read the QR code: {result.stderr}"
    return result.stdout.strip()


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
