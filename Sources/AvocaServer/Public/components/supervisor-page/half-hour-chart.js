// Calls per half hour as an SVG bar chart, drawn here (the console has no chart library): one
// bar per half hour, answered at the bottom, missed above it, the rest (still ringing) on top.
import { zonedTime } from "../../lib/format.js";

const SVG = "http://www.w3.org/2000/svg";
const W = 960;
const H = 180;
const PAD = { left: 28, right: 8, top: 10, bottom: 22 };

function el(name, attributes, text) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** `halfHours`: CallReportHalfHour[] of one or more days. */
export function halfHourChart(halfHours) {
  const peak = Math.max(1, ...halfHours.map((b) => b.received));
  const svg = el("svg", { viewBox: `0 0 ${W} ${H}`, class: "half-hour-chart", role: "img" });
  const total = halfHours.reduce((sum, b) => sum + b.received, 0);
  svg.append(el("title", {}, `Calls per half hour: ${total} in all, at most ${peak === 1 && total === 0 ? 0 : peak} in one half hour.`));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const y = (value) => PAD.top + plotH - (value / peak) * plotH;
  // Gridlines at 0, half and the peak, labelled.
  for (const value of [...new Set([0, Math.round(peak / 2), peak])]) {
    svg.append(el("line", { x1: PAD.left, x2: W - PAD.right, y1: y(value), y2: y(value), class: "grid" }));
    svg.append(el("text", { x: PAD.left - 6, y: y(value) + 4, "text-anchor": "end", class: "axis" }, String(value)));
  }
  const slot = plotW / Math.max(1, halfHours.length);
  halfHours.forEach((b, i) => {
    const x = PAD.left + i * slot + slot * 0.15;
    const width = Math.max(1, slot * 0.7);
    const other = b.received - b.answered - b.missed;
    let base = 0;
    for (const [count, kind] of [[b.answered, "answered"], [b.missed, "missed"], [other, "other"]]) {
      if (count <= 0) continue;
      const bar = el("rect", { x, width, y: y(base + count), height: y(base) - y(base + count), class: `bar ${kind}` });
      bar.append(el("title", {}, `${zonedTime(new Date(b.start))}: ${b.received} received, ${b.answered} answered, ${b.missed} missed`));
      svg.append(bar);
      base += count;
    }
    // A label every three hours of a day.
    if (i % 6 === 0 && halfHours.length <= 50) {
      svg.append(el("text", { x: PAD.left + i * slot, y: H - 6, class: "axis" }, zonedTime(new Date(b.start))));
    }
  });
  return svg;
}
