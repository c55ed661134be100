// The ring: when a call is offered to me, a prominent panel with Accept / Decline, a repeating
// beep (WebAudio, no files), and a desktop notification when the tab is not in front. The panel
// floats above any open dialog and stays clickable there (lib/top-layer.js), docked beside the
// dialog (offer-alert.css): an offer is never hidden behind a form.
import { h } from "../../lib/html.js";
import { api, ApiError } from "../../lib/api.js";
import { calls } from "../../lib/calls.js";
import { navigate, link } from "../../lib/router.js";
import { formatPhone, callerHistory } from "../../lib/format.js";
import { toast } from "../../lib/ui.js";
import { floatOnTop } from "../../lib/top-layer.js";

let audio = null;
document.addEventListener("avoca-gesture", () => {
  try {
    audio = audio || new AudioContext();
    if (audio.state === "suspended") audio.resume();
  } catch { audio = null; }
});

/** Two short tones, like a desk phone. */
function ringOnce() {
  if (!audio || audio.state !== "running") return;
  const now = audio.currentTime;
  for (const [offset, freq] of [[0, 880], [0.2, 660]]) {
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.type = "sine";
    osc.frequency.value = freq;
    gain.gain.setValueAtTime(0.0001, now + offset);
    gain.gain.exponentialRampToValueAtTime(0.18, now + offset + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, now + offset + 0.18);
    osc.connect(gain).connect(audio.destination);
    osc.start(now + offset);
    osc.stop(now + offset + 0.2);
  }
}

class OfferAlert extends HTMLElement {
  connectedCallback() {
    if (this.built) return;
    this.built = true;
    this.layer = h("div", { class: "offer-layer" });
    this.floating = floatOnTop(this.layer, this);
    this.onOffer = (e) => this.show(e.detail.offer, e.detail.reason);
    calls.addEventListener("offer", this.onOffer);
    // Whoever lost a call they wanted (the offer here, or Accept on the desk) hears who has it.
    this.onTaken = (e) => toast(`Too late — ${e.detail.name} took this call.`, "info");
    calls.addEventListener("taken", this.onTaken);
    if (calls.offer) this.show(calls.offer);
  }

  disconnectedCallback() {
    calls.removeEventListener("offer", this.onOffer);
    calls.removeEventListener("taken", this.onTaken);
    this.stop();
    this.floating.dispose();
    this.built = false;
  }

  stop() {
    clearInterval(this.ringTimer);
    clearInterval(this.countdown);
    this.notification?.close();
    this.notification = null;
    document.title = document.title.replace(/^\(Ringing\) /, "");
  }

  show(offer, reason) {
    this.stop();
    if (!offer) {
      this.layer.replaceChildren();
      this.floating.hide();
      if (reason === "expired" && this.lastOffer) toast("The call was offered to the next agent.", "info");
      this.lastOffer = null;
      return;
    }
    this.lastOffer = offer;
    const call = offer.phone_call;
    const number = formatPhone(call.phone_number) || "Unknown number";
    const timer = h("span", { class: "offer-timer" });
    const accept = h("button", { type: "button", class: "button success offer-accept" }, "Accept ", h("kbd", { text: "A" }));
    const decline = h("button", { type: "button", class: "button offer-decline", text: "Decline" });
    accept.addEventListener("click", () => this.accept());
    decline.addEventListener("click", () => this.decline());
    this.layer.replaceChildren(h("section", { class: "offer-panel", role: "alert", "aria-label": "Incoming call" },
      h("span", { class: "offer-icon", "aria-hidden": "true", text: "☎" }),
      h("div", { class: "offer-text" },
        h("strong", { class: "offer-title", text: call.caller_name ? `Incoming call: ${call.caller_name}` : "Incoming call for you" }),
        h("span", { class: "offer-number", text: number }),
        call.caller_name ? h("span", { class: "offer-history small", text: callerHistory(call) }) : "",
        timer),
      h("div", { class: "offer-actions" }, decline, accept)));
    this.floating.show();
    const expires = offer.expires_at ? new Date(offer.expires_at).getTime() : null;
    const tick = () => {
      if (!expires) { timer.textContent = ""; return; }
      const left = Math.max(0, Math.ceil((expires - Date.now()) / 1000));
      timer.textContent = `Offer ends in ${left} s`;
    };
    tick();
    this.countdown = setInterval(tick, 1000);
    ringOnce();
    this.ringTimer = setInterval(ringOnce, 2000);
    if (!document.title.startsWith("(Ringing)")) document.title = `(Ringing) ${document.title}`;
    if ((document.hidden || !document.hasFocus()) && "Notification" in window && Notification.permission === "granted") {
      try {
        this.notification = new Notification("Incoming call — Avoca", { body: `${number}\nOpen Avoca to accept.`, tag: `offer-${call.phone_call_id}`, requireInteraction: true });
        this.notification.onclick = () => { window.focus(); this.notification?.close(); };
      } catch { /* notifications can be blocked by the OS */ }
    }
  }

  acceptByKey() {
    if (!calls.offer) return false;
    this.accept();
    return true;
  }

  async accept() {
    const offer = calls.offer;
    if (!offer) return;
    const id = offer.phone_call.phone_call_id;
    calls.want(id);
    this.layer.querySelectorAll("button").forEach((b) => { b.disabled = true; });
    try {
      const call = await api(`/phone-calls/${encodeURIComponent(id)}/accept`, { method: "POST" });
      calls.upsert(call);
      calls.setOffer(null, "accepted");
      navigate(link(["desk", id]));
    } catch (error) {
      // When the news came over the realtime connection first, the offer is gone and the person told.
      const stillShown = calls.offer === offer;
      if (stillShown) calls.setOffer(null, "gone");
      if (error instanceof ApiError && error.status === 409) calls.settleWanted({ phone_call_id: id }, error.ownerEmployeeId || null);
      else toast(error.message, "error");
    }
  }

  async decline() {
    try { await calls.declineOffer(); } catch (error) { toast(error.message, "error"); }
  }
}

customElements.define("offer-alert", OfferAlert);
