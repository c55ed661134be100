// A call's transcript: segments merged by seq (duplicates ignored, order kept), grouped into
// speaker turns, insight words highlighted, auto-scroll that yields when the agent scrolls up.
// Interim words (phone_call_partial) show as a grey line per speaker below the turns until that
// speaker's next final segment replaces them; they are never part of the segments.
import { h } from "../../lib/html.js";

const SPEAKER = { caller: "Caller", agent: "Agent" };
const KIND_LABEL = { name: "Name", phone: "Phone", email: "E-mail", address: "Address", service: "Service", urgency: "Urgency", requested_time: "Requested time" };

function joinText(segments) {
  let text = "";
  const offsets = [];
  for (const seg of segments) {
    const piece = String(seg.text ?? "");
    if (text && !/^[\s,.!?;:)'’%]/.test(piece) && !/\s$/.test(text)) text += " ";
    offsets.push([seg.seq, text.length]);
    text += piece;
  }
  return { text: text.replace(/\s+/g, " "), offsets };
}

const WORD_CHAR = /[\p{L}\p{N}]/u;

/**
 * Lower-cases `text` and turns every run of punctuation/space into one space, remembering for each
 * character of the result where it came from in `text` (so a match can be mapped back).
 */
function foldForMatch(text) {
  let folded = "";
  const origin = [];
  let gap = false;
  for (let i = 0; i < text.length; i++) {
    const lower = text[i].toLowerCase();
    if (WORD_CHAR.test(lower)) {
      if (gap && folded) { folded += " "; origin.push(i - 1); }
      // A lower-cased letter can be longer than the original ("İ"): every unit points back to it.
      for (let k = 0; k < lower.length; k++) { folded += lower[k]; origin.push(i); }
      gap = false;
    } else gap = true;
  }
  return { folded, origin };
}

class CallTranscript extends HTMLElement {
  connectedCallback() {
    if (this.built) return;
    this.built = true;
    this.segments = new Map();
    this.insights = [];
    this.turns = [];
    this.stick = true;
    this.unseen = 0;
    this.scroller = h("div", { class: "transcript-scroll", role: "log", "aria-label": "Transcript", "aria-live": "off", tabindex: "0" });
    this.list = h("div", { class: "transcript-turns" });
    this.placeholder = h("p", { class: "transcript-empty muted", text: "Waiting for the caller to speak…" });
    this.partials = new Map();
    this.finalSeq = { caller: 0, agent: 0 };
    this.interim = h("div", { class: "transcript-partials", "aria-hidden": "true" });
    this.scroller.append(this.placeholder, this.list, this.interim);
    this.jump = h("button", { type: "button", class: "button small jump-live", hidden: true }, "Jump to live ↓");
    this.jump.addEventListener("click", () => { this.stick = true; this.scrollToEnd(); });
    this.scroller.addEventListener("scroll", () => {
      const nearBottom = this.scroller.scrollHeight - this.scroller.scrollTop - this.scroller.clientHeight < 40;
      this.stick = nearBottom;
      if (nearBottom) { this.unseen = 0; this.jump.hidden = true; }
    });
    this.append(this.scroller, this.jump);
  }

  /** Starts over for another call. */
  reset(placeholder = "Waiting for the caller to speak…") {
    this.segments.clear();
    this.partials.clear();
    this.finalSeq = { caller: 0, agent: 0 };
    this.interim.replaceChildren();
    this.insights = [];
    this.turns = [];
    this.list.replaceChildren();
    this.placeholder.textContent = placeholder;
    this.placeholder.hidden = false;
    this.stick = true;
    this.unseen = 0;
    this.jump.hidden = true;
  }

  get lastSeq() {
    let max = 0;
    for (const seq of this.segments.keys()) if (seq > max) max = seq;
    return max;
  }

  /** Adds segments; returns how many were new. */
  add(segments) {
    let added = 0;
    let outOfOrder = false;
    const last = this.lastSeq;
    for (const seg of segments) {
      if (typeof seg.seq !== "number" || this.segments.has(seg.seq)) continue;
      if (seg.seq < last) outOfOrder = true;
      this.segments.set(seg.seq, seg);
      const speaker = seg.speaker === "agent" ? "agent" : "caller";
      if (seg.seq > this.finalSeq[speaker]) this.finalSeq[speaker] = seg.seq;
      // The final words replace the speaker's grey line.
      this.partials.delete(speaker);
      added++;
    }
    if (!added) return 0;
    this.paintPartials();
    if (outOfOrder || !this.turns.length) this.rebuild();
    else this.appendInOrder(segments.filter((s) => s.seq > last).sort((a, b) => a.seq - b.seq));
    this.placeholder.hidden = this.segments.size > 0;
    this.afterGrowth(added);
    return added;
  }

  /**
   * Shows a speaker's interim words. A partial announced before that speaker's newest final
   * (`after_seq` below it) arrived late and is dropped; empty text clears the line.
   */
  partial(frame) {
    const speaker = frame.speaker === "agent" ? "agent" : "caller";
    if (typeof frame.after_seq === "number" && frame.after_seq < this.finalSeq[speaker]) return;
    const text = String(frame.text ?? "").trim();
    if (text) this.partials.set(speaker, text);
    else this.partials.delete(speaker);
    this.paintPartials();
    if (this.stick) this.scrollToEnd();
  }

  /** Drops every speaker's interim words (the call ended). */
  clearPartials() {
    if (!this.partials.size) return;
    this.partials.clear();
    this.paintPartials();
  }

  paintPartials() {
    const lines = [];
    for (const speaker of ["caller", "agent"]) {
      const text = this.partials.get(speaker);
      if (!text) continue;
      lines.push(h("p", { class: `partial partial-${speaker}`, dataset: { speaker }, title: "Still being transcribed" },
        h("span", { class: "visually-hidden", text: `${SPEAKER[speaker]} is saying: ` }), text));
    }
    this.interim.replaceChildren(...lines);
    if (lines.length) this.placeholder.hidden = true;
  }

  setInsights(insights) {
    this.insights = insights || [];
    for (const turn of this.turns) this.paintTurn(turn);
  }

  rebuild() {
    const ordered = [...this.segments.values()].sort((a, b) => a.seq - b.seq);
    this.turns = [];
    this.list.replaceChildren();
    this.appendInOrder(ordered);
  }

  appendInOrder(ordered) {
    const touched = new Set();
    for (const seg of ordered) {
      let turn = this.turns[this.turns.length - 1];
      if (!turn || turn.speaker !== seg.speaker) {
        const speaker = seg.speaker === "agent" ? "agent" : "caller";
        turn = { speaker, segments: [], words: h("p", { class: "turn-text" }) };
        turn.el = h("div", { class: `turn turn-${speaker}` },
          h("div", { class: "turn-speaker" }, h("span", { class: "speaker-icon", "aria-hidden": "true", text: speaker === "agent" ? "◆" : "☎" }), SPEAKER[speaker]),
          turn.words);
        this.turns.push(turn);
        this.list.append(turn.el);
      }
      turn.segments.push(seg);
      touched.add(turn);
    }
    for (const turn of touched) this.paintTurn(turn);
  }

  /** Renders a turn's words, wrapping insight values in <mark>. */
  paintTurn(turn) {
    const { text } = joinText(turn.segments);
    // Insight values are tidied by the server ("1423 Maple Ave, Springfield, IL 62704") while the
    // spoken words carry no commas: compare letters and digits only, then map back to the text.
    const { folded, origin } = foldForMatch(text);
    const ranges = [];
    const first = turn.segments[0]?.seq ?? 0;
    const last = turn.segments[turn.segments.length - 1]?.seq ?? 0;
    for (const insight of this.insights) {
      const needle = foldForMatch(String(insight.value || "")).folded.trim();
      if (needle.length < 2) continue;
      if (typeof insight.seq === "number" && (insight.seq < first || insight.seq > last + 50)) continue;
      let from = 0;
      for (;;) {
        const found = folded.indexOf(needle, from);
        if (found < 0) break;
        from = found + needle.length;
        // Whole words only: "al" must not light up inside "also".
        if (WORD_CHAR.test(folded[found - 1] || "") || WORD_CHAR.test(folded[from] || "")) continue;
        let at = origin[found];
        const end = origin[from - 1] + 1;
        // Folding drops punctuation; a spoken "(312) 555-0142" is marked with its parenthesis.
        if (insight.kind === "phone" && text[at - 1] === "(") at -= 1;
        if (!ranges.some(([s, e]) => at < e && end > s)) ranges.push([at, end, insight.kind]);
      }
    }
    ranges.sort((a, b) => a[0] - b[0]);
    const nodes = [];
    let pos = 0;
    for (const [s, e, kind] of ranges) {
      if (s > pos) nodes.push(text.slice(pos, s));
      nodes.push(h("mark", { class: `hl hl-${kind}`, title: KIND_LABEL[kind] || kind, dataset: { kind } }, text.slice(s, e),
        h("span", { class: "visually-hidden", text: ` (${KIND_LABEL[kind] || kind})` })));
      pos = e;
    }
    if (pos < text.length) nodes.push(text.slice(pos));
    turn.words.replaceChildren(...nodes);
  }

  afterGrowth(added) {
    if (this.stick) this.scrollToEnd();
    else {
      this.unseen += added;
      this.jump.hidden = false;
      this.jump.textContent = `Jump to live ↓ (${this.unseen} new)`;
    }
  }

  scrollToEnd() {
    this.scroller.scrollTop = this.scroller.scrollHeight;
    this.unseen = 0;
    this.jump.hidden = true;
  }

  /** Emphasises the marks of one insight kind (chip hover/focus). */
  emphasise(kind) {
    this.querySelectorAll("mark.hl").forEach((m) => m.classList.toggle("hl-focus", kind !== null && m.dataset.kind === kind));
  }
}

customElements.define("call-transcript", CallTranscript);
