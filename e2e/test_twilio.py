"""The Twilio Voice bridge against the real binary on PostgreSQL (README "Connect a Twilio number").

Twilio itself cannot be reached from here, so its two sides are played locally: `avoca simulate
--via twilio` (the carrier emulator: signed webhooks, partial and final transcription callbacks of
both tracks, a duplicated retry, a reordered pair, status callbacks) and a local stand-in of the
REST endpoint Avoca calls on accept, which records what it was asked. Webhooks the tests send
themselves are signed here with the algorithm Twilio documents (HMAC-SHA1 over URL + sorted params).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.server
import json
import re
import subprocess
import threading
import time
import urllib.parse
import xml.etree.ElementTree as ET
from contextlib import closing
from pathlib import Path

import pytest
import requests

from avoca_harness import expect, free_port
from browser import SCREENS_DIR, Browser
from conftest import CONSOLE_ENV, start_server
from console_support import api_account, make_available, sign_in_in_browser, wait_queue_state

ACCOUNT_SID = "AC" + "0" * 31 + "e"
AUTH_TOKEN = "e2e-twilio-auth-token-0123456789"


def sign(url: str, params: list[tuple[str, str]], token: str = AUTH_TOKEN) -> str:
    signed = url + "".join(name + value for name, value in sorted(params))
    return base64.b64encode(hmac.new(token.encode(), signed.encode(), hashlib.sha1).digest()).decode()


def webhook(server, endpoint: str, params: list[tuple[str, str]], signature: str | None = None) -> requests.Response:
    path = f"/api/telephony/twilio/{endpoint}"
    return requests.post(server.url(path), data=params, timeout=15,
                         headers={"X-Twilio-Signature": signature if signature is not None else sign(server.base + path, params)})


def call_sid(n: int) -> str:
    return "CA" + f"{n:032x}"


def content(sid: str, text: str, sequence: int, final: bool, track: str = "inbound_track") -> list[tuple[str, str]]:
    return [("AccountSid", ACCOUNT_SID), ("CallSid", sid), ("TranscriptionSid", "GT" + sid[2:]),
            ("TranscriptionEvent", "transcription-content"), ("Track", track), ("Final", "true" if final else "false"),
            ("SequenceId", str(sequence)), ("TranscriptionData", json.dumps({"transcript": text, "confidence": 0.9}))]


class RESTStandIn:
    """A local stand-in for Twilio's REST API (unreachable from here): records each call update."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (the stdlib's name)
                length = int(self.headers.get("Content-Length") or 0)
                form = urllib.parse.parse_qs(self.rfile.read(length).decode())
                owner.requests.append({"path": self.path, "authorization": self.headers.get("Authorization"),
                                       "twiml": (form.get("Twiml") or [""])[0]})
                body = b'{"status": "in-progress"}'
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def twilio_env(rest_port: int) -> dict[str, str]:
    return {**CONSOLE_ENV, "AVOCA_TWILIO_ACCOUNT_SID": ACCOUNT_SID, "AVOCA_TWILIO_AUTH_TOKEN": AUTH_TOKEN,
            "AVOCA_TWILIO_API_URL": f"http://127.0.0.1:{rest_port}", "AVOCA_TWILIO_GREETING": "Thanks for calling Avoca Plumbing."}


@pytest.fixture
def twilio_server(e2e_environment, smtp):
    """A server with the Twilio bridge on, whose REST API is a port the caller fills (`rest_port`)."""
    rest_port = free_port()
    with closing(start_server(e2e_environment, smtp, twilio_env(rest_port))) as server:
        server.rest_port = rest_port
        yield server


def agent_with_number(server, smtp, number: str):
    agent = api_account(server, smtp, "Riley", "Nguyen", "twilio-agent")
    settings = expect(server.request("PUT", "/api/phone-settings", json_body={"ring_at": number}, token=agent.access_token), 200).json()
    assert settings == {"ring_at": number, "carrier_connected": True}
    return agent


def calls_of(server, token: str) -> list[dict]:
    return expect(server.get("/api/phone-calls", token=token), 200).json()["phone_calls"]


def wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"gave up waiting for {what} after {timeout}s")


def test_forged_and_queued_calls(twilio_server, smtp):
    """A forged webhook changes nothing; the voice answer is valid TwiML; a caller who hangs up in
    the queue is a missed call; with no ring-at number the accept is refused."""
    server = twilio_server
    agent = api_account(server, smtp, "Sam", "Okafor", "twilio-queue")
    sid = call_sid(1)
    ring = [("AccountSid", ACCOUNT_SID), ("CallSid", sid), ("From", "+13125550142"), ("To", "+18005550100"),
            ("CallStatus", "ringing"), ("Direction", "inbound")]
    forged = webhook(server, "voice", ring, signature=sign(server.base + "/api/telephony/twilio/voice", ring, "not-the-token"))
    assert forged.status_code == 403, forged.text
    assert webhook(server, "voice", ring[:-1] + [("Direction", "outbound")], signature=sign(
        server.base + "/api/telephony/twilio/voice", ring)).status_code == 403  # tampered after signing
    assert calls_of(server, agent.access_token) == []

    answer = webhook(server, "voice", ring)
    assert answer.status_code == 200, answer.text
    twiml = ET.fromstring(answer.content)
    assert twiml.tag == "Response" and [child.tag for child in twiml] == ["Start", "Say", "Enqueue"]
    transcription = twiml.find("Start/Transcription")
    assert transcription is not None
    assert transcription.get("statusCallbackUrl") == server.base + "/api/telephony/twilio/transcription"
    assert (transcription.get("track"), transcription.get("partialResults")) == ("both_tracks", "true")
    assert twiml.find("Say").text == "Thanks for calling Avoca Plumbing."
    assert twiml.find("Enqueue").get("waitUrl") == server.base + "/api/telephony/twilio/wait"

    [call] = calls_of(server, agent.access_token)
    assert (call["state"], call["phone_number"]) == ("ringing", "+13125550142")
    refused = server.post(f"/api/phone-calls/{call['phone_call_id']}/accept", token=agent.access_token)
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "no_ring_at", refused.text
    assert webhook(server, "status", [("AccountSid", ACCOUNT_SID), ("CallSid", sid), ("CallStatus", "completed")]).status_code == 204
    [call] = calls_of(server, agent.access_token)
    assert call["state"] == "missed"


def test_emulated_call_accept_transcript_and_hang_up(twilio_server, smtp, tmp_path):
    """`avoca simulate --via twilio` plays a call; the rep accepts it; the REST stand-in saw the
    redirect to the rep's number; duplicates and reordered callbacks leave each final exactly once,
    at gapless seqs; the hang-up puts the call in wrap-up and the trailing final still counts."""
    server = twilio_server
    agent = agent_with_number(server, smtp, "+13125550177")
    record = tmp_path / "rest.jsonl"
    binary, _ = server.binary, None
    emulator = subprocess.Popen(
        [binary, "simulate", "--via", "twilio", "--url", server.base, "--account-sid", ACCOUNT_SID, "--auth-token", AUTH_TOKEN,
         "--rest-port", str(server.rest_port), "--calls", "1", "--pace", "20-60", "--accept-wait", "30", "--record", str(record)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        ringing = wait_for(lambda: [c for c in calls_of(server, agent.access_token) if c["state"] == "ringing"], 30, "the call to ring")
        call_id = ringing[0]["phone_call_id"]
        accepted = server.post(f"/api/phone-calls/{call_id}/accept", token=agent.access_token)
        assert accepted.status_code == 200, accepted.text
        output, _ = emulator.communicate(timeout=120)
    finally:
        if emulator.poll() is None:
            emulator.kill()
    assert emulator.returncode == 0, output
    finals = int(re.search(r"accepted, (\d+) final", output).group(1))

    asked = [json.loads(line) for line in record.read_text().splitlines()]
    assert len(asked) == 1 and asked[0]["authorized"], asked
    dial = ET.fromstring(asked[0]["twiml"])
    assert dial.find("Dial/Number").text == "+13125550177"

    detail = expect(server.get(f"/api/phone-calls/{call_id}", token=agent.access_token), 200).json()
    assert detail["state"] == "wrap_up"
    segments = detail["segments"]
    assert [s["seq"] for s in segments] == list(range(1, len(segments) + 1))
    assert len(segments) == finals - 1, (finals, segments)  # one final was a retry
    texts = [s["text"] for s in segments]
    assert len(set(texts)) == len(texts), texts
    assert {s["speaker"] for s in segments} == {"caller", "agent"}


def test_desk_shows_partials_then_finals(e2e_environment, smtp, request):
    """In Chromium: a Twilio call rings on the desk; interim words show as a grey line, which the
    final words replace; accepting in the console redirects the call to the rep's phone."""
    stand_in = RESTStandIn()
    server = start_server(e2e_environment, smtp, twilio_env(stand_in.port))
    browser = None
    try:
        agent = agent_with_number(server, smtp, "+13125550188")
        browser = Browser(server.base, request.node.name)
        sign_in_in_browser(browser, agent)
        make_available(browser)
        sid = call_sid(7)
        assert webhook(server, "voice", [("AccountSid", ACCOUNT_SID), ("CallSid", sid), ("From", "+13125550142"),
                                         ("To", "+18005550100"), ("CallStatus", "ringing")]).status_code == 200
        [call] = calls_of(server, agent.access_token)
        call_id = call["phone_call_id"]
        wait_queue_state(browser, call_id, "state-ringing")
        browser.click(f'.queue-item[data-id="{call_id}"]')
        browser.button("Accept call").click()
        wait_for(lambda: stand_in.requests, 15, "the redirect")
        assert ET.fromstring(stand_in.requests[0]["twiml"]).find("Dial/Number").text == "+13125550188"
        assert stand_in.requests[0]["path"] == f"/2010-04-01/Accounts/{ACCOUNT_SID}/Calls/{sid}.json"

        assert webhook(server, "transcription", content(sid, "my water heater is", 1, final=False)).status_code == 204
        grey = browser.wait_text("call-transcript .partial-caller", "my water heater is")
        assert grey.value_of_css_property("font-style") == "italic"
        browser.shot("partial words")
        assert webhook(server, "transcription", content(sid, "My water heater is leaking.", 2, final=True)).status_code == 204
        browser.gone("call-transcript .partial-caller")
        # The words as read, without the insight labels screen readers get (" (Service)").
        spoken = ("const t = document.querySelector('call-transcript .turn-caller .turn-text'); if (!t) return null;"
                  "const c = t.cloneNode(true); c.querySelectorAll('.visually-hidden').forEach((e) => e.remove());"
                  "return c.textContent;")
        browser.wait(lambda: browser.js(spoken) == "My water heater is leaking.", 15, "the final words in the caller's turn")
        assert webhook(server, "transcription", content(sid, "Sorry to", 3, final=False, track="outbound_track")).status_code == 204
        browser.wait_text("call-transcript .partial-agent", "Sorry to")
        browser.shot("final and partial")
        detail = expect(server.get(f"/api/phone-calls/{call_id}", token=agent.access_token), 200).json()
        assert [s["text"] for s in detail["segments"]] == ["My water heater is leaking."]
        # The caller hangs up mid-sentence: no final will replace the grey line, so it goes.
        assert webhook(server, "status", [("AccountSid", ACCOUNT_SID), ("CallSid", sid),
                                          ("CallStatus", "completed")]).status_code == 204
        browser.gone("call-transcript .partial-agent")
    finally:
        if browser is not None:
            try:
                browser.driver.save_screenshot(str(SCREENS_DIR / f"{request.node.name}-zz-last.png"))
            except Exception:
                pass
            browser.close()
        server.close()
        stand_in.close()
