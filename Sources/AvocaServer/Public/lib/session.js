// Who is signed in, and the few things every screen needs to know about it.
import { api, adoptSession, dropSession, refreshSession, hasSession } from "./api.js";
import { setTimeZone } from "./format.js";

export const sessionEvents = new EventTarget();

export const session = {
  /** The AuthEmployee of /auth/me, or null. */
  me: null,
  /** A message for the sign-in screen ("Your session ended"). */
  flash: null,
  get isAdmin() { return this.me?.role === "admin"; },
  /** Supervisors and admins watch the floor and read reports. */
  get canSupervise() { return Boolean(this.me?.permissions?.can_supervise ?? ["admin", "supervisor"].includes(this.me?.role)); },
};

function setMe(me) {
  session.me = me;
  sessionEvents.dispatchEvent(new CustomEvent("change", { detail: { me } }));
}

/** Times are shown in the company's zone; without it (an old server, a network blip) the browser's. */
async function loadCompany() {
  try { setTimeZone((await api("/company")).time_zone); } catch { /* keep the browser's zone */ }
}

/** Called with a SessionResponse after sign-in. */
export async function startSession(response) {
  adoptSession(response);
  const me = response.employee || (await api("/auth/me"));
  await loadCompany();
  setMe(me);
}

/** On page load: renew the session from the refresh cookie, if there is one. */
export async function restoreSession() {
  try {
    const renewed = await refreshSession();
    if (!renewed) return false;
    const me = renewed.employee || (await api("/auth/me"));
    await loadCompany();
    setMe(me);
    return true;
  } catch {
    return false;
  }
}

export async function reloadMe() {
  if (!hasSession()) return null;
  setMe(await api("/auth/me"));
  return session.me;
}

/** Signs out on the server (best effort) and locally. */
export async function signOut() {
  try { await api("/auth/signout", { method: "POST" }); } catch { /* the local sign-out still happens */ }
  dropSession();
  setMe(null);
  session.flash = "You are signed out.";
}

/** The server ended the session: forget it locally. */
export function endLocally(message) {
  dropSession();
  setMe(null);
  session.flash = message;
}
