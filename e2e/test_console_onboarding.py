"""Onboarding in a real Chromium under the production default, `AVOCA_SIGNUP=invite` (issue 14),
and with `AVOCA_SIGNUP=approve`.

The first sign-up of the empty install is the admin; after that an uninvited visitor is turned away
at sign-up, and an invitation sent from Settings → Employees leads its addressee from the e-mail's
link through sign-up, verification and the authenticator to the desk, with the invited role. With
approval, a newcomer who verified their address and signs in sees a page saying an admin has to
approve them and was told; once approved, signing in again leads on to the authenticator.
"""

from __future__ import annotations

import re
from contextlib import closing

import pytest

from selenium.webdriver.common.by import By

from avoca_harness import PASSWORD, Account, expect, extract_code, unique_email
from conftest import CONSOLE_ENV, start_server
from console_support import api_account, sign_in_in_browser, wait_live_desk
from browser import Browser
from test_console import sign_up_in_browser


@pytest.fixture
def invite_server(e2e_environment, smtp):
    with closing(start_server(e2e_environment, smtp, {**CONSOLE_ENV, "AVOCA_SIGNUP": "invite"})) as srv:
        yield srv


@pytest.fixture
def approve_server(e2e_environment, smtp):
    with closing(start_server(e2e_environment, smtp, {**CONSOLE_ENV, "AVOCA_SIGNUP": "approve"})) as srv:
        yield srv


def test_a_sign_up_awaiting_approval_sees_a_waiting_page(approve_server, smtp, request):
    server = approve_server
    admin = api_account(server, smtp, "Avery", "Boss", "admin")
    newcomer = Account(email=unique_email("newcomer"), password=PASSWORD, first_name="Nora", last_name="Newcomer")
    b = Browser(server.base, request.node.name)
    try:
        b.open("/")
        b.wait_text("auth-screens h1", "Sign in")
        b.find("auth-screens").find_element(By.LINK_TEXT, "Create an account").click()
        b.wait_text("auth-screens h1", "Create your account")
        b.fill("#su-email", newcomer.email)
        b.fill("#su-first", newcomer.first_name)
        b.fill("#su-last", newcomer.last_name)
        b.fill("#su-password", newcomer.password)
        b.fill("#su-confirm", newcomer.password)
        mark = smtp.mark()
        b.click("auth-screens button[type=submit]")
        b.wait_text("auth-screens h1", "Check your e-mail")
        b.fill("#ve-code", extract_code(smtp.wait_for_mail(newcomer.email, "verification code", since=mark)))
        b.click("auth-screens button[type=submit]")
        b.wait_text("auth-screens .form-note", "verified")
        b.fill("#si-password", newcomer.password)
        b.click("auth-screens button[type=submit]")

        # Not a form error: a page of its own, saying what happens next.
        card = b.wait_text("auth-screens h1", "Waiting for approval").find_element(By.XPATH, "ancestor::*[contains(@class,'auth-card')]")
        assert "notified" in card.text and newcomer.email in card.text, card.text
        assert not [e for e in b.find_all("auth-screens .form-error") if e.is_displayed()], "no error is shown"
        assert "Waiting for approval" in b.driver.title
        b.shot("waiting for approval")
        assert smtp.wait_for(admin.email, "waiting for your approval", since=mark)

        # Once an admin approves, "Sign in again" leads on to the authenticator.
        employees = expect(server.get("/api/employees?page_size=100", token=admin.access_token), 200).json()["employees"]
        [pending] = [e for e in employees if e["email"] == newcomer.email]
        expect(server.post(f"/api/employees/{pending['id']}/approve", token=admin.access_token), 200)
        b.find("auth-screens").find_element(By.LINK_TEXT, "Sign in again").click()
        b.wait_text("auth-screens h1", "Sign in")
        assert b.find("#si-email").get_attribute("value") == newcomer.email
        b.fill("#si-password", newcomer.password)
        b.click("auth-screens button[type=submit]")
        b.wait_text("auth-screens h1", "Set up your authenticator")
        assert not b.collect_console(), f"console errors: {b.console_errors}"
    finally:
        b.close()


def test_an_invitation_leads_to_the_desk_and_strangers_are_turned_away(invite_server, smtp, request):
    admin = api_account(invite_server, smtp, "Avery", "Boss", "admin")
    opened: list[Browser] = []
    try:
        b = Browser(invite_server.base, request.node.name, "admin")
        opened.append(b)
        sign_in_in_browser(b, admin)

        # A stranger who found the URL cannot create an account.
        stranger = Browser(invite_server.base, request.node.name, "stranger")
        opened.append(stranger)
        stranger.open("/#/signup")
        stranger.wait_text("auth-screens h1", "Create your account")
        stranger.fill("#su-first", "Sam")
        stranger.fill("#su-last", "Stranger")
        stranger.fill("#su-email", unique_email("stranger"))
        stranger.fill("#su-password", PASSWORD)
        stranger.fill("#su-confirm", PASSWORD)
        stranger.click("auth-screens button[type=submit]")
        stranger.wait_text("auth-screens .form-error", "by invitation")
        stranger.shot("sign-up refused without an invitation")

        # The admin invites a colleague from Settings → Employees.
        invitee = Account(email=unique_email("invited"), password=PASSWORD, first_name="Ines", last_name="Invited")
        b.js("location.hash = '#/settings'")
        b.button("Invite employee").click()
        b.fill("#invite-email", invitee.email)
        b.shot("invite dialog")
        mark = smtp.mark()
        b.click("dialog button[type=submit]")
        b.wait_text(".employees-slot", invitee.email)
        b.wait_text(".employees-slot tr.invited", "Invited")
        b.js("document.querySelector('#st-employees').scrollIntoView()")
        b.shot("employees with an invitation")

        mail = smtp.wait_for(invitee.email, "invited you", since=mark)
        link = re.search(r"https?://\S+/#/signup\?email=\S+", mail.text)
        assert link, mail.text
        new = Browser(invite_server.base, request.node.name, "invitee")
        opened.append(new)
        sign_up_in_browser(new, smtp, invitee, invitation_link=link.group(0))
        wait_live_desk(new)

        # The admin's table now shows the colleague as an active agent, and no invitation is left.
        b.js("location.hash = '#/desk'")
        wait_live_desk(b)
        b.js("location.hash = '#/settings'")
        row = b.wait_text(".employees-slot tbody", invitee.email)
        b.wait(lambda: not b.find_all(".employees-slot tr.invited"), 10, "the accepted invitation to leave the list")
        assert "Active" in row.text
        b.js("document.querySelector('#st-employees').scrollIntoView()")
        b.shot("employees after the invitation was used")
    finally:
        for browser in opened:
            browser.close()
