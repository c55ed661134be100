"""Onboarding in a real Chromium under the production default, `AVOCA_SIGNUP=invite` (issue 14).

The first sign-up of the empty install is the admin; after that an uninvited visitor is turned away
at sign-up, and an invitation sent from Settings → Employees leads its addressee from the e-mail's
link through sign-up, verification and the authenticator to the desk, with the invited role.
"""

from __future__ import annotations

import re
from contextlib import closing

import pytest

from avoca_harness import PASSWORD, Account, unique_email
from conftest import CONSOLE_ENV, start_server
from console_support import api_account, sign_in_in_browser, wait_live_desk
from browser import Browser
from test_console import sign_up_in_browser


@pytest.fixture
def invite_server(e2e_environment, smtp):
    with closing(start_server(e2e_environment, smtp, {**CONSOLE_ENV, "AVOCA_SIGNUP": "invite"})) as srv:
        yield srv


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
