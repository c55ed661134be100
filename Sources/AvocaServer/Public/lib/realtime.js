// The realtime connection: a WebSocket opened with a single-use ticket, reconnecting with
// backoff, resuming every subscribed call's transcript from its last seq after a reconnect.
import { api, ApiError, refreshSession, dropSession } from "./api.js";

/**
 * Events: `state` (detail: {state}) with state one of `connecting`, `open`, `reconnecting`,
 * `offline` (the browser has no network), `unavailable` (no realtime endpoint on this server),
 * `closed`; `message` (detail: the frame);
 * and one event per frame `event` name (detail: the frame).
 */
export class Realtime extends EventTarget {
  constructor() {
    super();
    this.state = "closed";
    this.socket = null;
    this.attempt = 0;
    this.timer = null;
    this.heartbeat = null;
    this.pongDeadline = null;
    this.running = false;
    this.fetchingTicket = false;
    /** phone_call_id → highest seq received. */
    this.subscriptions = new Map();
    this.onOnline = () => { if (this.running && this.state !== "open") this.reconnectNow(); };
    this.onOffline = () => this.dropForOffline();
    this.onVisible = () => { if (this.running && document.visibilityState === "visible" && this.state !== "open") this.reconnectNow(); };
  }

  start() {
    if (this.running) return;
    this.running = true;
    addEventListener("online", this.onOnline);
    addEventListener("offline", this.onOffline);
    document.addEventListener("visibilitychange", this.onVisible);
    this.connect();
  }

  stop() {
    this.running = false;
    removeEventListener("online", this.onOnline);
    removeEventListener("offline", this.onOffline);
    document.removeEventListener("visibilitychange", this.onVisible);
    clearTimeout(this.timer);
    this.stopHeartbeat();
    if (this.socket) { this.socket.onclose = null; this.socket.close(1000); this.socket = null; }
    this.subscriptions.clear();
    this.setState("closed");
  }

  setState(state) {
    if (this.state === state) return;
    this.state = state;
    this.dispatchEvent(new CustomEvent("state", { detail: { state } }));
  }

  reconnectNow() {
    clearTimeout(this.timer);
    this.attempt = 0;
    this.connect();
  }

  /**
   * The browser says the network is gone. A socket cannot deliver anything now, yet TCP may take
   * minutes to notice: close it at once so the console says so, and resume when `online` fires
   * (or at the next retry, should that event never come).
   */
  dropForOffline() {
    if (!this.running) return;
    const socket = this.socket;
    this.socket = null;
    this.stopHeartbeat();
    if (socket) {
      socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
      try { socket.close(4000, "browser offline"); } catch { /* already closing */ }
    }
    this.setState("offline");
    this.schedule(15000);
  }

  async connect() {
    if (!this.running) return;
    if (this.socket && this.socket.readyState <= WebSocket.OPEN) return;
    // One attempt at a time: `online`, `visibilitychange` and the retry timer can all fire while a
    // ticket is on its way, and two sockets would deliver every event twice.
    if (this.fetchingTicket) return;
    if (navigator.onLine === false) { this.setState("offline"); this.schedule(15000); return; }
    this.setState(this.attempt === 0 && this.state === "closed" ? "connecting" : "reconnecting");
    let ticket;
    this.fetchingTicket = true;
    try {
      ticket = await api("/realtime/tickets", { method: "POST" });
    } catch (error) {
      if (!this.running) return;
      if (error instanceof ApiError && (error.status === 404 || error.status === 501)) {
        this.setState("unavailable");
        this.schedule(30000); // the server may gain the endpoint after an upgrade
        return;
      }
      if (error instanceof ApiError && error.status === 401) return; // api.js ended the session
      if (navigator.onLine === false) { this.setState("offline"); this.schedule(15000); return; }
      this.setState("reconnecting");
      this.schedule();
      return;
    } finally {
      this.fetchingTicket = false;
    }
    if (!this.running) return;
    if (this.socket && this.socket.readyState <= WebSocket.OPEN) return;
    if (navigator.onLine === false) { this.setState("offline"); this.schedule(15000); return; }
    const url = location.origin.replace(/^http/, "ws") + (ticket.url || `/api/realtime?ticket=${encodeURIComponent(ticket.ticket)}`);
    let socket;
    try { socket = new WebSocket(url); } catch { this.schedule(); return; }
    this.socket = socket;
    socket.onopen = () => {
      this.startHeartbeat();
      if (this.subscriptions.size) {
        this.send({ event: "resume", calls: Object.fromEntries(this.subscriptions) });
      }
    };
    socket.onmessage = (event) => {
      let frame;
      try { frame = JSON.parse(event.data); } catch { return; }
      this.pongDeadline = null;
      if (frame.event === "hello") { this.attempt = 0; this.setState("open"); }
      if (frame.event === "phone_call_token") this.noteSeq(frame.phone_call_id, frame.seq);
      if (frame.event === "phone_call_transcript") this.noteSeq(frame.phone_call_id, frame.last_seq ?? Math.max(0, ...(frame.segments || []).map((s) => s.seq)));
      this.dispatchEvent(new CustomEvent("message", { detail: frame }));
      this.dispatchEvent(new CustomEvent(frame.event, { detail: frame }));
    };
    socket.onclose = async (event) => {
      this.stopHeartbeat();
      if (this.socket === socket) this.socket = null;
      if (!this.running) return;
      if (event.code === 4401) {
        // The session was revoked while connected: only a fresh refresh can tell.
        const renewed = await refreshSession().catch(() => null);
        if (!renewed) { dropSession("Your session ended. Please sign in again."); return; }
      }
      this.setState("reconnecting");
      this.schedule();
    };
  }

  schedule(fixed) {
    clearTimeout(this.timer);
    const base = Math.min(15000, 500 * 2 ** this.attempt);
    const delay = fixed ?? base / 2 + Math.random() * base / 2;
    this.attempt += 1;
    this.timer = setTimeout(() => this.connect(), delay);
  }

  startHeartbeat() {
    this.stopHeartbeat();
    // The server pings at the protocol level; this application ping notices a dead path
    // (sleeping laptop, dropped Wi-Fi) from the browser side too.
    this.heartbeat = setInterval(() => {
      if (this.pongDeadline && Date.now() > this.pongDeadline) {
        if (this.socket) this.socket.close(4000, "heartbeat timeout");
        return;
      }
      if (!this.pongDeadline) this.pongDeadline = Date.now() + 10000;
      this.send({ event: "ping", id: String(Date.now()) });
    }, 20000);
  }

  stopHeartbeat() { clearInterval(this.heartbeat); this.heartbeat = null; this.pongDeadline = null; }

  send(frame) {
    if (this.socket && this.socket.readyState === WebSocket.OPEN) {
      this.socket.send(JSON.stringify(frame));
      return true;
    }
    return false;
  }

  noteSeq(callId, seq) {
    if (!this.subscriptions.has(callId) || typeof seq !== "number") return;
    if (seq > this.subscriptions.get(callId)) this.subscriptions.set(callId, seq);
  }

  /** Streams a call's transcript after `afterSeq` (what the caller already has). */
  subscribe(callId, afterSeq = 0) {
    const known = this.subscriptions.get(callId);
    this.subscriptions.set(callId, Math.max(afterSeq, known ?? 0));
    this.send({ event: "subscribe", phone_call_id: callId, after_seq: this.subscriptions.get(callId) });
  }

  unsubscribe(callId) {
    this.subscriptions.delete(callId);
    this.send({ event: "unsubscribe", phone_call_id: callId });
  }
}

/** The console's one connection. */
export const realtime = new Realtime();
