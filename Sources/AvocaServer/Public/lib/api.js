// The console's only fetch wrapper: JSON in and out, the bearer token (kept in memory only),
// silent renewal through the HttpOnly refresh cookie, and one error type.

/** Fires `session` (detail: SessionResponse) and `ended` (detail: {message}). */
export const authEvents = new EventTarget();

let accessToken = null;
let refreshTimer = null;
let inFlightRefresh = null;

/** An error answer of the API, with the fields of `{"error": {...}}`. */
export class ApiError extends Error {
  constructor(status, body, retryAfter) {
    const error = (body && body.error) || {};
    super(error.message || (status === 0 ? "The server cannot be reached. Check your connection." : `Request failed (${status}).`));
    this.status = status;
    this.code = error.code || (status === 0 ? "network_error" : `http_${status}`);
    this.fields = error.fields || null;
    this.conflictingJobIds = error.conflicting_job_ids || [];
    this.ownerEmployeeId = error.owner_employee_id || null;
    this.retryAfter = retryAfter ? Number(retryAfter) : null;
  }
}

// 401 codes that mean "wrong password/code", not "your token is no good".
const CREDENTIAL_CODES = new Set(["invalid_credentials", "invalid_code", "code_already_used", "invalid_recovery_code", "invalid_mfa_token", "mfa_token_invalid"]);

export function hasSession() { return accessToken !== null; }

/** Adopts a SessionResponse: keeps the access token in memory and schedules its renewal. */
export function adoptSession(session) {
  accessToken = session.access_token;
  clearTimeout(refreshTimer);
  const seconds = Math.max(20, (session.expires_in || 900) - 60);
  refreshTimer = setTimeout(() => { refreshSession().catch(() => {}); }, seconds * 1000);
  authEvents.dispatchEvent(new CustomEvent("session", { detail: session }));
}

/** Forgets the session locally (after sign-out or when the server ends it). */
export function dropSession(message) {
  accessToken = null;
  clearTimeout(refreshTimer);
  if (message !== undefined) authEvents.dispatchEvent(new CustomEvent("ended", { detail: { message } }));
}

/**
 * Trades the refresh cookie for a new access token. One refresh at a time in this tab, and one
 * across all tabs (a refresh token works once; replaying it revokes the session).
 * Resolves to the session, or null when there is none.
 */
export function refreshSession() {
  if (inFlightRefresh) return inFlightRefresh;
  const before = accessToken;
  const run = async () => {
    // Another request in this tab may have renewed the token while we waited for the lock.
    if (accessToken && accessToken !== before) return { access_token: accessToken };
    let response;
    try {
      response = await fetch("/api/auth/refresh-token", {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ refresh_transport: "cookie" }),
      });
    } catch {
      throw new ApiError(0, null);
    }
    if (!response.ok) return null;
    const session = await response.json();
    adoptSession(session);
    return session;
  };
  const locked = navigator.locks ? navigator.locks.request("avoca-refresh", run) : run();
  inFlightRefresh = locked.finally(() => { inFlightRefresh = null; });
  return inFlightRefresh;
}

function buildURL(path, query) {
  const url = new URL("/api" + path, location.origin);
  for (const [key, value] of Object.entries(query || {})) {
    if (value === undefined || value === null || value === "") continue;
    if (Array.isArray(value)) value.forEach((v) => url.searchParams.append(key, v));
    else url.searchParams.set(key, String(value));
  }
  return url;
}

/**
 * Calls the API. `path` is relative to /api. Options: method, body (JSON), query, signal,
 * auth (send the bearer token and renew on 401; default true), raw (return the text), accept (the
 * Accept header, e.g. "text/csv").
 */
export async function api(path, { method = "GET", body, query, signal, auth = true, raw = false, accept } = {}) {
  const send = async () => {
    const headers = { Accept: accept || (raw ? "*/*" : "application/json") };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (auth && accessToken) headers.Authorization = `Bearer ${accessToken}`;
    try {
      return await fetch(buildURL(path, query), {
        method, headers, signal, credentials: "same-origin",
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      if (error.name === "AbortError") throw error;
      throw new ApiError(0, null);
    }
  };
  let response = await send();
  if (response.status === 401 && auth) {
    const body401 = await response.clone().json().catch(() => null);
    const code = body401 && body401.error && body401.error.code;
    if (!CREDENTIAL_CODES.has(code)) {
      const renewed = await refreshSession().catch(() => null);
      if (renewed) response = await send();
      if (!renewed || response.status === 401) {
        dropSession("Your session ended. Please sign in again.");
        throw new ApiError(401, await response.json().catch(() => null));
      }
    }
  }
  if (!response.ok) {
    throw new ApiError(response.status, await response.json().catch(() => null), response.headers.get("Retry-After"));
  }
  if (response.status === 204) return null;
  if (raw) return response.text();
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}
