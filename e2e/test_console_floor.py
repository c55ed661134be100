"""The supervisor's floor in a real Chromium (issue 13): a supervisor and two agents.

Calls ring through the ingest API. The floor follows them over the realtime socket with no
polling: the waiting count and the longest wait grow, the agent a call is offered to is named, an
agent's state changes as they accept; the supervisor reassigns the live call and both agents'
desks follow at once. The day's CSV export opens in Python's csv module.
"""

from __future__ import annotations

import csv
import io
import re

import requests

from avoca_harness import create_api_key, expect
from browser import Browser, Caller
from console_support import api_account, make_available, sign_in_in_browser, wait_queue_state


def floor_card(b: Browser, key: str) -> str:
    return b.find(f'[data-card="{key}"] .floor-card-value').text


def seconds(text: str) -> int:
    """ "1:05" → 65."""
    match = re.fullmatch(r"(?:(\d+):)?(\d+):(\d\d)", text.strip())
    assert match, f"not a duration: {text!r}"
    hours, minutes, secs = (int(g or 0) for g in match.groups())
    return hours * 3600 + minutes * 60 + secs


def agent_row(b: Browser, account) -> str:
    return b.find(f'.floor-agents tr[data-agent="{account.employee["employee_id"]}"]').text


def test_the_floor_follows_calls_and_a_reassignment_moves_the_call(console_server, smtp, browsers):
    server = console_server
    admin = api_account(server, smtp, "Avery", "Admin", "admin")
    lead = api_account(server, smtp, "Sam", "Lead", "lead")
    expect(server.request("PUT", f"/api/employees/{lead.employee['employee_id']}/role", json_body={"role": "supervisor"},
                          token=admin.access_token), 200)
    key = create_api_key(server, "calls:ingest", "calls:read", name="bridge")

    # The supervisor watches the floor and takes no calls.
    s = browsers("supervisor")
    sign_in_in_browser(s, lead)
    toggle = s.visible(".presence-toggle")
    s.wait(lambda: toggle.get_attribute("aria-checked") in ("true", "false") and "…" not in toggle.text, 10, "presence known")
    if toggle.get_attribute("aria-checked") == "true":
        # Going away asks why; colleagues and the floor see the reason.
        toggle.click()
        s.button("Lunch", ".presence-menu").click()
    s.wait(lambda: toggle.get_attribute("aria-checked") == "false", 10, "the supervisor to be away")
    s.wait_text(".presence-state", "Away · Lunch")
    assert s.js("return document.querySelector('.user-role').textContent") == "Supervisor"
    s.click('.mainnav a[data-page="supervisor"]')
    s.wait_text("supervisor-page h1", "Floor")

    agents = {}
    for first, last, prefix in (("Ann", "Ortiz", "ann"), ("Bob", "Nakamura", "bob")):
        account = api_account(server, smtp, first, last, prefix)
        browser = browsers(prefix)
        sign_in_in_browser(browser, account)
        make_available(browser)
        agents[prefix] = (account, browser)
    ann, a = agents["ann"]
    bob, b = agents["bob"]
    s.wait(lambda: floor_card(s, "available") == "2", 10, "both agents available on the floor")
    assert "Away · Lunch" in agent_row(s, lead)
    s.shot("floor with nobody waiting")

    # A call rings: the floor counts it, names who it is offered to, and its wait grows.
    call_id = Caller(server, key, "+16085550123").start()["phone_call_id"]
    s.wait(lambda: floor_card(s, "waiting") == "1", 10, "one caller waiting")
    row_css = f'.floor-calls tr[data-call="{call_id}"]'
    s.wait_text(row_css, "(608) 555-0123")
    s.wait(lambda: any(name in s.find(row_css).text for name in ("Ann Ortiz", "Bob Nakamura")), 10, "the offer's agent named")
    first_wait = seconds(floor_card(s, "longest"))
    s.wait(lambda: seconds(floor_card(s, "longest")) >= first_wait + 2, 10, "the longest wait to grow")
    s.shot("a caller waiting")
    offered_to, other = (ann, bob) if "Ann Ortiz" in s.find(row_css).text else (bob, ann)
    taker = agents["ann" if offered_to is ann else "bob"][1]
    mover = agents["bob" if offered_to is ann else "ann"][1]

    # The agent accepts: the floor shows them on a call with the caller, nobody waiting.
    taker.wait_text(".offer-panel", "(608) 555-0123")
    taker.click(".offer-panel .offer-accept")
    wait_queue_state(taker, call_id, "state-mine")
    s.wait(lambda: floor_card(s, "waiting") == "0" and floor_card(s, "on_call") == "1", 10, "the call answered on the floor")
    s.wait(lambda: "On a call" in agent_row(s, offered_to) and "(608) 555-0123" in agent_row(s, offered_to), 10,
           "the taker's state and current call")
    s.wait_text(row_css, "On call")
    s.shot("a call answered")

    # The supervisor gives the call to the other agent; both desks follow.
    s.find(f"{row_css} .reassign").click()
    s.visible("dialog #reassign-to")
    s.js("const select = document.querySelector('dialog #reassign-to');"
         "select.value = arguments[0]; select.dispatchEvent(new Event('change'));", other.employee["employee_id"])
    s.shot("reassign dialog")
    s.click("dialog button[type=submit]")
    s.gone("dialog #reassign-to")
    wait_queue_state(mover, call_id, "state-mine")
    wait_queue_state(taker, call_id, "state-others", f"{other.first_name} {other.last_name}")
    s.wait(lambda: f"{other.first_name} {other.last_name}" in s.find(row_css).text, 10, "the floor naming the new agent")
    s.wait(lambda: "On a call" in agent_row(s, other), 10, "the new agent on a call")
    s.wait(lambda: "Available" in agent_row(s, offered_to), 10, "the first agent free again")
    s.shot("after the reassignment")

    # The day's figures and the CSV export: a header and one row per call.
    s.wait(lambda: s.find(".floor-figures").text.startswith("Received\n1"), 15, "the day's figures")
    # Per agent, the time each was available today (console open, Available, not on a call).
    def available_today(account):
        return s.js("const row = [...document.querySelectorAll('.floor-per-agent tbody tr')]"
                    ".find((r) => r.cells[0].textContent === arguments[0]);"
                    "return row ? row.cells[row.cells.length - 1].textContent : '';", f"{account.first_name} {account.last_name}")
    s.wait(lambda: re.fullmatch(r"\d+:\d\d", available_today(offered_to)) and available_today(offered_to) != "0:00", 15,
           "the taker's time available today")
    response = requests.get(server.url("/api/reports/calls"), headers={"Authorization": f"Bearer {lead.access_token}", "Accept": "text/csv"},
                            timeout=30)
    assert response.status_code == 200, response.text
    rows = list(csv.reader(io.StringIO(response.text)))
    assert len(rows) == 2, rows
    header = rows[0]
    assert "phone_call_id" in header, header
    assert rows[1][header.index("phone_call_id")] == call_id

    # An agent has no floor: no link, and the page says so.
    assert not a.find('.mainnav a[data-page="supervisor"]').is_displayed()
    a.js("location.hash = '#/supervisor'")
    a.wait_text("supervisor-page", "for supervisors and admins")

    # Demoted while watching: the floor leaves the supervisor's console without a reload.
    expect(server.request("PUT", f"/api/employees/{lead.employee['employee_id']}/role", json_body={"role": "agent"},
                          token=admin.access_token), 200)
    s.wait_text("supervisor-page", "for supervisors and admins", 15)
    s.wait(lambda: not s.find('.mainnav a[data-page="supervisor"]').is_displayed(), 10, "the Floor link to go")
    for browser in (s, a, b):
        assert not browser.collect_console(), f"console errors: {browser.console_errors}"
