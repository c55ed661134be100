"""Fuzzing: schemathesis over every operation of the spec the server serves (/api/openapi.yaml;
read from Sources/AvocaAPI/openapi.yaml at collection, and checked to be what the server serves).

Three identities, one test each, every operation each time: the admin (bearer token), an agent
(bearer token) and an API key with every scope (`Authorization: Token …`). Per operation
schemathesis runs its three generation phases — the spec's examples, the coverage phase (boundary
and negative values of every parameter and body field) and the fuzzing phase (`MAX_EXAMPLES`
random cases, valid and invalid) — and every response is checked for:

  * no 5xx (`not_a_server_error`);
  * conformance: the status code is documented for the operation, the content type is the
    documented one, the body validates against the response schema, documented headers conform;
  * afterwards, the server process is still alive and healthy.

A case that ends its own identity's credential (sign-out, revoking its own session — the session
ids are harvested from responses —, the admin deactivating the agent, revoking the API key) does
not poison the cases after it: once a response says 401, or after an operation that can end a
credential succeeded, the identity is probed and renewed if dead (a bearer identity signs in again
with password + recovery code, asking for fresh codes when they run low; a deactivated agent is
replaced by a new one; a revoked key is replaced by a new key). Nothing is excluded: the admin
cannot deactivate itself (the server answers 409 `cannot_deactivate_self`), and the passwords are
unknown to the generator, so password change and recovery-code regeneration fail as they should.

Random ids would only ever meet 404, so ids seen in responses (customers, addresses, jobs, notes,
calls, employees, keys, sessions) go into pools, and most generated path ids are swapped for a
known one: the success paths of `GET/PUT /customers/{id}`, `/jobs/{id}/…`, `/phone-calls/{id}/…`
are fuzzed too.

Every case comes from its own loopback address (127.0.x.y, rotated), as different clients would:
the per-client throttle then answers generated sign-in guesses with 401 rather than a lock that
turns every later identity case into a 429. The harness's own sign-ins come from 127.0.0.1.

Failures do not stop generation (no shrinking): every failing case is counted and the first one of
each kind is kept with its reproduction; `test_fuzz_summary`, the last test, prints the counts
(cases per identity, server errors, schema violations, elapsed) and asserts on them. Budget:
`MAX_EXAMPLES` × 51 operations × 3 identities plus the coverage cases (about 8,500 in all) is well
over `MIN_CASES`; the run must stay under `TIME_LIMIT` seconds (it takes 1.5 to 5 minutes on two
cores, depending on what else runs). `AVOCA_FUZZ_SEED` changes the seed (printed). The summary
goes to the terminal even when pytest captures output; e2e/artifacts/fuzz-report.json has the
status codes per identity and operation, every finding and the first case of each status.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import threading
import time
from collections import Counter, defaultdict
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
import schemathesis
import yaml
from hypothesis.configuration import set_hypothesis_home_dir
from requests.adapters import HTTPAdapter
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup, ServerError
from schemathesis.specs.openapi.checks import (
    content_type_conformance, response_headers_conformance, response_schema_conformance,
    status_code_conformance,
)

from avoca_harness import (
    Account, AvocaServer, Mailbox, complete_totp, create_api_key, describe, expect, new_account,
)

MAX_EXAMPLES = int(os.environ.get("AVOCA_FUZZ_MAX_EXAMPLES", "25"))  # fuzzing phase, per operation and identity
MIN_CASES = 5_000
TIME_LIMIT = 540  # seconds for the three identities together (CI's budget for this step is 10 minutes)
REPORT_PATH = Path(__file__).resolve().parent / "artifacts" / "fuzz-report.json"
# Hypothesis's caches (no example database: every run starts from the seed) stay with the artifacts.
set_hypothesis_home_dir(REPORT_PATH.parent / "hypothesis")
SEED = int(os.environ.get("AVOCA_FUZZ_SEED", "20261202"))
ALL_SCOPES = ("directory:read", "directory:write", "calls:ingest", "calls:read", "reports:read")
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          response_headers_conformance]

# Demo data (customers, jobs) gives the list endpoints real rows to render; the simulator makes
# calls with transcripts every few seconds. Throttle delays are short so that a throttled case
# costs little; their shape (429 + Retry-After) is checked like any other response.
FUZZ_ENV = {"AVOCA_SIMULATOR": "on", "AVOCA_SIMULATOR_INTERVAL": "3", "AVOCA_DEMO_DATA": "on",
            "AVOCA_AUTH_BACKOFF_BASE": "0.01", "AVOCA_LOG_LEVEL": "warning"}

# Operations after whose success the caller's own credential may be gone.
MAY_END_CREDENTIAL = {"signOut", "revokeSession", "changePassword", "resetPassword", "deactivateEmployee",
                      "revokeApiKey", "totpSetup", "regenerateRecoveryCodes"}

# Where ids found in responses go: a list or object under one of these keys holds that kind.
ID_KEYS = {"customers": "customer_id", "customer": "customer_id", "addresses": "address_id",
           "address": "address_id", "jobs": "job_id", "job": "job_id", "notes": "note_id", "note": "note_id",
           "phone_calls": "phone_call_id", "phone_call": "phone_call_id", "calls": "phone_call_id",
           "employees": "employee_id", "employee": "employee_id", "assigned_employees": "employee_id",
           "api_keys": "api_key_id", "sessions": "session_id"}
ID_FIELDS = {"customer_id", "address_id", "job_id", "note_id", "phone_call_id", "employee_id", "api_key_id",
             "session_id"}
# What the `id` of a response's top-level object is, by the operation's path.
ROOT_KIND = [("/notes", "note_id"), ("/addresses", "address_id"), ("/customers", "customer_id"),
             ("/jobs", "job_id"), ("/phone-calls", "phone_call_id"), ("/employees", "employee_id"),
             ("/api-keys", "api_key_id"), ("/auth/sessions", "session_id"), ("/auth/me", "employee_id")]
KNOWN_ID_SHARE = 0.75  # share of path ids replaced by one seen in a response


class SourceAddressAdapter(HTTPAdapter):
    """Connections from a given local address (any 127.x.y.z reaches a server on 127.0.0.1)."""

    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__(pool_connections=1, pool_maxsize=1)

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def client_sessions(count: int) -> list[requests.Session]:
    sessions = []
    for index in range(count):
        session = requests.Session()
        session.mount("http://", SourceAddressAdapter(f"127.0.{1 + index // 250}.{1 + index % 250}"))
        sessions.append(session)
    return sessions


@dataclass
class Identity:
    name: str
    kind: str  # "bearer" | "token"
    account: Account | None = None
    api_key: str | None = None
    cases: int = 0
    renewals: int = 0
    replacements: int = 0
    operations: set[str] = field(default_factory=set)

    def authorization(self) -> str:
        if self.kind == "token":
            return f"Token {self.api_key}"
        return f"Bearer {self.account.access_token}"


@dataclass
class Finding:
    kind: str  # "server error" | "schema violation" | "no response"
    identity: str
    operation: str
    title: str
    count: int = 0
    reproduction: str = ""
    identities: set[str] = field(default_factory=set)


class FuzzRun:
    """The server, the identities, the id pools and the tally shared by the three tests."""

    def __init__(self, server: AvocaServer, smtp: Mailbox) -> None:
        self.server = server
        self.smtp = smtp
        self.admin = Identity("admin", "bearer", account=server.admin)
        self.agent = Identity("agent", "bearer", account=new_account(server, smtp, prefix="fuzz-agent"))
        assert self.agent.account.employee["role"] != "admin", self.agent.account.employee
        self.api_key = Identity("api_key", "token", api_key=create_api_key(server, *ALL_SCOPES, name="fuzz all scopes"))
        self.identities = {i.name: i for i in (self.admin, self.agent, self.api_key)}
        self.sessions = itertools.cycle(client_sessions(200))
        self.random = random.Random(SEED)
        self.pools: dict[str, list[str]] = defaultdict(list)
        self.findings: dict[tuple, Finding] = {}
        self.statuses: Counter = Counter()
        self.by_operation: dict[str, Counter] = defaultdict(Counter)
        self.samples: dict[str, str] = {}  # the first case of each (identity, operation, status)
        self.lock = threading.Lock()
        self.started: float | None = None
        self.finished: float | None = None
        self.dead: str | None = None
        self.served_spec_checked = False

    # ---------------------------------------------------------------- one case

    def run(self, identity: Identity, case) -> list[str]:
        """Sends one case; returns what was wrong with its answer (each is also kept for the summary)."""
        if self.dead:
            return [self.dead]
        if self.started is None:
            self.started = time.monotonic()
        operation = case.operation
        op_id = operation.definition.raw.get("operationId", operation.label)
        self.use_known_ids(identity, case)
        case.headers = {**(case.headers or {}), "Authorization": identity.authorization()}
        identity.cases += 1
        identity.operations.add(op_id)
        problems: list[str] = []
        try:
            response = case.call(base_url=self.server.url("/api"), session=next(self.sessions), timeout=30)
        except requests.RequestException as error:
            problems.append(self.record("no response", identity, op_id, f"{type(error).__name__}: {error}", case, None))
            if self.server.process is not None and self.server.process.poll() is not None:
                self.dead = f"the server exited with status {self.server.process.returncode} during {op_id}"
            self.finished = time.monotonic()
            return problems
        self.statuses[response.status_code] += 1
        self.by_operation[f"{identity.name} {op_id}"][response.status_code] += 1
        self.samples.setdefault(f"{identity.name} {op_id} {response.status_code}", reproduction(case, response, ""))
        try:
            case.validate_response(response, checks=CHECKS)
        except FailureGroup as group:
            for failure in group.exceptions:
                kind = "server error" if isinstance(failure, ServerError) else "schema violation"
                problems.append(self.record(kind, identity, op_id, failure.title, case, response, str(failure.message)))
        self.harvest(operation.path, response)
        secured = operation.definition.raw.get("security", None) != []
        if (response.status_code == 401 and secured) or (op_id in MAY_END_CREDENTIAL and response.status_code < 300):
            self.renew_if_dead(identity)
        self.finished = time.monotonic()
        return problems

    def use_known_ids(self, identity: Identity, case) -> None:
        containers = [case.path_parameters]
        if isinstance(case.body, dict):
            containers.append(case.body)  # e.g. a job's customer_id / address_id
        for container in containers:
            for name in list((container or {}).keys()):
                pool = self.pools.get(name)
                if pool and self.random.random() < KNOWN_ID_SHARE:
                    container[name] = self.random.choice(pool)

    def harvest(self, path: str, response) -> None:
        if not response.content or "json" not in header(response, "Content-Type"):
            return
        try:
            body = response.json()
        except Exception:
            return
        root = next((kind for marker, kind in ROOT_KIND if marker in path), None)
        if response.status_code < 300:
            self._walk(body, root)

    def _walk(self, value, kind: str | None) -> None:
        if isinstance(value, list):
            for item in value[:20]:
                self._walk(item, kind)
        elif isinstance(value, dict):
            for key, item in value.items():
                if key == "id" and kind and isinstance(item, str):
                    self.add_id(kind, item)
                elif key in ID_FIELDS and isinstance(item, str):
                    self.add_id(key, item)
                elif isinstance(item, (dict, list)):
                    self._walk(item, ID_KEYS.get(key))

    def add_id(self, kind: str, value: str) -> None:
        pool = self.pools[kind]
        if value not in pool:
            pool.append(value)
            if len(pool) > 200:
                del pool[self.random.randrange(len(pool))]

    # ---------------------------------------------------------------- credentials

    def is_alive(self, identity: Identity) -> bool:
        if identity.kind == "token":
            response = self.server.get("/api/customers?page_size=1", api_key=identity.api_key)
        else:
            response = self.server.get("/api/auth/me", token=identity.account.access_token)
        assert response.status_code in (200, 401, 403), f"probing {identity.name}: {describe(response)}"
        return response.status_code == 200

    def renew_if_dead(self, identity: Identity) -> None:
        if self.is_alive(identity):
            return
        if identity.kind == "token":
            identity.api_key = create_api_key(self.server, *ALL_SCOPES, name="fuzz all scopes (renewed)")
            identity.replacements += 1
        else:
            account = identity.account
            response = self.signin(account)
            if response.status_code == 200:
                self.recovery_session(account, response.json()["mfa_token"])
                identity.renewals += 1
            else:  # deactivated (the admin fuzzing deactivate with a harvested id): a new agent
                assert identity.name == "agent", f"the {identity.name} cannot sign in again: {describe(response)}"
                identity.account = new_account(self.server, self.smtp, prefix="fuzz-agent")
                identity.replacements += 1
        assert self.is_alive(identity), f"{identity.name} is still refused after renewal"

    def signin(self, account: Account):
        """The password step, waiting out a short throttle delay (the generated wrong
        `current_password`s of change-password count against the account)."""
        deadline = time.monotonic() + 60
        while True:
            response = self.server.post("/api/auth/signin", {"email": account.email, "password": account.password})
            retry_after = float(response.headers.get("Retry-After", "0") or 0)
            if response.status_code != 429 or time.monotonic() + retry_after > deadline:
                return response
            time.sleep(retry_after + 0.05)

    def recovery_session(self, account: Account, mfa_token: str) -> None:
        """Completes a sign-in with a recovery code (no wait for a fresh TOTP step) and asks for a
        new set of codes when few are left; with none left, a TOTP code (which may wait for the
        next 30-second step)."""
        if not account.recovery_codes:
            complete_totp(self.server, account, mfa_token)
            return
        code = account.recovery_codes.pop(0)
        body = expect(self.server.post("/api/auth/recovery-code", {"mfa_token": mfa_token, "recovery_code": code}),
                      200).json()
        account.take_session(body)
        if len(account.recovery_codes) < 3:
            fresh = self.server.post("/api/auth/recovery-codes", {"current_password": account.password},
                                     token=account.access_token)
            if fresh.status_code == 200:
                account.recovery_codes = list(fresh.json()["recovery_codes"])

    # ---------------------------------------------------------------- findings

    def record(self, kind: str, identity: Identity, op_id: str, title: str, case, response, message: str = "") -> str:
        key = (kind, op_id, title, response.status_code if response is not None else None)
        with self.lock:
            finding = self.findings.get(key)
            if finding is None:
                finding = self.findings[key] = Finding(kind, identity.name, op_id, title)
                finding.reproduction = reproduction(case, response, message)
            finding.count += 1
            finding.identities.add(identity.name)
        return f"[{kind}] {op_id} as {identity.name}: {title}\n{reproduction(case, response, message)}"

    def count(self, kind: str) -> int:
        return sum(f.count for f in self.findings.values() if f.kind == kind)

    @property
    def total(self) -> int:
        return sum(i.cases for i in self.identities.values())

    @property
    def elapsed(self) -> float:
        if self.started is None:
            return 0.0
        return (self.finished or time.monotonic()) - self.started


def header(response, name: str) -> str:
    """A header of a schemathesis Response (whose headers are lists, keyed in any case)."""
    for key, values in response.headers.items():
        if key.lower() == name.lower():
            return ", ".join(values) if isinstance(values, list) else str(values)
    return ""


def reproduction(case, response, message: str) -> str:
    body = "" if case.body is None or type(case.body).__name__ == "NotSet" else case.body
    try:
        body_text = json.dumps(body, ensure_ascii=False, default=str)[:600] if body != "" else ""
    except TypeError:
        body_text = repr(body)[:600]
    url = response.request.url if response is not None else case.formatted_path
    lines = [f"{case.method.upper()} {url}"]
    if body_text:
        lines.append(f"  body: {body_text}")
    if response is not None:
        lines.append(f"  -> {response.status_code} {header(response, 'Content-Type')} {response.text[:600]}")
    if message:
        lines.append("  " + message.strip().replace("\n", "\n  ")[:1200])
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# Fixtures: one server for the module; one schema per identity.
# --------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def fuzz(e2e_environment, smtp):
    binary, pg_url = e2e_environment
    server = AvocaServer(binary, pg_url, smtp.port, FUZZ_ENV)
    with closing(server):
        server.start()
        server.admin = new_account(server, smtp, prefix="fuzz-admin")
        assert server.admin.employee["role"] == "admin", server.admin.employee
        yield FuzzRun(server, smtp)


# The spec is read from the source tree when the tests are collected (the generator needs it
# before any server runs); `test_served_spec_is_the_fuzzed_one` proves the server serves the same.
SPEC_PATH = Path(__file__).resolve().parents[1] / "Sources" / "AvocaAPI" / "openapi.yaml"


def load_schema(seed: int):
    """The spec with the run's settings; each identity gets its own seed, so the three runs
    generate different cases."""
    return schemathesis.openapi.from_path(SPEC_PATH, config=schemathesis.Config.from_dict({
        "seed": seed,
        "generation": {"mode": "all", "max-examples": MAX_EXAMPLES, "no-shrink": True, "database": "none",
                       "with-security-parameters": False},
    }))


schema = load_schema(SEED)


def test_served_spec_is_the_fuzzed_one(fuzz):
    served = expect(fuzz.server.get("/api/openapi.yaml"), 200)
    assert yaml.safe_load(served.text) == yaml.safe_load(SPEC_PATH.read_text()), \
        "GET /api/openapi.yaml is not Sources/AvocaAPI/openapi.yaml"
    fuzz.served_spec_checked = True


@schema.parametrize()
def test_fuzz_as_admin(case, fuzz):
    problems = fuzz.run(fuzz.admin, case)
    assert not problems, "\n\n".join(problems)


@load_schema(SEED + 1).parametrize()
def test_fuzz_as_agent(case, fuzz):
    problems = fuzz.run(fuzz.agent, case)
    assert not problems, "\n\n".join(problems)


@load_schema(SEED + 2).parametrize()
def test_fuzz_with_api_key(case, fuzz):
    problems = fuzz.run(fuzz.api_key, case)
    assert not problems, "\n\n".join(problems)


def test_fuzz_summary(fuzz, capsys):
    operations = {r.ok().definition.raw.get("operationId") for r in schema.get_all_operations()}
    server = fuzz.server
    alive = server.process is not None and server.process.poll() is None
    healthy = alive and requests.get(server.url("/healthz"), timeout=10).status_code == 200
    per_identity = ", ".join(f"{i.name} {i.cases} ({len(i.operations)} ops, {i.renewals} renewed, "
                             f"{i.replacements} replaced)" for i in fuzz.identities.values())
    summary = (f"fuzz: {fuzz.total} cases over {len(operations)} operations [{per_identity}]; "
               f"{fuzz.count('server error')} server errors, {fuzz.count('schema violation')} schema violations, "
               f"{fuzz.count('no response')} without response; server {'alive' if healthy else 'DOWN'}; "
               f"{fuzz.elapsed:.0f} s; seed {SEED}, max examples {MAX_EXAMPLES}")
    statuses = " ".join(f"{code}:{n}" for code, n in sorted(fuzz.statuses.items()))
    statuses += " (the 405s are the coverage phase's probes with undeclared methods)"
    report = "\n\n".join(f"[{f.kind}] {f.operation} as {'/'.join(sorted(f.identities))}: {f.title} "
                         f"(x{f.count}; reproduction as {f.identity}):\n{f.reproduction}"
                         for f in sorted(fuzz.findings.values(), key=lambda f: (f.kind, f.operation)))
    REPORT_PATH.parent.mkdir(parents=True, exist_ok=True)
    REPORT_PATH.write_text(json.dumps({
        "summary": summary, "status_codes": fuzz.statuses,
        "by_operation": {key: dict(sorted(c.items())) for key, c in sorted(fuzz.by_operation.items())},
        "id_pools": {kind: len(pool) for kind, pool in fuzz.pools.items()},
        "findings": [f.__dict__ for f in fuzz.findings.values()],
        "first_case_by_status": dict(sorted(fuzz.samples.items()))}, indent=1, default=str))
    with capsys.disabled():  # printed in CI too, where pytest captures output
        print(f"\n{summary}\nstatus codes: {statuses}\nper operation and every finding: {REPORT_PATH}")
        if report:
            print(report)
    assert fuzz.served_spec_checked, "test_served_spec_is_the_fuzzed_one did not pass"
    assert not fuzz.dead, fuzz.dead + "\n" + server.log_tail(80)
    assert healthy, f"the server is not alive and healthy after fuzzing:\n{server.log_tail(80)}"
    for identity in fuzz.identities.values():
        assert identity.operations == operations, \
            f"{identity.name} did not reach {sorted(operations - identity.operations)}"
    assert fuzz.total >= MIN_CASES, summary
    assert fuzz.elapsed < TIME_LIMIT, summary
    if fuzz.findings:
        titles = "\n".join(f"  [{kind}] {op} -> {status}: {title} (x{f.count}, as {'/'.join(sorted(f.identities))})"
                           for (kind, op, title, status), f in sorted(fuzz.findings.items(), key=str))
        pytest.fail(f"{summary}\n{titles}\n(one reproduction of each is printed above)", pytrace=False)
