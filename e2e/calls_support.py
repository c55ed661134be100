"""Helpers and fixtures for the calls / realtime black-box tests (DESIGN §3 "Calls", "Realtime";
docs/realtime.md is the protocol), built on `avoca_harness`.

A calls server is an `AvocaServer` with the in-process simulator and the demo data off and
explicit signing / encryption keys (so that several instances on one PostgreSQL database accept
each other's tokens, tickets and TOTP secrets); it can be killed with SIGKILL (`kill9()`) and
restarted on the same port and database.

Fixtures (import them into a test module: `from calls_support import calls_server, ...`):
  calls_server   (module)   one calls server with its admin, an ingest key (`server.ingest_key`).
  calls_cluster  (module)   two instances (A and B) on one database, both with `.ingest_key`.

Nothing here knows the server's internals: HTTP, WebSocket and /proc only.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import threading
import time
from contextlib import closing
from typing import Any, Callable

import pytest
import requests
import websockets

from avoca_harness import AvocaServer, Mailbox, create_ingest_key, describe, expect, new_account

# --------------------------------------------------------------------------------------------
# Servers
# --------------------------------------------------------------------------------------------

CALLS_ENV = {"AVOCA_SIMULATOR": "off", "AVOCA_DEMO_DATA": "off"}


def start_calls_server(e2e_environment, smtp: Mailbox, *, env: dict[str, str] | None = None,
                       shared_with: AvocaServer | None = None, with_admin: bool = True) -> AvocaServer:
    """A started calls server with its admin and an ingest key. `shared_with`: a second instance
    on that server's database (same keys, public URL, admin and ingest key). `env`: extra
    environment (e.g. AVOCA_OFFER_TIMEOUT); it wins over the defaults."""
    binary, pg_url = e2e_environment
    server = AvocaServer(binary, pg_url, smtp.port, {**CALLS_ENV, **(env or {})},
                         shared_with=shared_with, own_keys=True)
    try:
        server.start()
        if with_admin and shared_with is None:
            server.admin = new_account(server, smtp, prefix="admin")
            assert server.admin.employee["role"] == "admin", server.admin.employee
        if server.admin is not None:
            server.ingest_key = shared_with.ingest_key if shared_with else create_ingest_key(server)
    except BaseException:
        print(server.log_tail())
        server.close()
        raise
    return server


@pytest.fixture(scope="module")
def calls_server(e2e_environment, smtp):
    """A calls server (simulator and demo data off) with its admin and an ingest key."""
    with closing(start_calls_server(e2e_environment, smtp)) as server:
        yield server


@pytest.fixture(scope="module")
def calls_cluster(e2e_environment, smtp):
    """Two instances, A and B, on one PostgreSQL database (same keys and public URL, as behind a
    load balancer, so access tokens and tickets from one work on the other)."""
    a = start_calls_server(e2e_environment, smtp)
    b = None
    try:
        # B starts once A has migrated the database, so the two do not race on migrations.
        b = start_calls_server(e2e_environment, smtp, shared_with=a)
        yield a, b
    finally:
        if b is not None:
            b.close()
        a.close()  # A created the database: it drops it


# --------------------------------------------------------------------------------------------
# Accounts
# --------------------------------------------------------------------------------------------

def sign_out(server: AvocaServer, account) -> None:
    expect(server.post("/api/auth/signout", token=account.access_token), 204)


# --------------------------------------------------------------------------------------------
# Calls over the ingest API
# --------------------------------------------------------------------------------------------

class Ingest:
    """The telephony bridge: starts calls, streams segments, ends calls (keep-alive session)."""

    def __init__(self, server: AvocaServer, key: str | None = None) -> None:
        self.server = server
        self.key = key or server.ingest_key
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Token {self.key}"

    def post(self, path: str, body=None) -> requests.Response:
        return self.session.post(self.server.url(path), json=body, timeout=30)

    def start(self, phone_number: str = "+13125550142", external_id: str | None = None) -> dict:
        body = {"phone_number": phone_number}
        if external_id is not None:
            body["external_id"] = external_id
        call = expect(self.post("/api/phone-calls", body), 201).json()
        assert call["state"] == "ringing", call
        return call

    def append(self, call_id: str, segments: list[dict]) -> dict:
        return expect(self.post(f"/api/phone-calls/{call_id}/transcript", {"segments": segments}), 200).json()

    def say(self, call_id: str, first_seq: int, words: list[str], speaker: str = "caller") -> dict:
        return self.append(call_id, segments(first_seq, words, speaker))

    def end(self, call_id: str) -> dict:
        return expect(self.post(f"/api/phone-calls/{call_id}/end"), 200).json()


def segments(first_seq: int, words: list[str], speaker: str = "caller") -> list[dict]:
    return [{"seq": first_seq + i, "speaker": speaker, "text": word} for i, word in enumerate(words)]


def words(count: int, tag: str = "w") -> list[str]:
    return [f"{tag}{i + 1}" for i in range(count)]


def call_detail(server: AvocaServer, token: str, call_id: str) -> dict:
    return expect(server.get(f"/api/phone-calls/{call_id}", token=token), 200).json()


# --------------------------------------------------------------------------------------------
# Realtime client
# --------------------------------------------------------------------------------------------

def new_ticket(server: AvocaServer, token: str) -> dict:
    response = expect(server.post("/api/realtime/tickets", token=token), 201)
    body = response.json()
    assert body.get("ticket") and body.get("url"), describe(response)
    return body


def ws_url(server: AvocaServer, path: str) -> str:
    return server.ws_base + path


class RealtimeClient:
    """One realtime socket. A reader task stores every event with its arrival time
    (`time.monotonic()`); `wait_for` scans them from a cursor."""

    def __init__(self, name: str = "client") -> None:
        self.name = name
        self.ws = None
        self.events: list[tuple[float, dict]] = []
        self.raw: list[str] = []
        self.closed: asyncio.Event | None = None
        self.close_code: int | None = None
        self.close_reason: str | None = None
        self._changed: asyncio.Condition | None = None
        self._reader: asyncio.Task | None = None

    @classmethod
    async def open(cls, server: AvocaServer, token: str, name: str = "client", **connect_options) -> "RealtimeClient":
        client = cls(name)
        ticket = await asyncio.to_thread(new_ticket, server, token)
        await client.connect(ws_url(server, ticket["url"]), **connect_options)
        return client

    async def connect(self, url: str, **connect_options) -> None:
        self.closed = asyncio.Event()
        self._changed = asyncio.Condition()
        options = {"open_timeout": 15, "max_size": 16 * 1024 * 1024, "ping_interval": None}
        options.update(connect_options)
        self.ws = await websockets.connect(url, **options)
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        try:
            async for message in self.ws:
                now = time.monotonic()
                self.raw.append(message)
                try:
                    event = json.loads(message)
                except ValueError:
                    event = {"event": "<not json>", "text": message}
                async with self._changed:
                    self.events.append((now, event))
                    self._changed.notify_all()
        except websockets.ConnectionClosed:
            pass
        finally:
            self.close_code = self.ws.close_code
            self.close_reason = self.ws.close_reason
            self.closed.set()
            async with self._changed:
                self._changed.notify_all()

    async def send(self, payload: Any, timeout: float = 10) -> None:
        await asyncio.wait_for(self.ws.send(payload if isinstance(payload, str) else json.dumps(payload)), timeout)

    def names(self, start: int = 0) -> list[str]:
        return [e.get("event") for _, e in self.events[start:]]

    def of(self, name: str, start: int = 0, **fields) -> list[dict]:
        return [e for _, e in self.events[start:]
                if e.get("event") == name and all(e.get(k) == v for k, v in fields.items())]

    async def wait_for(self, predicate: Callable[[dict], bool], timeout: float = 10, start: int = 0,
                       what: str = "an event") -> tuple[int, dict]:
        """The first event at or after index `start` matching `predicate`: (index, event)."""
        deadline = time.monotonic() + timeout
        async with self._changed:
            while True:
                for index in range(start, len(self.events)):
                    if predicate(self.events[index][1]):
                        return index, self.events[index][1]
                start = len(self.events)
                left = deadline - time.monotonic()
                if left <= 0 or self.closed.is_set():
                    raise AssertionError(
                        f"{self.name}: no {what} within {timeout}s "
                        f"(socket {'closed, code %s' % self.close_code if self.closed.is_set() else 'open'}); "
                        f"last events: {[e for _, e in self.events[-8:]]}")
                try:
                    await asyncio.wait_for(self._changed.wait(), left)
                except asyncio.TimeoutError:
                    pass

    async def wait_event(self, name: str, timeout: float = 10, start: int = 0, **fields) -> tuple[int, dict]:
        return await self.wait_for(lambda e: e.get("event") == name and all(e.get(k) == v for k, v in fields.items()),
                                   timeout, start, what=f"{name} {fields or ''}")

    async def ping(self, ping_id: str, timeout: float = 10) -> dict:
        start = len(self.events)
        await self.send({"event": "ping", "id": ping_id})
        return (await self.wait_event("pong", timeout, start, id=ping_id))[1]

    def tokens(self, call_id: str, start: int = 0) -> list[dict]:
        return self.of("phone_call_token", start, phone_call_id=call_id)

    async def wait_tokens(self, call_id: str, last_seq: int, timeout: float = 15) -> None:
        """Until a token (or transcript) for `call_id` with seq ≥ last_seq has arrived."""
        def reached(e: dict) -> bool:
            if e.get("phone_call_id") != call_id:
                return False
            if e.get("event") == "phone_call_token":
                return e["seq"] >= last_seq
            if e.get("event") == "phone_call_transcript":
                return e.get("last_seq", 0) >= last_seq
            return False
        await self.wait_for(reached, timeout, what=f"seq {last_seq} of call {call_id}")

    def received_seqs(self, call_id: str) -> list[int]:
        """Every seq of `call_id` this socket was sent, in arrival order (transcripts and tokens)."""
        seqs: list[int] = []
        for _, e in self.events:
            if e.get("phone_call_id") != call_id:
                continue
            if e.get("event") == "phone_call_transcript":
                seqs.extend(s["seq"] for s in e["segments"])
            elif e.get("event") == "phone_call_token":
                seqs.append(e["seq"])
        return seqs

    def received_words(self, call_id: str) -> dict[int, str]:
        found: dict[int, str] = {}
        for _, e in self.events:
            if e.get("phone_call_id") != call_id:
                continue
            if e.get("event") == "phone_call_transcript":
                for s in e["segments"]:
                    found[s["seq"]] = s["text"]
            elif e.get("event") == "phone_call_token":
                found[e["seq"]] = e["text"]
        return found

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self._reader is not None:
            try:
                await asyncio.wait_for(self._reader, 10)
            except (asyncio.TimeoutError, Exception):
                self._reader.cancel()


def run(coroutine):
    """Runs an async test body."""
    return asyncio.run(coroutine)


class Stopwatch:
    """Send times per seq, for ingest-to-agent latency."""

    def __init__(self) -> None:
        self.sent: dict[tuple[str, int], float] = {}
        self.lock = threading.Lock()

    def mark(self, call_id: str, seqs, at: float | None = None) -> None:
        at = time.monotonic() if at is None else at
        with self.lock:
            for seq in seqs:
                self.sent[(call_id, seq)] = at


class StalledSocket:
    """A realtime client that subscribes and then never reads: a tiny receive buffer and no
    reads, so the server's writes back up (a phone on a dead network, a frozen tab).
    A bare WebSocket handshake over a plain socket — nothing reads behind the test's back."""

    def __init__(self, server: AvocaServer, token: str, receive_buffer: int = 4096) -> None:
        import socket as socket_module
        ticket = new_ticket(server, token)
        self.sock = socket_module.socket(socket_module.AF_INET, socket_module.SOCK_STREAM)
        self.sock.setsockopt(socket_module.SOL_SOCKET, socket_module.SO_RCVBUF, receive_buffer)
        self.sock.settimeout(15)
        self.sock.connect(("127.0.0.1", server.port))
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((
            f"GET {ticket['url']} HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:  # byte by byte: stop exactly at the end of the headers
            chunk = self.sock.recv(1)
            if not chunk:
                raise AssertionError(f"the server closed the upgrade: {head!r}")
            head += chunk
        status = head.split(b"\r\n", 1)[0]
        assert b" 101 " in status, f"upgrade refused: {head.decode(errors='replace')}"

    def send(self, payload: dict) -> None:
        data = json.dumps(payload).encode()
        mask = os.urandom(4)
        header = bytes([0x81])
        if len(data) < 126:
            header += bytes([0x80 | len(data)])
        else:
            header += bytes([0x80 | 126]) + len(data).to_bytes(2, "big")
        self.sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

    def drain(self, timeout: float = 30) -> tuple[list[dict], str]:
        """Reads everything the server still sends, for `timeout` s at most; returns (text messages,
        how it ended)."""
        deadline = time.monotonic() + timeout
        buffer = b""
        ended = "timeout"
        try:
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self.sock.settimeout(left)
                chunk = self.sock.recv(65536)
                if not chunk:
                    ended = "eof"
                    break
                buffer += chunk
        except OSError as error:  # timeout or reset
            ended = "reset" if not isinstance(error, TimeoutError) and "timed out" not in str(error) else "timeout"
        messages: list[dict] = []
        position = 0
        while position + 2 <= len(buffer):
            opcode = buffer[position] & 0x0F
            length = buffer[position + 1] & 0x7F
            position += 2
            if length == 126:
                length = int.from_bytes(buffer[position:position + 2], "big"); position += 2
            elif length == 127:
                length = int.from_bytes(buffer[position:position + 8], "big"); position += 8
            payload = buffer[position:position + length]
            position += length
            if opcode == 0x1:
                messages.append(json.loads(payload))
            elif opcode == 0x8:
                code = int.from_bytes(payload[:2], "big") if len(payload) >= 2 else None
                ended = f"close {code}"
        return messages, ended

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass
