// Who is signed in, and the few things every screen needs to know about it.
import { api, adoptSession, dropSession, refreshSession, hasSession } from "./api.js";

export const sessionEvents = new EventTarget();

export const session = {
  /** The AuthEmployee of /auth/me, or null. */
  me: null,
  /** A message for the sign-in screen ("Your session ended"). */
  flash: null,
  get isAdmin() { return this.me?.role === "admin"; },
};

function setMe(me) {
  session.me = me;
  sessionEvents.dispatchEvent(new CustomEvent("change", { detail: { me } }));
}

/** Called with a SessionResponse after sign-in. */
export async function startSession(response) {
  adoptSession(response);
  setMe(response.employee || (await api("/auth/me")));
}

/** On page load: renew the session from the refresh cookie, if there is one. */
export async function restoreSession() {
  try {
    const renewed = await refreshSession();
    if (!renewed) return false;
    setMe(renewed.employee || (await api("/auth/me")));
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
