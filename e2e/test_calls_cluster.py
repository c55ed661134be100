"""Calls across instances and crashes (DESIGN §1 "Scale-out", §3 "Calls", §4 "Nothing is lost"):
two `avoca serve` instances on one PostgreSQL database, a server killed with SIGKILL while
`avoca simulate` streams a call into it, and a simulated call nobody answers."""

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

def simulate(server, key: str, seed: int, log_path, accept_wait: float = 60) -> subprocess.Popen:
    log = open(log_path, "wb")
    try:
        return subprocess.Popen(
            [server.binary, "simulate", "--url", server.base, "--api-key", key, "--calls", "1",
             "--interval", "0.5", "--pace", "20-40", "--seed", str(seed), "--accept-wait", str(accept_wait)],
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


def speakers(server, token: str, call_id: str) -> list[str]:
    return [s["speaker"] for s in call_detail(server, token, call_id)["segments"]]


def accept_once_the_caller_speaks(server, token: str, log_path) -> dict:
    """Waits for the simulated call to ring with some of the caller's words to the phone menu,
    checks that they are the caller's alone, and accepts it as `token`'s employee."""
    ringing = wait_until(lambda: (c := only_call(server, token)) and c["last_seq"] >= 3 and c, 30)
    assert ringing, f"the simulated call did not ring with the caller's words within 30 s:\n{log_path.read_text()}"
    assert ringing["state"] == "ringing", ringing
    said = speakers(server, token, ringing["phone_call_id"])
    assert said and set(said) == {"caller"}, f"while the call rings only the caller speaks (the phone menu): {said}"
    accepted = expect(server.post(f"/api/phone-calls/{ringing['phone_call_id']}/accept", token=token), 200).json()
    assert accepted["state"] == "active", accepted
    return accepted


def test_kill_9_mid_call_loses_nothing(e2e_environment, smtp, tmp_path):
    """`avoca simulate` streams one call (one word per segment): the caller's words to the phone
    menu while it rings, the rep's side once the admin accepts. The server is killed with SIGKILL
    mid-conversation and restarted on the same port and database; the simulator carries on. The
    stored transcript must be complete (seq 1..N, no gap, no duplicate, the same words as an
    undisturbed run with the same seed on another server, accepted the same way) and the call
    must end normally."""
    victim = start_calls_server(e2e_environment, smtp)
    reference = None
    simulators: list[subprocess.Popen] = []
    try:
        reference = start_calls_server(e2e_environment, smtp)
        token = victim.admin.access_token
        simulators.append(simulate(victim, victim.ingest_key, 1, tmp_path / "simulate-victim.log"))
        simulators.append(simulate(reference, reference.ingest_key, 1, tmp_path / "simulate-reference.log"))

        accept_once_the_caller_speaks(victim, token, tmp_path / "simulate-victim.log")
        accept_once_the_caller_speaks(reference, reference.admin.access_token, tmp_path / "simulate-reference.log")

        # Mid-conversation: the rep has spoken, more is coming.
        call = wait_until(lambda: (c := only_call(victim, token)) and c["last_seq"] >= 25
                          and "agent" in speakers(victim, token, c["phone_call_id"]) and c, 30)
        assert call, f"the simulator did not get 25 segments and the rep's words in within 30 s:\n{(tmp_path / 'simulate-victim.log').read_text()}"
        assert call["state"] == "active", call
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
        assert detail["state"] == "wrap_up" and detail["end_reason"] == "hangup", \
            f"the call must end normally (hung up on the rep → wrap-up): state {detail['state']}, " \
            f"end_reason {detail['end_reason']}"
        said = [s["speaker"] for s in detail["segments"]]
        first_agent = said.index("agent")
        assert set(said[:first_agent]) == {"caller"} and first_agent >= 3, said
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


def test_a_simulated_call_nobody_answers_has_only_the_callers_words(e2e_environment, smtp, tmp_path):
    """`avoca simulate` over HTTP: while the call rings the caller answers the phone menu and then
    waits; nobody accepts within `--accept-wait`, so the caller hangs up. The missed call holds the
    caller's words alone — no rep ever spoke — and the simulator, having read the call's state
    with its ingest key, exits by itself."""
    server = start_calls_server(e2e_environment, smtp)
    process = None
    try:
        token = server.admin.access_token
        log_path = tmp_path / "simulate-unanswered.log"
        process = simulate(server, server.ingest_key, 4, log_path, accept_wait=3)
        ended = wait_until(lambda: (c := only_call(server, token)) and c["state"] not in ("ringing", "active") and c, 60, 0.5)
        assert ended, f"the unanswered call did not end within 60 s: {only_call(server, token)}\n{log_path.read_text()}"
        detail = call_detail(server, token, ended["phone_call_id"])
        assert detail["state"] == "missed" and detail["end_reason"] == "hangup", detail
        said = [s["speaker"] for s in detail["segments"]]
        assert len(said) >= 5 and set(said) == {"caller"}, f"a missed call has no rep's words: {detail['transcript']!r}"
        assert [s["seq"] for s in detail["segments"]] == list(range(1, len(said) + 1))
        assert process.wait(30) == 0, log_path.read_text()[-1500:]
    finally:
        if process is not None and process.poll() is None:
            process.kill()
            process.wait(10)
        server.close()
