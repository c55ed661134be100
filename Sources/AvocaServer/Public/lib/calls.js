// The live call queue and agents' presence, fed by the realtime connection (and by HTTP when the
// realtime endpoint is not there). Components listen to `change` and `presence`.
import { api, ApiError } from "./api.js";
import { realtime } from "./realtime.js";
import { session, reloadMe } from "./session.js";

export const LIVE_STATES = new Set(["ringing", "active", "wrap_up"]);

class CallStore extends EventTarget {
  constructor() {
    super();
    /** phone_call_id → PhoneCall */
    this.calls = new Map();
    /** employee_id → AgentPresence */
    this.agents = new Map();
    this.myPresence = null;
    /** The call currently offered to me: {phone_call, expires_at} or null. */
    this.offer = null;
    this.available = true; // false when the server has no calls API yet
    this.presenceKnown = false;
    this.wired = false;
    /** Calls that rang for me (offered, or I tried to accept) and whose taker I have not been told. */
    this.wanted = new Set();
    /** Counts presence news from the realtime connection, which is fresher than any GET in flight. */
    this.presenceNews = 0;
    /** Supervisors' sockets only: phone_call_id → the pending offer {employee_id, expires_at}. */
    this.floorOffers = new Map();
  }

  wire() {
    if (this.wired) return;
    this.wired = true;
    const on = (name, fn) => realtime.addEventListener(name, (e) => fn(e.detail));
    on("hello", (f) => {
      this.presenceNews += 1;
      if (f.presence) this.setMyPresence(f.presence);
      // The server closes the sockets of someone whose role changed; the greeting after the
      // reconnect says what this socket is sent, so the console learns the new role at once.
      if (typeof f.watches_floor === "boolean" && f.watches_floor !== session.canSupervise) reloadMe().catch(() => {});
    });
    on("snapshot", (f) => {
      const fresh = new Map();
      for (const call of f.phone_calls || []) fresh.set(call.phone_call_id, call);
      // Keep older ended calls we already know (history), replace everything else.
      for (const [id, call] of this.calls) if (!fresh.has(id) && !LIVE_STATES.has(call.state)) fresh.set(id, call);
      this.calls = fresh;
      if (this.offer && !LIVE_STATES.has(this.calls.get(this.offer.phone_call.phone_call_id)?.state ?? "")) this.setOffer(null);
      this.changed();
    });
    for (const name of ["phone_call_started", "phone_call_assigned", "phone_call_updated", "phone_call_ended"]) {
      on(name, (f) => {
        if (!f.phone_call) return;
        const before = this.calls.get(f.phone_call.phone_call_id);
        this.upsert(f.phone_call);
        this.noteOthersChange(before, f.phone_call, f.actor);
        const id = f.phone_call.phone_call_id;
        if (this.offer && this.offer.phone_call.phone_call_id === id && f.phone_call.state !== "ringing") this.setOffer(null, this.offerEndReason(f.phone_call));
        if (f.phone_call.employee_id) this.settleWanted(f.phone_call);
      });
    }
    on("phone_call_offered", (f) => {
      this.upsert(f.phone_call);
      this.wanted.add(f.phone_call.phone_call_id);
      this.setOffer({ phone_call: f.phone_call, expires_at: f.expires_at });
    });
    on("phone_call_offer_ended", (f) => {
      if (!this.offer || this.offer.phone_call.phone_call_id !== f.phone_call_id) return;
      const call = this.calls.get(f.phone_call_id);
      this.setOffer(null, f.reason === "accepted" && call ? this.offerEndReason(call) : f.reason);
    });
    on("presence", (f) => {
      this.presenceNews += 1;
      for (const agent of f.agents || []) {
        this.agents.set(agent.employee_id, agent);
        if (agent.employee_id === session.me?.employee_id) this.setMyPresence(agent, false);
      }
      this.dispatchEvent(new CustomEvent("presence"));
    });
    const floor = () => this.dispatchEvent(new CustomEvent("floor"));
    on("floor_offers", (f) => { this.floorOffers = new Map((f.offers || []).map((o) => [o.phone_call_id, o])); floor(); });
    on("floor_offer", (f) => { this.floorOffers.set(f.phone_call_id, f); floor(); });
    on("floor_offer_ended", (f) => {
      // A new offer of the call may already have arrived: only the ended one goes.
      if (this.floorOffers.get(f.phone_call_id)?.employee_id === f.employee_id) this.floorOffers.delete(f.phone_call_id);
      floor();
    });
    realtime.addEventListener("state", (e) => {
      if (e.detail.state === "unavailable") this.loadOverHTTP();
    });
  }

  /**
   * Someone other than me changed a live call of mine (an admin linked a customer, a supervisor
   * gave it to someone else): an `othersChange` event (detail: {actor, before, after}) lets the
   * console tell me who. The actor comes with the event itself.
   */
  noteOthersChange(before, after, actor) {
    const me = session.me?.employee_id;
    if (!actor || !me || actor.employee_id === me || before?.employee_id !== me) return;
    if (before.state !== "active" && before.state !== "wrap_up") return;
    this.dispatchEvent(new CustomEvent("othersChange", { detail: { actor, before, after: this.calls.get(after.phone_call_id) || after } }));
  }

  /** Why an offer ended once its call left ringing: `accepted` (by me) or `taken` (by someone else). */
  offerEndReason(call) {
    if (call.state === "ringing") return "accepted";
    return call.employee_id && call.employee_id !== session.me?.employee_id ? "taken" : "accepted";
  }

  /**
   * I tried for this call (it was offered to me, or I pressed Accept). Once someone has it, a
   * `taken` event (detail: {phone_call_id, name}) fires if it was someone else — once per call,
   * whichever comes first: the realtime news or the 409 of my own accept.
   */
  want(callId) { this.wanted.add(callId); }

  /**
   * News of who has a call: a claimed `call` from the realtime connection, or `{phone_call_id}` with
   * the `ownerId` a refused accept (409) named (null when it named nobody).
   */
  settleWanted(call, ownerId) {
    const id = call.phone_call_id;
    const refused = ownerId !== undefined; // from a 409: someone else has it, named or not
    const owner = ownerId || call.employee_id || (refused ? this.calls.get(id)?.employee_id : null);
    if (!this.wanted.has(id) || (!owner && !refused)) return;
    this.wanted.delete(id);
    if (owner === session.me?.employee_id) return;
    const known = this.calls.get(id);
    const name = (known?.employee_id === owner && known.employee_name) || this.agentName(owner) || "Another agent";
    this.dispatchEvent(new CustomEvent("taken", { detail: { phone_call_id: id, name } }));
  }

  reset() { this.calls.clear(); this.agents.clear(); this.wanted.clear(); this.floorOffers.clear(); this.myPresence = null; this.offer = null; this.changed(); }

  upsert(call) {
    const known = this.calls.get(call.phone_call_id);
    // Events can cross: never let an older version overwrite a newer one.
    if (known && known.updated_at && call.updated_at && call.updated_at < known.updated_at) return;
    this.calls.set(call.phone_call_id, { ...known, ...call });
    this.changed();
  }

  changed() { this.dispatchEvent(new CustomEvent("change")); }

  setOffer(offer, reason) {
    this.offer = offer;
    this.dispatchEvent(new CustomEvent("offer", { detail: { offer, reason } }));
  }

  /**
   * Gives back the call offered to me, so it rings for the next agent at once. Resolves when the
   * server has it; a 404 (the offer had ended meanwhile) is no error.
   */
  async declineOffer() {
    const offer = this.offer;
    const id = offer?.phone_call.phone_call_id;
    if (!offer) return;
    this.setOffer(null, "declined");
    try { await api(`/phone-calls/${encodeURIComponent(id)}/decline`, { method: "POST" }); }
    catch (error) { if (!(error instanceof ApiError && error.status === 404)) throw error; }
  }

  setMyPresence(presence, notify = true) {
    this.myPresence = presence;
    if (presence) this.presenceKnown = true;
    if (presence?.employee_id) this.agents.set(presence.employee_id, presence);
    this.dispatchEvent(new CustomEvent("presence"));
  }

  /** Newest first. */
  list() {
    return [...this.calls.values()].sort((a, b) => (b.start_date_time || "").localeCompare(a.start_date_time || ""));
  }

  get(id) { return this.calls.get(id) || null; }

  /** Without realtime (older server), load the queue over HTTP; an absent API is an empty queue. */
  async loadOverHTTP() {
    try {
      const page = await api("/phone-calls", { query: { page_size: 50 } });
      for (const call of page.phone_calls || []) this.upsert(call);
      this.available = true;
    } catch (error) {
      if (error instanceof ApiError && (error.status === 404 || error.status === 403)) this.available = false;
    }
    this.changed();
  }

  async loadPresence() {
    const newsBefore = this.presenceNews;
    try {
      const list = await api("/presence");
      // Answered from the database as it was before the socket connected ("offline"): when the
      // socket has told us anything since, that is newer — keep it.
      if (this.presenceNews !== newsBefore) return true;
      this.presenceKnown = true;
      for (const agent of list.agents || []) this.agents.set(agent.employee_id, agent);
      const mine = this.agents.get(session.me?.employee_id);
      if (mine) this.setMyPresence(mine);
      else this.dispatchEvent(new CustomEvent("presence"));
      return true;
    } catch {
      return false;
    }
  }

  /** `reason` (break, lunch, training, outbound_calls) says why I am away. */
  async setAvailable(available, reason) {
    const presence = await api("/presence", { method: "PUT", body: reason ? { available, reason } : { available } });
    this.setMyPresence(presence);
    return presence;
  }

  agentName(employeeId) {
    if (!employeeId) return "";
    if (employeeId === session.me?.employee_id) return "You";
    return this.agents.get(employeeId)?.name || "";
  }
}

export const calls = new CallStore();
