"""Calls across instances and crashes (DESIGN §1 "Scale-out", §3 "Calls", §4 "Nothing is lost"):
two `avoca serve` instances on one PostgreSQL database, and a server killed with SIGKILL while
`avoca simulate` streams a call into it."""

from __future__ import annotations

import asyncio
import subprocess
import threading
import time

import requests

from avoca_harness import HTTP_TIMEOUT, describe, error_code, expect, new_accounts
from calls_support import Ingest, RealtimeClient, call_detail, calls_cluster, run, start_calls_server, words

__all__ = ["calls_cluster"]  # the fixture, imported for pytest


# --------------------------------------------------------------------------------------------
# Two instances
# --------------------------------------------------------------------------------------------

def test_agent_on_a_receives_a_call_ingested_through_b_with_tokens_in_order(calls_cluster, smtp):
    a, b = calls_cluster
    agent, = new_accounts(a, smtp, 1)
    through_b = Ingest(b, a.ingest_key)
    through_a = Ingest(a, a.ingest_key)
    total = 150
    spoken = words(total, "tok")

    async def body():
        client = await RealtimeClient.open(a, agent.access_token, "agent on A")
        try:
            await client.wait_event("snapshot")
            call = await asyncio.to_thread(through_b.start, "+13125550199")
            call_id = call["phone_call_id"]
            _, started = await client.wait_for(
                lambda e: e.get("event") == "phone_call_started" and e["phone_call"]["phone_call_id"] == call_id,
                timeout=5, what="phone_call_started of a call ingested through B")
            assert started["phone_call"]["state"] == "ringing", started
            await client.send({"event": "subscribe", "phone_call_id": call_id})
            await client.wait_event("phone_call_transcript", phone_call_id=call_id)

            def feed():
                # One segment per request, first all through B, then alternating A / B.
                for seq in range(1, total + 1):
                    target = through_b if seq <= total // 2 or seq % 2 else through_a
                    target.say(call_id, seq, [spoken[seq - 1]])
            await asyncio.to_thread(feed)
            await client.wait_tokens(call_id, total, timeout=20)
            await asyncio.sleep(0.5)  # a late duplicate would show up now
            seqs = client.received_seqs(call_id)
            assert seqs == list(range(1, total + 1)), (
                f"the agent on A must receive 1..{total} once each, in order; got {len(seqs)} seqs, "
                f"first out of place at index {next((i for i, s in enumerate(seqs) if s != i + 1), None)}: "
                f"{seqs[:10]}…")
            received = client.received_words(call_id)
            assert [received[seq] for seq in range(1, total + 1)] == spoken

            # Ended through B: A's agent hears it too.
            await asyncio.to_thread(through_b.end, call_id)
            _, ended = await client.wait_for(
                lambda e: e.get("event") == "phone_call_ended" and e["phone_call"]["phone_call_id"] == call_id,
                timeout=5, what="phone_call_ended of a call ended through B")
            assert ended["phone_call"]["state"] == "missed", ended
        finally:
            await client.close()

    run(body())


def test_resume_on_the_other_instance(calls_cluster, smtp):
    """A socket on A drops; the agent reconnects to B and resumes: exactly the missed segments."""
    a, b = calls_cluster
    agent, = new_accounts(a, smtp, 1)
    ingest = Ingest(a, a.ingest_key)
    call_id = ingest.start()["phone_call_id"]
    ingest.say(call_id, 1, words(30))

    async def body():
        on_a = await RealtimeClient.open(a, agent.access_token, "socket on A")
        await on_a.send({"event": "subscribe", "phone_call_id": call_id})
        await on_a.wait_event("phone_call_transcript", phone_call_id=call_id)
        await on_a.close()
        last = on_a.received_seqs(call_id)[-1]
        assert last == 30, on_a.received_seqs(call_id)
        await asyncio.to_thread(ingest.say, call_id, 31, words(40)[30:])
        on_b = await RealtimeClient.open(b, agent.access_token, "socket on B")
        try:
            await on_b.wait_event("snapshot")
            await on_b.send({"event": "resume", "calls": {call_id: last}})
            await on_b.wait_event("phone_call_transcript", phone_call_id=call_id)
            await asyncio.to_thread(ingest.say, call_id, 41, words(45)[40:])  # live, ingested through A
            await on_b.wait_tokens(call_id, 45)
            await asyncio.sleep(0.3)
            assert on_b.received_seqs(call_id) == list(range(31, 46)), on_b.received_seqs(call_id)
        finally:
            await on_b.close()

    run(body())


def test_hundred_concurrent_accepts_across_two_instances_have_one_winner(calls_cluster, smtp):
    a, b = calls_cluster
    agents = new_accounts(a, smtp, 100, prefix="claimant", workers=24)
    ingest = Ingest(a, a.ingest_key)
    for round_number in range(3):
        call_id = ingest.start(f"+1312555{round_number:04d}")["phone_call_id"]
        barrier = threading.Barrier(len(agents))
        results: list[tuple[int, requests.Response | Exception]] = [None] * len(agents)  # type: ignore

        def claim(index: int) -> None:
            server = a if index % 2 == 0 else b
            session = requests.Session()
            session.headers["Authorization"] = f"Bearer {agents[index].access_token}"
            try:
                barrier.wait(30)
                results[index] = (index, session.post(server.url(f"/api/phone-calls/{call_id}/accept"), timeout=HTTP_TIMEOUT))
            except Exception as error:  # reported below
                results[index] = (index, error)

        threads = [threading.Thread(target=claim, args=(i,), daemon=True) for i in range(len(agents))]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 60
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        stuck = [i for i, thread in enumerate(threads) if thread.is_alive()]
        assert not stuck, f"round {round_number}: accepts still running after 60 s: {stuck[:10]}"

        failures = [(i, r) for i, r in results if isinstance(r, Exception)]
        assert not failures, f"round {round_number}: requests failed: {failures[:3]}"
        winners = [(i, r) for i, r in results if r.status_code == 200]
        losers = [(i, r) for i, r in results if r.status_code == 409]
        others = [(i, describe(r)) for i, r in results if r.status_code not in (200, 409)]
        assert not others, f"round {round_number}: unexpected answers: {others[:5]}"
        assert len(winners) == 1, (
            f"round {round_number}: exactly one of 100 concurrent accepts must win, "
            f"{len(winners)} did: {[(i, 'A' if i % 2 == 0 else 'B') for i, _ in winners]}")
        assert len(losers) == 99, f"round {round_number}: {len(losers)} got 409"
        winner_index, winner = winners[0]
        owner = agents[winner_index].employee["id"]
        assert winner.json()["employee_id"] == owner and winner.json()["state"] == "active", winner.json()
        for i, response in losers:
            assert error_code(response) == "already_claimed", describe(response)
            assert response.json()["error"].get("owner_employee_id") == owner, \
                f"a 409 must name the owner {owner}: {describe(response)}"
        for server in (a, b):
            call = call_detail(server, agents[0].access_token, call_id)
            assert call["employee_id"] == owner and call["state"] == "active", call
        # Clean up: the winner is on a call; end it so the next round's agents are free.
        ingest.end(call_id)


# --------------------------------------------------------------------------------------------
# kill -9 while the simulator streams
# --------------------------------------------------------------------------------------------

def simulate(server, key: str, seed: int, log_path) -> subprocess.Popen:
    log = open(log_path, "wb")
    try:
        return subprocess.Popen(
            [server.binary, "simulate", "--url", server.base, "--api-key", key, "--calls", "1",
             "--interval", "0.5", "--pace", "20-40", "--seed", str(seed)],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    finally:
        log.close()


def only_call(server, token: str) -> dict | None:
    calls = expect(server.get("/api/phone-calls", token=token), 200).json()["phone_calls"]
    assert len(calls) <= 1, f"the simulator made more than one call: {calls}"
    return calls[0] if calls else None


def wait_until(condition, timeout: float, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    return None


def test_kill_9_mid_call_loses_nothing(e2e_environment, smtp, tmp_path):
    """`avoca simulate` streams one call (one word per segment); the server is killed with SIGKILL
    mid-call and restarted on the same port and database; the simulator carries on. The stored
    transcript must be complete (seq 1..N, no gap, no duplicate, the same words as an undisturbed
    run with the same seed on another server) and the call must end normally."""
    victim = start_calls_server(e2e_environment, smtp)
    reference = None
    simulators: list[subprocess.Popen] = []
    try:
        reference = start_calls_server(e2e_environment, smtp)
        token = victim.admin.access_token
        simulators.append(simulate(victim, victim.ingest_key, 1, tmp_path / "simulate-victim.log"))
        simulators.append(simulate(reference, reference.ingest_key, 1, tmp_path / "simulate-reference.log"))

        # Mid-call: some segments are stored, more are coming.
        call = wait_until(lambda: (c := only_call(victim, token)) and c["last_seq"] >= 25 and c, 30)
        assert call, f"the simulator did not get 25 segments in within 30 s:\n{(tmp_path / 'simulate-victim.log').read_text()}"
        assert call["state"] == "ringing", call
        stored_before = call["last_seq"]
        victim.kill9()
        time.sleep(1.5)
        victim.start()
        restarted_at = time.monotonic()

        ended = wait_until(lambda: (c := only_call(victim, token)) and c["state"] not in ("ringing", "active") and c, 90, 0.5)
        assert ended, (f"the call did not end within 90 s of the restart: {only_call(victim, token)}\n"
                       f"simulator: {(tmp_path / 'simulate-victim.log').read_text()[-2000:]}")
        reference_call = wait_until(lambda: (c := only_call(reference, reference.admin.access_token))
                                    and c["state"] not in ("ringing", "active") and c, 60, 0.5)
        assert reference_call, "the undisturbed reference call did not end within 60 s"

        detail = call_detail(victim, token, ended["phone_call_id"])
        expected = call_detail(reference, reference.admin.access_token, reference_call["phone_call_id"])
        seqs = [s["seq"] for s in detail["segments"]]
        n = len(expected["segments"])
        assert n > stored_before, f"the kill came after the whole call had been stored ({stored_before} of {n})"
        assert seqs == list(range(1, len(seqs) + 1)), f"stored seqs have a gap or a duplicate: {seqs}"
        assert detail["last_seq"] == len(seqs), (detail["last_seq"], len(seqs))
        assert [(s["speaker"], s["text"]) for s in detail["segments"]] == \
            [(s["speaker"], s["text"]) for s in expected["segments"]], (
            f"the transcript after kill -9 must equal the undisturbed run's ({len(seqs)} vs {n} segments)\n"
            f"got:      {detail['transcript'][-300:]!r}\nexpected: {expected['transcript'][-300:]!r}")
        assert detail["state"] == "missed" and detail["end_reason"] == "hangup", \
            f"the call must end normally (hung up, unclaimed → missed): state {detail['state']}, " \
            f"end_reason {detail['end_reason']}"
        assert detail["end_date_time"], detail

        # The simulator, having played its one call, exits by itself.
        exited = wait_until(lambda: all(p.poll() is not None for p in simulators), 15, 0.5)
        logs = {name: (tmp_path / f"simulate-{name}.log").read_text()[-1500:] for name in ("victim", "reference")}
        assert exited, (
            f"`avoca simulate --calls 1` must exit once its call has ended; both calls ended "
            f"{time.monotonic() - restarted_at:.0f}s after the restart, yet the processes still run "
            f"(exit codes {[p.poll() for p in simulators]}). Output: {logs}")
        assert [p.returncode for p in simulators] == [0, 0], f"simulator exit codes {[p.returncode for p in simulators]}: {logs}"
    except BaseException:
        print(f"--- killed server's log (last 60 lines) ---\n{victim.log_tail(60)}")
        raise
    finally:
        for process in simulators:
            if process.poll() is None:
                process.kill()
                process.wait(10)
        if reference is not None:
            reference.close()
        victim.close()
