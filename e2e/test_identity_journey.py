"""The identity journey a person (or an API client) goes through, end to end (DESIGN §3 Identity)."""

import time
import urllib.parse

import pyotp

from avoca_harness import (
    PASSWORD, Account, decode_qr_svg, describe, enroll, error_code, expect, extract_code, jwt_parts,
    new_account, new_session, next_totp, sign_in, signup, unique_email,
)


def test_full_identity_journey(bare_server, smtp, tmp_path):
    server = bare_server
    account = Account(email=unique_email("first"), password=PASSWORD, first_name="Ada", last_name="Lovelace")

    # 1. Sign-up answers 201 {message}; a 6-digit code is e-mailed.
    mark = smtp.mark()
    response = expect(signup(server, account), 201)
    assert isinstance(response.json().get("message"), str), describe(response)
    body = smtp.wait_for_mail(account.email, "verification code", since=mark)
    code = extract_code(body)

    # Before the address is verified there is no sign-in.
    response = server.post("/api/auth/signin", {"email": account.email, "password": account.password})
    assert response.status_code in (401, 403), f"unverified sign-in must be refused: {describe(response)}"

    # 2. Verify the address.
    response = expect(server.post("/api/auth/verify-email", {"email": account.email, "code": code}), 200)
    assert isinstance(response.json().get("message"), str)

    # 3. Password sign-in: never a session, an `enroll` mfa_token.
    response = expect(server.post("/api/auth/signin", {"email": account.email, "password": account.password}), 200)
    challenge = response.json()
    assert challenge["mfa_required"] == "enroll", challenge
    assert challenge["mfa_token"] and challenge["expires_at"], challenge
    assert "access_token" not in challenge and "refresh_token" not in challenge, challenge
    mfa_token = challenge["mfa_token"]

    # 4. TOTP setup: the QR code (rendered by Avoca as SVG) holds exactly the otpauth URI.
    setup = expect(server.post("/api/auth/totp/setup", {"mfa_token": mfa_token}), 200).json()
    assert setup["otpauth_url"].startswith("otpauth://totp/"), setup["otpauth_url"]
    assert setup["qr_svg"].lstrip().startswith(("<svg", "<?xml")), setup["qr_svg"][:100]
    decoded = decode_qr_svg(setup["qr_svg"], tmp_path)
    assert decoded == setup["otpauth_url"], f"QR code says {decoded!r}, otpauth_url is {setup['otpauth_url']!r}"
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(decoded).query)
    secret = query["secret"][0]
    assert secret == setup["secret"], (secret, setup["secret"])
    account.secret = secret
    account.otpauth_url = decoded

    # 5. Confirm with a TOTP code: session + 10 recovery codes.
    code = pyotp.TOTP(secret).now()
    step = int(time.time() // 30)
    response = expect(server.post("/api/auth/totp/verify", {"mfa_token": mfa_token, "code": code}), 200)
    session = response.json()
    account.last_step = step
    assert session["token_type"] == "Bearer", session
    assert 0 < session["expires_in"] <= 900, session
    assert session["access_token"] and session["refresh_token"] and session["session_id"], session
    assert session["employee"]["email"] == account.email, session
    codes = session.get("recovery_codes")
    assert isinstance(codes, list) and len(codes) == 10, session
    assert all(isinstance(c, str) and c for c in codes) and len(set(codes)) == 10, codes
    header, claims, _ = jwt_parts(session["access_token"])
    assert header.get("alg") not in (None, "none"), header
    for claim in ("sub", "sid", "iss", "aud", "exp", "typ"):
        assert claim in claims, f"access token lacks the {claim!r} claim: {claims}"
    assert claims["exp"] - time.time() <= 900 + 5, claims
    assert claims["sid"] == session["session_id"], (claims, session["session_id"])
    account.take_session(session)

    # The enrolment token is single use.
    response = server.post("/api/auth/totp/verify", {"mfa_token": mfa_token, "code": pyotp.TOTP(secret).now()})
    assert response.status_code == 401, f"a used mfa_token must be refused: {describe(response)}"

    # 6. /auth/me: the first employee of a fresh database is an admin with TOTP on.
    me = expect(server.get("/api/auth/me", token=account.access_token), 200).json()
    assert me["email"] == account.email, me
    assert me["role"] == "admin", me
    assert me["auth_totp_enabled"] is True, me
    assert me["auth_email_verified"] is True, me
    assert me["is_active"] is True, me
    assert me["first_name"] == "Ada" and me["last_name"] == "Lovelace", me

    # 7. Refresh rotates both tokens.
    old_refresh = account.refresh_token
    response = expect(server.post("/api/auth/refresh-token", {"refresh_token": old_refresh}), 200)
    rotated = response.json()
    assert rotated["refresh_token"] and rotated["refresh_token"] != old_refresh, rotated
    assert rotated["access_token"], rotated
    assert rotated["session_id"] == account.session_id, rotated
    expect(server.get("/api/auth/me", token=rotated["access_token"]), 200)

    # 8. Replaying the used refresh token revokes the whole session.
    expect(server.post("/api/auth/refresh-token", {"refresh_token": old_refresh}), 401, "refresh_token_reused")
    response = server.post("/api/auth/refresh-token", {"refresh_token": rotated["refresh_token"]})
    assert response.status_code == 401, f"after a replay the new refresh token must be dead too: {describe(response)}"
    response = server.get("/api/auth/me", token=rotated["access_token"])
    assert response.status_code == 401, f"after a replay the session's access token must be refused: {describe(response)}"

    # 9. Sign in again: `verify` this time; then sign out.
    mfa_token = sign_in(server, account, expected="verify")
    code, step = next_totp(account)
    response = expect(server.post("/api/auth/totp/verify", {"mfa_token": mfa_token, "code": code}), 200)
    account.last_step = step
    second = response.json()
    assert not second.get("recovery_codes"), "recovery codes are only shown at enrolment"
    account.take_session(second)
    expect(server.get("/api/auth/me", token=account.access_token), 200)
    response = server.post("/api/auth/signout", token=account.access_token)
    assert response.status_code == 204, describe(response)
    response = server.get("/api/auth/me", token=account.access_token)
    assert response.status_code == 401, f"access token must be refused after sign-out: {describe(response)}"
    response = server.post("/api/auth/refresh-token", {"refresh_token": account.refresh_token})
    assert response.status_code == 401, f"refresh token must be refused after sign-out: {describe(response)}"


def test_second_employee_is_an_agent(server, smtp):
    agent = new_account(server, smtp, prefix="agent")
    me = expect(server.get("/api/auth/me", token=agent.access_token), 200).json()
    assert me["role"] == "agent", me


def test_recovery_code_signs_in_once(server, smtp):
    account = new_account(server, smtp, prefix="recovery")
    assert len(account.recovery_codes) == 10
    recovery_code = account.recovery_codes[0]

    mark = smtp.mark()
    mfa_token = sign_in(server, account, expected="verify")
    response = expect(server.post("/api/auth/recovery-code", {"mfa_token": mfa_token, "recovery_code": recovery_code}), 200)
    session = response.json()
    assert session["access_token"] and session["refresh_token"], session
    expect(server.get("/api/auth/me", token=session["access_token"]), 200)
    smtp.wait_for_mail(account.email, "recovery code", since=mark)

    mfa_token = sign_in(server, account, expected="verify")
    response = server.post("/api/auth/recovery-code", {"mfa_token": mfa_token, "recovery_code": recovery_code})
    assert response.status_code == 401, f"a recovery code must work only once: {describe(response)}"
    assert "access_token" not in response.text

    # Another code of the set still works.
    mfa_token = sign_in(server, account, expected="verify")
    expect(server.post("/api/auth/recovery-code",
                                  {"mfa_token": mfa_token, "recovery_code": account.recovery_codes[1]}), 200)


def test_change_password_keeps_this_session_and_ends_the_others(server, smtp):
    account = new_account(server, smtp, prefix="change")
    other = dict(access=account.access_token, refresh=account.refresh_token, sid=account.session_id)
    new_session(server, account)  # the current session
    assert account.session_id != other["sid"]

    sessions = expect(server.get("/api/auth/sessions", token=account.access_token), 200).json()["sessions"]
    ids = {s["id"] for s in sessions}
    assert {account.session_id, other["sid"]} <= ids, sessions
    assert [s["id"] for s in sessions if s["current"]] == [account.session_id], sessions

    # A wrong current password changes nothing.
    response = server.post("/api/auth/change-password",
                           {"current_password": "not-the-password-123", "new_password": "brisk-harbor-7730"},
                           token=account.access_token)
    assert response.status_code in (401, 422), describe(response)
    expect(server.get("/api/auth/me", token=other["access"]), 200)

    new_password = "brisk-harbor-7730"
    mark = smtp.mark()
    expect(server.post("/api/auth/change-password",
                       {"current_password": account.password, "new_password": new_password},
                       token=account.access_token), 200)
    old_password, account.password = account.password, new_password

    # This session lives on.
    expect(server.get("/api/auth/me", token=account.access_token), 200)
    rotated = expect(server.post("/api/auth/refresh-token", {"refresh_token": account.refresh_token}), 200).json()
    account.take_session(rotated)
    expect(server.get("/api/auth/me", token=account.access_token), 200)

    # The other one ended at once.
    response = server.get("/api/auth/me", token=other["access"])
    assert response.status_code == 401, f"the other session's access token must be refused: {describe(response)}"
    response = server.post("/api/auth/refresh-token", {"refresh_token": other["refresh"]})
    assert response.status_code == 401, f"the other session's refresh token must be refused: {describe(response)}"

    # Old password out, new password in.
    response = server.post("/api/auth/signin", {"email": account.email, "password": old_password})
    expect(response, 401, "invalid_credentials")
    sign_in(server, account, expected="verify")
    smtp.wait_for_mail(account.email, "password was changed", since=mark)


def test_forgot_and_reset_password(server, smtp):
    account = new_account(server, smtp, prefix="reset")
    old_access = account.access_token

    mark = smtp.mark()
    response = expect(server.post("/api/auth/forgot-password", {"email": account.email}), 200)
    known_answer = response.json()
    # Unknown addresses get the same answer.
    unknown = expect(server.post("/api/auth/forgot-password", {"email": unique_email("nobody")}), 200).json()
    assert unknown == known_answer, (unknown, known_answer)

    code = extract_code(smtp.wait_for_mail(account.email, "reset code", since=mark))
    new_password = "copper-meadow-5519"
    expect(server.post("/api/auth/reset-password",
                       {"email": account.email, "code": code, "new_password": new_password}), 200)

    # The code is single use.
    response = server.post("/api/auth/reset-password",
                           {"email": account.email, "code": code, "new_password": "other-meadow-5519"})
    assert response.status_code == 400, f"a used reset code must be refused: {describe(response)}"

    # The reset ends every session.
    response = server.get("/api/auth/me", token=old_access)
    assert response.status_code == 401, f"a password reset must end existing sessions: {describe(response)}"

    expect(server.post("/api/auth/signin", {"email": account.email, "password": account.password}),
           401, "invalid_credentials")
    account.password = new_password
    new_session(server, account)
    expect(server.get("/api/auth/me", token=account.access_token), 200)


def test_openapi_document_is_served(server):
    response = expect(server.get("/api/openapi.yaml"), 200)
    assert response.text.startswith("openapi: 3."), response.text[:100]
    for path in ("/auth/signup:", "/auth/totp/verify:", "/auth/refresh-token:", "/api-keys:"):
        assert path in response.text, path


def test_security_headers(server):
    for response in (server.get("/api/auth/me"), server.get("/api/openapi.yaml"), server.get("/healthz")):
        headers = response.headers
        csp = headers.get("Content-Security-Policy", "")
        assert "frame-ancestors 'none'" in csp, f"{describe(response)} CSP={csp!r}"
        assert headers.get("X-Content-Type-Options", "").lower() == "nosniff", describe(response)
        assert headers.get("Referrer-Policy"), describe(response)


def test_unknown_api_path_is_a_json_404(server):
    response = server.get("/api/definitely-not-here")
    assert response.status_code == 404, describe(response)
    assert response.headers.get("Content-Type", "").startswith("application/json"), response.headers
    assert error_code(response), describe(response)
    response = server.post("/api/auth/not-an-endpoint", {"x": 1})
    assert response.status_code == 404, describe(response)
    assert error_code(response), describe(response)


def test_wrong_method_is_405(server):
    response = server.get("/api/auth/signup")
    assert response.status_code == 405, describe(response)
    assert error_code(response), describe(response)
    response = server.request("PUT", "/api/auth/signin", json_body={})
    assert response.status_code == 405, describe(response)


def test_body_over_one_mebibyte_is_413(server):
    big = {"email": unique_email("big"), "password": "x" * (1024 * 1024 + 10), "first_name": "A", "last_name": "B"}
    response = server.post("/api/auth/signup", big)
    assert response.status_code == 413, describe(response)
    assert error_code(response), describe(response)
    # The server is still fine afterwards.
    expect(server.get("/healthz"), 200)


def test_cookie_refresh_transport(server, smtp):
    """The console's way: the refresh token lives in an HttpOnly SameSite=Strict cookie only."""
    account = new_account(server, smtp, prefix="console")
    mfa_token = sign_in(server, account, expected="verify")
    code, step = next_totp(account)
    response = expect(server.post("/api/auth/totp/verify",
                                  {"mfa_token": mfa_token, "code": code, "refresh_transport": "cookie"}), 200)
    account.last_step = step
    body = response.json()
    assert body["access_token"] and not body.get("refresh_token"), f"cookie transport must keep the refresh token out of the body: {body}"
    set_cookie = response.headers.get("Set-Cookie", "")
    assert set_cookie, f"no Set-Cookie with the refresh token: {response.headers}"
    attributes = [part.strip().lower() for part in set_cookie.split(";")]
    assert "httponly" in attributes, set_cookie
    assert "samesite=strict" in attributes, set_cookie
    cookie = set_cookie.split(";")[0]

    rotated = expect(server.post("/api/auth/refresh-token", {"refresh_transport": "cookie"}, headers={"Cookie": cookie}), 200)
    assert rotated.json()["access_token"] and not rotated.json().get("refresh_token"), rotated.json()
    new_cookie = rotated.headers.get("Set-Cookie", "").split(";")[0]
    assert new_cookie and new_cookie != cookie, f"the refresh cookie must rotate: {rotated.headers}"
    expect(server.get("/api/auth/me", token=rotated.json()["access_token"]), 200)

    # The old cookie is used up: replaying it ends the session.
    response = server.post("/api/auth/refresh-token", {"refresh_transport": "cookie"}, headers={"Cookie": cookie})
    expect(response, 401, "refresh_token_reused")
    response = server.post("/api/auth/refresh-token", {"refresh_transport": "cookie"}, headers={"Cookie": new_cookie})
    assert response.status_code == 401, describe(response)


def test_revoke_one_of_my_sessions(server, smtp):
    account = new_account(server, smtp, prefix="sessions")
    first = dict(access=account.access_token, sid=account.session_id)
    new_session(server, account)
    response = server.delete(f"/api/auth/sessions/{first['sid']}", token=account.access_token)
    assert response.status_code == 204, describe(response)
    response = server.get("/api/auth/me", token=first["access"])
    assert response.status_code == 401, f"a revoked session's token must be refused: {describe(response)}"
    expect(server.get("/api/auth/me", token=account.access_token), 200)
    # Someone else's session is not mine to end.
    response = server.delete(f"/api/auth/sessions/{server.admin.session_id}", token=account.access_token)
    assert response.status_code == 404, describe(response)
    expect(server.get("/api/auth/me", token=server.admin.access_token), 200)


def test_regenerated_recovery_codes_replace_the_old_set(server, smtp):
    account = new_account(server, smtp, prefix="regen")
    old_codes = account.recovery_codes
    response = server.post("/api/auth/recovery-codes", {"current_password": "not-my-password-1"}, token=account.access_token)
    assert response.status_code in (401, 422), describe(response)
    response = expect(server.post("/api/auth/recovery-codes", {"current_password": account.password},
                                  token=account.access_token), 200)
    new_codes = response.json()["recovery_codes"]
    assert len(new_codes) == 10 and not set(new_codes) & set(old_codes), new_codes
    mfa_token = sign_in(server, account, expected="verify")
    response = server.post("/api/auth/recovery-code", {"mfa_token": mfa_token, "recovery_code": old_codes[0]})
    assert response.status_code == 401, f"an old recovery code must stop working: {describe(response)}"
    expect(server.post("/api/auth/recovery-code", {"mfa_token": mfa_token, "recovery_code": new_codes[0]}), 200)


def test_sign_up_validation(server):
    def attempt(**overrides):
        body = {"email": unique_email("valid"), "password": PASSWORD, "first_name": "Val", "last_name": "Idation"}
        body.update(overrides)
        return server.post("/api/auth/signup", body)

    for overrides, field in (({"password": "short-pw-1"}, "password"),
                             ({"password": "password1234"}, "password"),
                             ({"email": "not-an-address"}, "email")):
        response = attempt(**overrides)
        assert response.status_code == 422, f"{overrides} must be refused with 422: {describe(response)}"
        assert error_code(response) and field in (response.json()["error"].get("fields") or {}), describe(response)

    response = server.request("POST", "/api/auth/signup", data="{not json", headers={"Content-Type": "application/json"})
    assert response.status_code == 400, describe(response)
    assert error_code(response), describe(response)
