"""What an attacker tries against identity: guessing, replaying, forging, enumerating, escalating."""

import hashlib
import hmac
import time

from avoca_harness import (
    PASSWORD, Account, b64url_encode, describe, error_code, expect, extract_code, jwt_encode, jwt_parts,
    median_seconds, new_account, next_totp, sign_in, signup, signup_and_verify, unique_email,
)


def post_through_throttle(server, path, body, max_wait=10.0, timeout=60.0, **kwargs):
    """POST, waiting out short throttle delays (429 with a small Retry-After), for `timeout` s at most."""
    deadline = time.monotonic() + timeout
    while True:
        response = server.post(path, body, **kwargs)
        if response.status_code != 429:
            return response
        retry_after = float(response.headers.get("Retry-After", "1"))
        assert retry_after <= max_wait, f"unexpected long throttle: {describe(response)}"
        assert time.monotonic() + retry_after < deadline, \
            f"still throttled after {timeout:.0f}s of short throttles: {describe(response)}"
        time.sleep(retry_after + 0.05)


def wrong_totp_code(account: Account) -> str:
    totp = account.totp()
    now = int(time.time() // totp.interval)
    valid = {totp.at((now + d) * totp.interval) for d in range(-3, 4)}
    for candidate in ("000000", "123456", "987654", "111111"):
        if candidate not in valid:
            return candidate
    raise AssertionError("unreachable")


def assert_refused(server, token, what, path="/api/auth/me"):
    response = server.get(path, token=token)
    assert response.status_code == 401, f"{what} must be refused with 401: {describe(response)}"
    assert error_code(response), f"{what}: the 401 must be a JSON error: {describe(response)}"


# ----------------------------------------------------------------------------------------------
# Guessing
# ----------------------------------------------------------------------------------------------

def test_wrong_totp_codes_lock_the_account_and_mail_the_owner(fresh_server, smtp):
    # The guesser knows the password: a token dies after 5 wrong codes, signing in again gives a
    # new one, and the count of wrong codes goes on across sign-ins until code entry locks.
    server = fresh_server
    account = new_account(server, smtp, prefix="victim")
    mfa_token = sign_in(server, account, expected="verify")
    wrong = wrong_totp_code(account)
    mark = smtp.mark()

    failures, throttled, sign_ins, lock = 0, 0, 1, None
    for _ in range(60):
        response = server.post("/api/auth/totp/verify", {"mfa_token": mfa_token, "code": wrong})
        if response.status_code == 401:
            assert error_code(response) in ("invalid_code", "invalid_mfa_token"), describe(response)
            failures += 1
            if error_code(response) == "invalid_mfa_token":
                mfa_token = sign_in(server, account, expected="verify")
                sign_ins += 1
            continue
        assert response.status_code == 429, f"a wrong code must give 401 or 429: {describe(response)}"
        assert error_code(response), describe(response)
        retry_after = response.headers.get("Retry-After")
        assert retry_after is not None and retry_after.isdigit() and int(retry_after) >= 1, \
            f"429 without a usable Retry-After: {response.headers}"
        if int(retry_after) > 60:
            lock = response
            break
        throttled += 1
        time.sleep(int(retry_after) + 0.05)

    print(f"locked after {failures} wrong codes over {sign_ins} sign-ins and {throttled} short throttles; "
          f"lock Retry-After={lock.headers.get('Retry-After') if lock is not None else None}")
    assert lock is not None, f"no lock after {failures} wrong codes ({throttled} short delays)"
    assert failures == 10, f"code entry must lock after exactly 10 wrong codes, it locked after {failures}"
    assert sign_ins == 3, f"each mfa token survives 5 wrong codes: {sign_ins} sign-ins"
    assert int(lock.headers["Retry-After"]) <= 15 * 60, lock.headers

    # While locked even the right code is refused.
    code, _ = next_totp(account)
    response = server.post("/api/auth/totp/verify", {"mfa_token": mfa_token, "code": code})
    assert response.status_code == 429, f"locked code entry must refuse even a valid code: {describe(response)}"

    # The owner is told.
    body = smtp.wait_for_mail(account.email, "sign-in codes were locked", since=mark)
    assert "password" in body.lower() and "reset" in body.lower()

    # The lock is per account: someone else on the same client still signs in.
    sign_in(server, server.admin, expected="verify")


def test_used_totp_step_is_refused_even_with_a_fresh_mfa_token(server, smtp):
    account = new_account(server, smtp, prefix="replay")

    # The code that confirmed enrolment cannot sign in.
    enrol_code = account.totp().at(account.last_step * account.totp().interval)
    mfa_token = sign_in(server, account, expected="verify")
    expect(server.post("/api/auth/totp/verify", {"mfa_token": mfa_token, "code": enrol_code}), 401, "code_already_used")

    code, step = next_totp(account)
    expect(server.post("/api/auth/totp/verify", {"mfa_token": mfa_token, "code": code}), 200)
    account.last_step = step

    mfa_token = sign_in(server, account, expected="verify")
    response = server.post("/api/auth/totp/verify", {"mfa_token": mfa_token, "code": code})
    expect(response, 401, "code_already_used")
    assert "access_token" not in response.text


def test_email_code_dies_after_five_wrong_attempts(fresh_server, smtp):
    server = fresh_server
    account = Account(email=unique_email("guess"), password=PASSWORD)
    mark = smtp.mark()
    expect(signup(server, account), 201)
    code = extract_code(smtp.wait_for_mail(account.email, "verification code", since=mark))
    wrong = "000000" if code != "000000" else "111111"

    for attempt in range(1, 6):
        response = post_through_throttle(server, "/api/auth/verify-email", {"email": account.email, "code": wrong})
        assert response.status_code == 400, f"wrong code #{attempt} must be 400: {describe(response)}"
    response = post_through_throttle(server, "/api/auth/verify-email", {"email": account.email, "code": code})
    assert response.status_code == 400, \
        f"after 5 wrong attempts the right code must no longer work: {describe(response)}"
    # Still unverified: the password alone gets no mfa_token.
    response = post_through_throttle(server, "/api/auth/signin", {"email": account.email, "password": account.password})
    assert response.status_code in (401, 403) and "mfa_token" not in response.text, describe(response)


def test_email_code_is_single_use(server, smtp):
    account = Account(email=unique_email("once"), password=PASSWORD)
    mark = smtp.mark()
    expect(signup(server, account), 201)
    code = extract_code(smtp.wait_for_mail(account.email, "verification code", since=mark))
    expect(server.post("/api/auth/verify-email", {"email": account.email, "code": code}), 200)
    response = server.post("/api/auth/verify-email", {"email": account.email, "code": code})
    assert response.status_code == 400, f"a used code must be refused with 400: {describe(response)}"


# ----------------------------------------------------------------------------------------------
# The wrong token in the wrong place
# ----------------------------------------------------------------------------------------------

def test_refresh_token_and_mfa_token_are_not_bearer_tokens(server, smtp):
    account = new_account(server, smtp, prefix="tokens")
    expect(server.get("/api/auth/me", token=account.access_token), 200)
    assert_refused(server, account.refresh_token, "a refresh token used as a bearer token")
    assert_refused(server, account.refresh_token, "a refresh token used as a bearer token", "/api/employees")
    mfa_token = sign_in(server, account, expected="verify")
    assert_refused(server, mfa_token, "an mfa_token used as a bearer token")
    assert_refused(server, mfa_token, "an mfa_token used as a bearer token", "/api/employees")
    # An access token is no refresh token either.
    response = server.post("/api/auth/refresh-token", {"refresh_token": account.access_token})
    assert response.status_code == 401, describe(response)
    # And nothing at all is nothing.
    response = server.get("/api/auth/me")
    assert response.status_code == 401, describe(response)
    assert_refused(server, "not-a-token", "garbage")


def test_forged_access_tokens_are_refused(server, smtp):
    agent = new_account(server, smtp, prefix="forger")
    token = agent.access_token
    expect(server.get("/api/auth/me", token=token), 200)
    header, claims, signature = jwt_parts(token)
    raw_header, raw_payload, _ = token.split(".")

    # One character of the payload flipped.
    middle = len(raw_payload) // 2
    flipped = raw_payload[:middle] + ("A" if raw_payload[middle] != "A" else "B") + raw_payload[middle + 1:]
    assert_refused(server, f"{raw_header}.{flipped}.{signature}", "a token with a flipped payload character")

    # Claims changed (become the admin; live longer), the old signature kept.
    admin_id = server.admin.employee["id"]
    assert_refused(server, jwt_encode(header, {**claims, "sub": admin_id}, signature), "a token whose sub was changed")
    assert_refused(server, jwt_encode(header, {**claims, "exp": claims["exp"] + 3600}, signature),
                   "a token whose exp was changed")

    # alg: none, with and without a signature, in a few spellings.
    for alg in ("none", "None", "NONE"):
        none_header = {**header, "alg": alg}
        assert_refused(server, jwt_encode(none_header, claims, ""), f"an alg={alg} token")
        assert_refused(server, jwt_encode(none_header, claims, signature), f"an alg={alg} token with the old signature")
    assert_refused(server, jwt_encode(header, claims, ""), "a token with an empty signature")

    # typ changed, re-encoded without a valid signature.
    assert_refused(server, jwt_encode({**header, "typ": "refresh"}, claims, signature), "a token with the header typ changed")
    assert_refused(server, jwt_encode(header, {**claims, "typ": "refresh"}, signature), "a token with the typ claim changed")

    # Signed, but with a guessable key.
    hs256_header = b64url_encode(b'{"alg":"HS256","typ":"JWT"}')
    signing_input = f"{hs256_header}.{raw_payload}"
    for key in (b"", b"secret", b"avoca"):
        forged_signature = b64url_encode(hmac.new(key, signing_input.encode(), hashlib.sha256).digest())
        assert_refused(server, f"{signing_input}.{forged_signature}", f"a token signed with key {key!r}")

    # The genuine token is still fine.
    expect(server.get("/api/auth/me", token=token), 200)


# ----------------------------------------------------------------------------------------------
# Enumeration
# ----------------------------------------------------------------------------------------------

def test_sign_in_does_not_reveal_whether_an_address_is_registered(fresh_server, smtp):
    server = fresh_server
    known = signup_and_verify(server, smtp, prefix="known")
    unknown_email = unique_email("unknown")

    def attempt(address):
        started = time.perf_counter()
        response = server.post("/api/auth/signin", {"email": address, "password": "wrong-password-9999"})
        return response, time.perf_counter() - started

    first_known, _ = attempt(known.email)
    first_unknown, _ = attempt(unknown_email)
    assert first_known.status_code == first_unknown.status_code == 401, (describe(first_known), describe(first_unknown))
    assert first_known.json() == first_unknown.json(), (first_known.text, first_unknown.text)

    known_times, unknown_times = [], []
    for _ in range(5):
        for address, times, reference in ((known.email, known_times, first_known),
                                          (unknown_email, unknown_times, first_unknown)):
            time.sleep(0.3)  # stay clear of the (tiny) per-account throttle delay
            response, elapsed = attempt(address)
            assert response.status_code == reference.status_code and response.json() == reference.json(), \
                f"answers must not change between attempts: {describe(response)}"
            times.append(elapsed)
    known_median, unknown_median = median_seconds(known_times), median_seconds(unknown_times)
    print(f"sign-in medians: wrong password {known_median * 1000:.1f} ms, unknown address {unknown_median * 1000:.1f} ms")
    larger = max(known_median, unknown_median)
    assert abs(known_median - unknown_median) < 0.5 * larger + 0.030, \
        f"timing reveals registration: wrong password {known_median * 1000:.1f} ms, unknown address {unknown_median * 1000:.1f} ms"


def test_sign_up_with_a_registered_address_answers_like_a_new_one(server, smtp):
    existing = new_account(server, smtp, prefix="taken")
    fresh = Account(email=unique_email("fresh"), password=PASSWORD)
    new_answer = signup(server, fresh)

    mark = smtp.mark()
    duplicate = signup(server, Account(email=existing.email, password="another-pass-3141",
                                       first_name="Mallory", last_name="Evil"))
    assert (duplicate.status_code, duplicate.json()) == (new_answer.status_code, new_answer.json()), \
        (describe(duplicate), describe(new_answer))
    shouting = signup(server, Account(email=existing.email.upper(), password="another-pass-3141"))
    assert (shouting.status_code, shouting.json()) == (new_answer.status_code, new_answer.json()), describe(shouting)

    # The owner hears about it; the account is untouched.
    smtp.wait_for_mail(existing.email, "already have", since=mark)
    response = server.post("/api/auth/signin", {"email": existing.email, "password": "another-pass-3141"})
    expect(response, 401, "invalid_credentials")
    me = expect(server.get("/api/auth/me", token=existing.access_token), 200).json()
    assert me["first_name"] == "Test", me
    sign_in(server, existing, expected="verify")


# ----------------------------------------------------------------------------------------------
# No access without TOTP
# ----------------------------------------------------------------------------------------------

def test_no_api_access_before_totp(server, smtp):
    account = signup_and_verify(server, smtp, prefix="halfway")
    mfa_token = sign_in(server, account, expected="enroll")
    assert_refused(server, mfa_token, "an enroll mfa_token")
    setup = expect(server.post("/api/auth/totp/setup", {"mfa_token": mfa_token}), 200).json()
    assert setup["secret"]
    assert_refused(server, mfa_token, "an enroll mfa_token after setup")
    assert_refused(server, mfa_token, "an enroll mfa_token", "/api/employees")
    assert_refused(server, mfa_token, "an enroll mfa_token", "/api/auth/sessions")
    response = server.post("/api/auth/refresh-token", {"refresh_token": mfa_token})
    assert response.status_code == 401, describe(response)
    # A recovery code cannot skip enrolment.
    response = server.post("/api/auth/recovery-code", {"mfa_token": mfa_token, "recovery_code": "aaaa-bbbb-cccc"})
    assert response.status_code in (400, 401), describe(response)
    assert "access_token" not in response.text


# ----------------------------------------------------------------------------------------------
# Roles, API keys, deactivation
# ----------------------------------------------------------------------------------------------

def test_api_keys_are_admin_only_scoped_and_revocable(server, smtp):
    admin = server.admin
    agent = new_account(server, smtp, prefix="agent")

    created = server.post("/api/api-keys", {"name": "directory sync", "scopes": ["directory:read"]}, token=admin.access_token)
    expect(created, 201)
    key = created.json()
    assert key["key"] and key["id"] and key["scopes"] == ["directory:read"], key
    assert key["key"].startswith(key["prefix"]), key

    listed = expect(server.get("/api/api-keys", token=admin.access_token), 200).json()["api_keys"]
    assert key["id"] in {k["id"] for k in listed}, listed
    assert key["key"] not in str(listed), "the list must not show secrets"

    page = expect(server.get("/api/employees", api_key=key["key"]), 200).json()
    for name in ("page", "page_size", "total_pages", "total_items", "employees"):
        assert name in page, page
    emails = {e["email"] for e in page["employees"]}
    assert admin.email in emails or page["total_items"] > len(page["employees"]), page

    # A directory key is no admin: it cannot manage keys.
    response = server.get("/api/api-keys", api_key=key["key"])
    assert response.status_code in (401, 403), describe(response)
    # A key is not a bearer token, and a wrong key is nothing.
    assert_refused(server, key["key"], "an API key sent as a bearer token", "/api/employees")
    response = server.get("/api/employees", api_key=key["key"] + "x")
    assert response.status_code == 401, describe(response)

    # Agents get 403.
    response = server.get("/api/api-keys", token=agent.access_token)
    assert response.status_code == 403, f"an agent must not list API keys: {describe(response)}"
    response = server.post("/api/api-keys", {"name": "mine", "scopes": ["directory:read"]}, token=agent.access_token)
    assert response.status_code == 403, f"an agent must not create API keys: {describe(response)}"
    response = server.delete(f"/api/api-keys/{key['id']}", token=agent.access_token)
    assert response.status_code == 403, f"an agent must not revoke API keys: {describe(response)}"

    # Revoked: refused at once.
    response = server.delete(f"/api/api-keys/{key['id']}", token=admin.access_token)
    assert response.status_code == 204, describe(response)
    response = server.get("/api/employees", api_key=key["key"])
    assert response.status_code == 401, f"a revoked key must be refused: {describe(response)}"


def test_deactivated_employee_is_out_at_once(server, smtp):
    admin = server.admin
    agent = new_account(server, smtp, prefix="leaver")
    expect(server.get("/api/auth/me", token=agent.access_token), 200)

    # An agent cannot deactivate anyone.
    response = server.post(f"/api/employees/{admin.employee['id']}/deactivate", token=agent.access_token)
    assert response.status_code == 403, f"an agent must not deactivate: {describe(response)}"

    response = expect(server.post(f"/api/employees/{agent.employee['id']}/deactivate", token=admin.access_token), 200)
    assert response.json()["is_active"] is False, response.json()

    assert_refused(server, agent.access_token, "a deactivated employee's access token")
    response = server.post("/api/auth/refresh-token", {"refresh_token": agent.refresh_token})
    assert response.status_code == 401, f"a deactivated employee's refresh token must be refused: {describe(response)}"
    response = server.post("/api/auth/signin", {"email": agent.email, "password": agent.password})
    assert response.status_code == 401 and "mfa_token" not in response.text, describe(response)
    # The admin is unaffected.
    expect(server.get("/api/auth/me", token=admin.access_token), 200)


def test_malformed_input_never_gives_a_500(fresh_server):
    server = fresh_server
    bodies = [
        {"email": 12, "password": ["x"]},
        {"email": None, "password": None},
        {"email": "a@b.c" * 5000, "password": "p" * 10000},
        {"email": "robert'); DROP TABLE employees;--@x.test", "password": "' OR '1'='1' -- long enough"},
        {"email": "nul\u0000byte@x.test", "password": "nul\u0000byte-password"},
        [],
        "just a string",
    ]
    paths = ["/api/auth/signin", "/api/auth/signup", "/api/auth/verify-email", "/api/auth/totp/verify",
             "/api/auth/refresh-token", "/api/auth/forgot-password", "/api/auth/reset-password", "/api/auth/recovery-code"]
    for path in paths:
        for body in bodies:
            response = post_through_throttle(server, path, body)
            assert response.status_code < 500, f"bad input must never be a 5xx: {describe(response)}"
            assert error_code(response) or response.status_code < 300, describe(response)
            lowered = response.text.lower()
            for leak in ("select ", "insert ", "psqlerror", "sqlstate", "fatal error", ".swift"):
                assert leak not in lowered, f"the answer leaks internals ({leak!r}): {describe(response)}"
    expect(server.get("/healthz"), 200)
