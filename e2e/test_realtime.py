"""The realtime WebSocket (docs/realtime.md; DESIGN §3 "Realtime") against the real binary on
PostgreSQL: tickets, hello + snapshot, call events, subscribe / tokens, exact resume, a stalled
client next to a fast one, a client whose buffer overflows, malformed messages, several tabs,
revoked sessions, and the routing offers that arrive over the socket."""

from __future__ import annotations

import asyncio
import json
import threading
import time

import pytest
import websockets

from contextlib import closing
from avoca_harness import describe, expect, new_accounts, new_session
from calls_support import (
    Ingest, RealtimeClient, StalledSocket, Stopwatch, call_detail, calls_server, new_ticket, run, sign_out,
    start_calls_server, words, ws_url,
)

__all__ = ["calls_server"]  # the fixture, imported for pytest


@pytest.fixture
def lone_calls_server(e2e_environment, smtp):
    """A calls server of its own: nobody else is online, so routing offers are predictable."""
    with closing(start_calls_server(e2e_environment, smtp)) as server:
        yield server


@pytest.fixture
def quick_offer_server(e2e_environment, smtp):
    """A calls server of its own whose offers expire after 3 s."""
    server = start_calls_server(e2e_environment, smtp, env={"AVOCA_OFFER_TIMEOUT": "3"})
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def quick_ping_server(e2e_environment, smtp):
    """A calls server of its own that pings every socket each second."""
    with closing(start_calls_server(e2e_environment, smtp, env={"AVOCA_REALTIME_PING_SECONDS": "1"})) as server:
        yield server


def presence_of(server, token: str, employee_id: str) -> str | None:
    agents = expect(server.get("/api/presence", token=token), 200).json()["agents"]
    return next((a["status"] for a in agents if a["employee_id"] == employee_id), None)


def wait_for_presence(server, token: str, employee_id: str, status: str, timeout: float) -> tuple[bool, list]:
    """Polls GET /api/presence; (reached, [(seconds, status) observed])."""
    started = time.monotonic()
    seen: list = []
    while True:
        current = presence_of(server, token, employee_id)
        elapsed = round(time.monotonic() - started, 1)
        if not seen or seen[-1][1] != current:
            seen.append((elapsed, current))
        if current == status:
            return True, seen
        if elapsed > timeout:
            return False, seen
        time.sleep(0.5)


# --------------------------------------------------------------------------------------------
# Tickets, greeting, call events
# --------------------------------------------------------------------------------------------

def test_hello_and_snapshot_on_connect(calls_server, smtp):
    server = calls_server
    agent, = new_accounts(server, smtp, 1)
    ingest = Ingest(server)
    live = ingest.start("+13125550101")
    ingest.say(live["phone_call_id"], 1, ["hello", "there"])
    ended = ingest.start("+13125550102")
    ingest.end(ended["phone_call_id"])

    async def body():
        client = await RealtimeClient.open(server, agent.access_token, "agent")
        try:
            await client.wait_event("snapshot")
            names = client.names()
            assert names[:2] == ["hello", "snapshot"], f"the first two events must be hello, snapshot: {names}"
            hello = client.events[0][1]
            assert hello["employee_id"] == agent.employee["id"], hello
            assert isinstance(hello.get("server_time"), str) and hello["server_time"], hello
            presence = hello.get("presence")
            assert isinstance(presence, dict) and presence.get("employee_id") == agent.employee["id"], hello
            assert presence.get("status") == "available", f"a connected, available agent is available: {hello}"

            snapshot = client.events[1][1]
            calls = {c["phone_call_id"]: c for c in snapshot["phone_calls"]}
            assert live["phone_call_id"] in calls, f"a ringing call must be in the snapshot: {snapshot}"
            assert calls[live["phone_call_id"]]["state"] == "ringing", calls[live["phone_call_id"]]
            assert calls[live["phone_call_id"]]["last_seq"] == 2, calls[live["phone_call_id"]]
            assert ended["phone_call_id"] in calls, f"a recently ended call must be in the snapshot: {snapshot}"
            assert calls[ended["phone_call_id"]]["state"] == "missed", calls[ended["phone_call_id"]]
            for call in calls.values():
                for field in ("phone_call_id", "phone_number", "start_date_time", "state", "last_seq"):
                    assert field in call, f"snapshot call lacks {field!r}: {call}"
        finally:
            await client.close()

    run(body())


def test_used_bogus_or_missing_ticket_is_refused(calls_server, smtp):
    """docs/realtime.md: a bad or used ticket gets the socket closed at once with close code 4401
    (browsers see close codes, not the status of a refused upgrade) — before any event; a plain GET
    without an upgrade answers 401."""
    server = calls_server
    agent, = new_accounts(server, smtp, 1)
    ticket = new_ticket(server, agent.access_token)
    assert ticket["url"].startswith("/api/realtime?ticket="), ticket
    assert ticket.get("expires_at"), ticket

    async def attempt(url: str) -> dict:
        """What a client sees: the HTTP status of a refused upgrade, or the messages and close code."""
        try:
            socket = await websockets.connect(url, open_timeout=10)
        except websockets.InvalidStatus as error:
            return {"http_status": error.response.status_code}
        messages = []
        try:
            async with asyncio.timeout(10):
                async for message in socket:
                    messages.append(message[:80])
        except TimeoutError:
            await socket.close()
            return {"messages": messages, "close": "still open after 10 s"}
        except websockets.ConnectionClosed:
            pass
        return {"messages": messages, "close": socket.close_code}

    outcomes: dict[str, dict] = {}

    async def body():
        first = await websockets.connect(ws_url(server, ticket["url"]), open_timeout=10)
        try:
            hello = json.loads(await asyncio.wait_for(first.recv(), 10))
            assert hello["event"] == "hello", hello
            outcomes["used ticket"] = await attempt(ws_url(server, ticket["url"]))
        finally:
            await first.close()
        outcomes["made-up ticket"] = await attempt(ws_url(server, "/api/realtime?ticket=bogus-" + "x" * 40))
        outcomes["truncated ticket"] = await attempt(ws_url(server, "/api/realtime?ticket=" + ticket["ticket"][:-2]))
        outcomes["no ticket"] = await attempt(ws_url(server, "/api/realtime"))

    run(body())
    leaked = {case: o for case, o in outcomes.items() if o.get("messages")}
    assert not leaked, f"a refused socket must not be sent any event: {leaked}"
    wrong = {case: o for case, o in outcomes.items() if o.get("close") != 4401}
    assert not wrong, f"a bad, used or missing ticket must close the socket at once with code 4401; got {outcomes}"

    # Without an upgrade, the realtime path answers 401.
    response = server.get("/api/realtime?ticket=" + ticket["ticket"])
    assert response.status_code == 401, describe(response)
    # Tickets are only for signed-in employees.
    response = server.post("/api/realtime/tickets")
    assert response.status_code == 401, describe(response)
    response = server.post("/api/realtime/tickets", api_key=server.ingest_key)
    assert response.status_code in (401, 403), f"an API key cannot open the agents' socket: {describe(response)}"


def test_call_started_reaches_a_connected_agent(calls_server, smtp):
    server = calls_server
    agent, = new_accounts(server, smtp, 1)
    ingest = Ingest(server)

    async def body():
        client = await RealtimeClient.open(server, agent.access_token, "agent")
        try:
            await client.wait_event("snapshot")
            sent = time.monotonic()
            call = await asyncio.to_thread(ingest.start, "+13125550177")
            index, event = await client.wait_for(
                lambda e: e.get("event") == "phone_call_started"
                and e.get("phone_call", {}).get("phone_call_id") == call["phone_call_id"],
                timeout=5, what="phone_call_started of the new call")
            assert event["phone_call"]["state"] == "ringing", event
            assert event["phone_call"]["phone_number"] == call["phone_number"], event
            assert client.events[index][0] - sent < 2, "phone_call_started took over 2 s"
        finally:
            await client.close()

    run(body())


def test_subscribe_sends_transcript_then_live_tokens_in_order(calls_server, smtp):
    server = calls_server
    agent, = new_accounts(server, smtp, 1)
    ingest = Ingest(server)
    call = ingest.start()
    call_id = call["phone_call_id"]
    spoken = words(60, "word")
    ingest.say(call_id, 1, spoken[:5], speaker="agent")

    async def body():
        client = await RealtimeClient.open(server, agent.access_token, "agent")
        try:
            await client.wait_event("snapshot")
            start = len(client.events)
            await client.send({"event": "subscribe", "phone_call_id": call_id})
            index, transcript = await client.wait_event("phone_call_transcript", start=start, phone_call_id=call_id)
            assert [s["seq"] for s in transcript["segments"]] == [1, 2, 3, 4, 5], transcript
            assert [s["text"] for s in transcript["segments"]] == spoken[:5], transcript
            assert all(s["speaker"] == "agent" for s in transcript["segments"]), transcript
            assert transcript["last_seq"] == 5, transcript

            # Live: one segment per request, as a speech-to-text feed sends them.
            def feed():
                for seq in range(6, 61):
                    ingest.say(call_id, seq, [spoken[seq - 1]], speaker="caller" if seq % 2 else "agent")
            await asyncio.to_thread(feed)
            await client.wait_tokens(call_id, 60)
            tokens = client.tokens(call_id, index)
            assert [t["seq"] for t in tokens] == list(range(6, 61)), \
                f"live tokens must be 6..60 in order, once each: {[t['seq'] for t in tokens]}"
            assert [t["text"] for t in tokens] == spoken[5:], tokens
            for t in tokens:
                assert t["speaker"] == ("caller" if t["seq"] % 2 else "agent"), t
                assert t.get("created_at"), t
        finally:
            await client.close()

    run(body())


# --------------------------------------------------------------------------------------------
# Resume
# --------------------------------------------------------------------------------------------

def test_resume_after_reconnect_sends_exactly_what_was_missed(calls_server, smtp):
    """Disconnect mid-call while segments keep arriving; reconnect with a new ticket and
    `resume` from the last seq seen: every missed segment exactly once, then live tokens."""
    server = calls_server
    agent, = new_accounts(server, smtp, 1)
    ingest = Ingest(server)
    call_id = ingest.start()["phone_call_id"]
    total = 400
    spoken = [f"w{seq}-{'abcdefgh'[seq % 8]}" for seq in range(1, total + 1)]
    ingest.say(call_id, 1, spoken[:20])

    stored_upto = [20]
    pumping = threading.Event()
    stop = threading.Event()

    def feed():
        # Keeps streaming (one segment per request) during the disconnect, the reconnect and the resume.
        seq = 21
        pumping.set()
        while seq <= total and not stop.is_set():
            ingest.say(call_id, seq, [spoken[seq - 1]])
            stored_upto[0] = seq
            seq += 1
            time.sleep(0.005)

    async def body():
        first = await RealtimeClient.open(server, agent.access_token, "first socket")
        await first.send({"event": "subscribe", "phone_call_id": call_id})
        await first.wait_event("phone_call_transcript", phone_call_id=call_id)
        pump = asyncio.create_task(asyncio.to_thread(feed))
        try:
            await first.wait_tokens(call_id, 60)
            await first.close()
            seen_first = first.received_seqs(call_id)
            assert seen_first == list(range(1, len(seen_first) + 1)), f"first socket: gap or duplicate: {seen_first}"
            last_seen = seen_first[-1]
            # Let more segments be stored while nobody listens.
            target = last_seen + 80
            deadline = time.monotonic() + 30
            while stored_upto[0] < target and not pump.done():
                assert time.monotonic() < deadline, f"the feed stored only up to seq {stored_upto[0]} in 30 s"
                await asyncio.sleep(0.05)

            second = await RealtimeClient.open(server, agent.access_token, "second socket")
            try:
                await second.wait_event("snapshot")
                start = len(second.events)
                await second.send({"event": "resume", "calls": {call_id: last_seen}})
                await second.wait_event("phone_call_transcript", start=start, phone_call_id=call_id)
                await asyncio.wait_for(pump, 60)
                await second.wait_tokens(call_id, total, timeout=20)
                await asyncio.sleep(0.5)  # anything extra (a duplicate) would arrive now
                seqs = second.received_seqs(call_id)
                expected = list(range(last_seen + 1, total + 1))
                duplicates = sorted({s for s in seqs if seqs.count(s) > 1})
                missing = sorted(set(expected) - set(seqs))
                assert seqs == expected, (
                    f"after resume from seq {last_seen} the socket must get exactly {last_seen + 1}..{total} "
                    f"in order; missing {missing[:20]}, duplicated {duplicates[:20]}, "
                    f"unexpected {sorted(set(seqs) - set(expected))[:20]}, order ok: {seqs == sorted(seqs)}")
                transcript = next(e for _, e in second.events[start:] if e.get("event") == "phone_call_transcript")
                assert transcript["segments"], "the resume transcript must carry the missed segments"
                assert transcript["segments"][0]["seq"] == last_seen + 1, transcript["segments"][:3]
                together = {**first.received_words(call_id), **second.received_words(call_id)}
                assert [together.get(seq) for seq in range(1, total + 1)] == spoken, \
                    "what the two sockets received together must be the ingested words"
            finally:
                await second.close()
        finally:
            stop.set()
            if not pump.done():
                await asyncio.wait_for(pump, 60)  # the feed stops after its current request

    run(body())
    detail = call_detail(server, agent.access_token, call_id)
    assert [s["seq"] for s in detail["segments"]] == list(range(1, total + 1)), "stored seqs must be 1..N"
    assert [s["text"] for s in detail["segments"]] == spoken, "the stored transcript must equal the ingested words"
    assert detail["last_seq"] == total, detail["last_seq"]


def test_resume_of_several_calls_and_from_zero(calls_server, smtp):
    server = calls_server
    agent, = new_accounts(server, smtp, 1)
    ingest = Ingest(server)
    a = ingest.start()["phone_call_id"]
    b = ingest.start()["phone_call_id"]
    ingest.say(a, 1, words(12, "a"))
    ingest.say(b, 1, words(7, "b"))

    async def body():
        client = await RealtimeClient.open(server, agent.access_token, "agent")
        try:
            await client.wait_event("snapshot")
            start = len(client.events)
            await client.send({"event": "resume", "calls": {a: 9, b: 0}})
            await client.wait_event("phone_call_transcript", start=start, phone_call_id=a)
            await client.wait_event("phone_call_transcript", start=start, phone_call_id=b)
            await asyncio.to_thread(ingest.say, a, 13, ["a13"])
            await asyncio.to_thread(ingest.say, b, 8, ["b8"])
            await client.wait_tokens(a, 13)
            await client.wait_tokens(b, 8)
            assert client.received_seqs(a) == [10, 11, 12, 13], client.received_seqs(a)
            assert client.received_seqs(b) == list(range(1, 9)), client.received_seqs(b)
            assert client.received_words(b)[8] == "b8"
        finally:
            await client.close()

    run(body())


# --------------------------------------------------------------------------------------------
# Slow clients
# --------------------------------------------------------------------------------------------

def test_stalled_socket_does_not_delay_a_fast_one(calls_server, smtp):
    """One socket subscribes and never reads again while ~3000 tokens are ingested quickly; a fast
    socket on the same call gets every token promptly. The stalled socket is dropped eventually
    (it answers no pings)."""
    server = calls_server
    fast_agent, stalled_agent = new_accounts(server, smtp, 2)
    ingest = Ingest(server)
    call_id = ingest.start()["phone_call_id"]
    total, batch = 3000, 50
    stalled = StalledSocket(server, stalled_agent.access_token)
    stalled.send({"event": "subscribe", "phone_call_id": call_id})
    watch = Stopwatch()

    def feed():
        seq = 1
        while seq <= total:
            count = min(batch, total - seq + 1)
            watch.mark(call_id, range(seq, seq + count))
            ingest.say(call_id, seq, [f"t{s}" for s in range(seq, seq + count)])
            seq += count

    async def body():
        fast = await RealtimeClient.open(server, fast_agent.access_token, "fast")
        try:
            await fast.send({"event": "subscribe", "phone_call_id": call_id})
            await fast.wait_event("phone_call_transcript", phone_call_id=call_id)
            began = time.monotonic()
            await asyncio.to_thread(feed)
            ingest_seconds = time.monotonic() - began
            await fast.wait_tokens(call_id, total, timeout=30)
            seqs = fast.received_seqs(call_id)
            assert seqs == list(range(1, total + 1)), \
                f"the fast socket must get 1..{total} once each in order (got {len(seqs)}, first wrong at " \
                f"{next((i for i, s in enumerate(seqs) if s != i + 1), None)})"
            delays = sorted(at - watch.sent[(call_id, e["seq"])] for at, e in fast.events
                            if e.get("event") == "phone_call_token")
            worst = delays[-1]
            p99 = delays[int(len(delays) * 0.99) - 1]
            print(f"ingested {total} tokens in {ingest_seconds:.1f}s; fast socket delay p99 {p99 * 1000:.0f} ms, "
                  f"max {worst * 1000:.0f} ms")
            assert worst < 2.0, f"a stalled socket must not delay a fast one: max delay {worst:.2f}s (p99 {p99:.2f}s)"
            assert fast.closed.is_set() is False, "the fast socket must stay open"
            assert (await fast.ping("after-burst"))["id"] == "after-burst"
        finally:
            await fast.close()

    try:
        run(body())
        # A peer that answers no pings is dropped: its agent goes offline (docs: pings every 15 s).
        dropped, seen = wait_for_presence(server, fast_agent.access_token, stalled_agent.employee["id"], "offline", 40)
        assert dropped, (f"a socket that never reads (and never answers pings) must be dropped eventually; "
                         f"its agent's presence over 40 s after the burst: {seen}")
    finally:
        stalled.close()


def test_socket_whose_buffer_overflows_is_disconnected(calls_server, smtp):
    """A client that cannot keep up (more than its 1,000-message buffer is waiting) is disconnected
    (docs/realtime.md) — not kept open and shown online. The backlog here is ~2,500 pongs with
    20 kB ids, far more than the socket buffers hold, so the server cannot write them all."""
    server = calls_server
    observer, stalled_agent = new_accounts(server, smtp, 2)
    stalled = StalledSocket(server, stalled_agent.access_token)
    try:
        online, seen = wait_for_presence(server, observer.access_token, stalled_agent.employee["id"], "available", 10)
        assert online, f"the stalled agent's socket should first show it available: {seen}"
        padding = "p" * 20_000
        reset_after = None
        for index in range(2500):
            try:
                stalled.send({"event": "ping", "id": f"{index}-{padding}"})
            except (ConnectionResetError, BrokenPipeError):
                reset_after = index  # the server dropped us while we were still sending: as it should
                break
        dropped, seen = wait_for_presence(server, observer.access_token, stalled_agent.employee["id"], "offline", 20)
        assert dropped, (
            "a socket whose outbound buffer overflowed must be disconnected: 20 s after ~2,500 unread pongs "
            f"its agent is still shown online (presence over time: {seen}; connection reset by the server: "
            f"{'after %d pings' % reset_after if reset_after is not None else 'no'})")
        print(f"connection reset by the server after {reset_after} pings; presence over time {seen}")
    finally:
        stalled.close()


def test_silent_peer_is_dropped_and_one_that_answers_pings_is_kept(quick_ping_server, smtp):
    """Every socket is pinged (here each second, by one loop for all of them). A peer that answers
    (any WebSocket client does, on its own) stays connected and online; a peer that has sent
    nothing for two intervals (a closed laptop, a network gone without a reset) is dropped and its
    agent shown offline, so calls are no longer offered to it."""
    server = quick_ping_server
    observer, silent_agent, live_agent = new_accounts(server, smtp, 3)

    async def body():
        live = await RealtimeClient.open(server, live_agent.access_token, "answers pings")
        silent = StalledSocket(server, silent_agent.access_token)
        try:
            online, seen = await asyncio.to_thread(
                wait_for_presence, server, observer.access_token, silent_agent.employee["id"], "available", 10)
            assert online, f"the silent agent's socket should first show it available: {seen}"
            dropped, seen = await asyncio.to_thread(
                wait_for_presence, server, observer.access_token, silent_agent.employee["id"], "offline", 15)
            assert dropped, f"a peer silent for two pings must be dropped and shown offline; presence over time: {seen}"
            # What reached the silent socket before the drop includes a ping frame (opcode 0x9).
            received = b""
            silent.sock.settimeout(5)
            while True:
                try:
                    chunk = silent.sock.recv(65536)
                except OSError:
                    break
                if not chunk:
                    break
                received += chunk
            assert ping_frame_in(received), f"no ping frame among {len(received)} bytes the silent socket was sent"
            assert not live.closed.is_set(), f"the socket that answers pings was closed ({live.close_code} {live.close_reason})"
            assert presence_of(server, observer.access_token, live_agent.employee["id"]) == "available"
            pong = await live.ping("still-here")
            assert pong["id"] == "still-here", pong
        finally:
            silent.close()
            await live.close()

    run(body())


def ping_frame_in(data: bytes) -> bool:
    """Whether the server's (unmasked) WebSocket frames in `data` include a ping."""
    index = 0
    while index + 2 <= len(data):
        opcode, length = data[index] & 0x0F, data[index + 1] & 0x7F
        header = 2
        if length == 126:
            if index + 4 > len(data):
                return False
            length, header = int.from_bytes(data[index + 2:index + 4], "big"), 4
        elif length == 127:
            if index + 10 > len(data):
                return False
            length, header = int.from_bytes(data[index + 2:index + 10], "big"), 10
        if opcode == 0x9:
            return True
        index += header + length
    return False


# --------------------------------------------------------------------------------------------
# Bad input
# --------------------------------------------------------------------------------------------

def test_malformed_messages_get_an_error_and_the_socket_stays_open(calls_server, smtp):
    server = calls_server
    agent, = new_accounts(server, smtp, 1)

    async def body():
        client = await RealtimeClient.open(server, agent.access_token, "agent")
        try:
            await client.wait_event("snapshot")
            bad_messages = [
                "not json", "{}", '{"event":"nope"}', '{"event":"subscribe"}', "[]", "42", '"subscribe"',
                '{"event": 7}', '{"event":"subscribe","phone_call_id":"not-a-uuid"}',
                '{"event":"subscribe","phone_call_id":"00000000-0000-4000-8000-000000000000"}',
                '{"event":"resume"}', '{"event":"resume","calls":{"x":1}}', '{"event":"resume","calls":[1,2]}',
                '{"event":"unsubscribe"}', '{"event":"subscribe","phone_call_id":', "\u0000\u0001",
            ]
            for message in bad_messages:
                start = len(client.events)
                await client.send(message)
                _, error = await client.wait_event("error", timeout=5, start=start)
                assert isinstance(error.get("code"), str) and error["code"], f"{message!r}: {error}"
                assert isinstance(error.get("message"), str) and error["message"], f"{message!r}: {error}"
                assert not client.closed.is_set(), f"the socket closed after {message!r} (code {client.close_code})"
            pong = await client.ping("still-here")
            assert pong == {"event": "pong", "id": "still-here"} or (pong["event"] == "pong" and pong["id"] == "still-here")
            # A ping without id is answered too.
            start = len(client.events)
            await client.send({"event": "ping"})
            await client.wait_event("pong", start=start)
        finally:
            await client.close()

    run(body())


# --------------------------------------------------------------------------------------------
# Several tabs
# --------------------------------------------------------------------------------------------

def test_two_tabs_of_one_agent_each_get_every_event(lone_calls_server, smtp):
    server = lone_calls_server
    agent, = new_accounts(server, smtp, 1)
    ingest = Ingest(server)

    async def body():
        tab1 = await RealtimeClient.open(server, agent.access_token, "tab 1")
        tab2 = await RealtimeClient.open(server, agent.access_token, "tab 2")
        try:
            for tab in (tab1, tab2):
                await tab.wait_event("snapshot")
            call = await asyncio.to_thread(ingest.start, "+13125550188")
            call_id = call["phone_call_id"]
            for tab in (tab1, tab2):
                await tab.wait_for(lambda e: e.get("event") == "phone_call_started"
                                   and e["phone_call"]["phone_call_id"] == call_id, 5, what="phone_call_started")
                # The only available agent gets the offer: every tab rings.
                await tab.wait_for(lambda e: e.get("event") == "phone_call_offered"
                                   and e["phone_call"]["phone_call_id"] == call_id, 10, what="phone_call_offered")
                await tab.send({"event": "subscribe", "phone_call_id": call_id})
                await tab.wait_event("phone_call_transcript", phone_call_id=call_id)
            await asyncio.to_thread(ingest.say, call_id, 1, words(10))
            for tab in (tab1, tab2):
                await tab.wait_tokens(call_id, 10)
                assert tab.received_seqs(call_id) == list(range(1, 11)), (tab.name, tab.received_seqs(call_id))

            accepted = await asyncio.to_thread(
                lambda: expect(server.post(f"/api/phone-calls/{call_id}/accept", token=agent.access_token), 200).json())
            assert accepted["state"] == "active" and accepted["employee_id"] == agent.employee["id"], accepted
            for tab in (tab1, tab2):
                await tab.wait_event("phone_call_offer_ended", phone_call_id=call_id)
                _, assigned = await tab.wait_for(lambda e: e.get("event") == "phone_call_assigned"
                                                 and e["phone_call"]["phone_call_id"] == call_id, 5,
                                                 what="phone_call_assigned")
                assert assigned["phone_call"]["employee_id"] == agent.employee["id"], assigned

            # Closing one tab leaves the other working.
            await tab1.close()
            mark = len(tab2.events)
            await asyncio.to_thread(ingest.say, call_id, 11, words(5, "later"))
            await tab2.wait_tokens(call_id, 15)
            assert tab2.received_seqs(call_id) == list(range(1, 16)), tab2.received_seqs(call_id)
            await asyncio.to_thread(ingest.end, call_id)
            _, ended = await tab2.wait_for(lambda e: e.get("event") == "phone_call_ended"
                                           and e["phone_call"]["phone_call_id"] == call_id, 5, mark,
                                           what="phone_call_ended")
            assert ended["phone_call"]["state"] == "wrap_up", ended
            assert (await tab2.ping("tab2"))["id"] == "tab2"
            assert presence_of(server, agent.access_token, agent.employee["id"]) in ("wrap_up", "on_call"), \
                "an agent with one tab still open is online"
        finally:
            await tab1.close()
            await tab2.close()

    run(body())


# --------------------------------------------------------------------------------------------
# Revoked sessions
# --------------------------------------------------------------------------------------------

def test_signed_out_session_is_disconnected(calls_server, smtp):
    server = calls_server
    agent, = new_accounts(server, smtp, 1)
    other = type(agent)(email=agent.email, password=agent.password, secret=agent.secret,
                        otpauth_url=agent.otpauth_url, last_step=agent.last_step)
    new_session(server, other)  # the same agent signed in elsewhere: that session stays

    async def body():
        doomed = await RealtimeClient.open(server, agent.access_token, "signed-out session")
        survivor = await RealtimeClient.open(server, other.access_token, "other session")
        try:
            await doomed.wait_event("snapshot")
            await survivor.wait_event("snapshot")
            await asyncio.to_thread(sign_out, server, agent)
            signed_out = time.monotonic()
            try:
                await asyncio.wait_for(doomed.closed.wait(), 16)
            except asyncio.TimeoutError:
                pass
            waited = time.monotonic() - signed_out
            assert doomed.closed.is_set(), "a socket of a signed-out session must be closed within ~15 s"
            print(f"closed {waited:.1f}s after sign-out with code {doomed.close_code} ({doomed.close_reason!r})")
            assert doomed.close_code == 4401, \
                f"docs/realtime.md: a revoked session is disconnected with close code 4401 (got {doomed.close_code})"
            assert not survivor.closed.is_set(), "the agent's other session must stay connected"
            assert (await survivor.ping("alive"))["id"] == "alive"
        finally:
            await doomed.close()
            await survivor.close()

    run(body())
    # And the signed-out session cannot get a new ticket.
    response = server.post("/api/realtime/tickets", token=agent.access_token)
    assert response.status_code == 401, describe(response)


# --------------------------------------------------------------------------------------------
# Routing offers (DESIGN §3: round-robin, longest idle first; expiry and declines move on)
# --------------------------------------------------------------------------------------------

def test_offers_go_to_the_longest_idle_agent_and_move_on(quick_offer_server, smtp):
    server = quick_offer_server
    first, second = new_accounts(server, smtp, 2)
    ingest = Ingest(server)

    def offered(call_id):
        return lambda e: e.get("event") == "phone_call_offered" and e["phone_call"]["phone_call_id"] == call_id

    async def body():
        x = await RealtimeClient.open(server, first.access_token, "first agent")
        await x.wait_event("snapshot")
        await asyncio.sleep(1.2)  # x has been idle longer
        y = await RealtimeClient.open(server, second.access_token, "second agent")
        try:
            await y.wait_event("snapshot")
            call_id = (await asyncio.to_thread(ingest.start, "+13125550133"))["phone_call_id"]
            _, offer = await x.wait_for(offered(call_id), 10, what="the offer to the longest-idle agent")
            assert offer.get("expires_at"), offer
            assert not [e for _, e in y.events if offered(call_id)(e)], "only one agent is offered a call at a time"

            # A decline moves the offer on to the next agent.
            response = await asyncio.to_thread(server.post, f"/api/phone-calls/{call_id}/decline", token=first.access_token)
            assert response.status_code == 204, describe(response)
            await x.wait_event("phone_call_offer_ended", phone_call_id=call_id, reason="declined")
            await y.wait_for(offered(call_id), 10, what="the offer after a decline")

            # Unanswered, it expires (3 s here).
            _, ended = await y.wait_event("phone_call_offer_ended", 10, phone_call_id=call_id)
            assert ended["reason"] == "expired", ended

            # Anyone may still take it from the queue.
            accepted = await asyncio.to_thread(server.post, f"/api/phone-calls/{call_id}/accept", token=first.access_token)
            assert accepted.status_code == 200, describe(accepted)

            # The next call goes to the agent who is still available.
            next_id = (await asyncio.to_thread(ingest.start, "+13125550134"))["phone_call_id"]
            await y.wait_for(offered(next_id), 10, what="the next call's offer to the free agent")
            assert not [e for _, e in x.events if offered(next_id)(e)], "an agent on a call is not offered calls"
        finally:
            await x.close()
            await y.close()

    run(body())
