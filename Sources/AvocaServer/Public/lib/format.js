// Display helpers: names, phone numbers, addresses, dates, durations. Pure functions.

export function customerName(c) {
  if (!c) return "";
  const full = [c.first_name, c.last_name].filter(Boolean).join(" ").trim();
  return full || c.company || c.email || formatPhone(c.mobile_number || c.home_number || c.work_number) || "Unnamed customer";
}

export function employeeName(e) {
  if (!e) return "";
  return [e.first_name, e.last_name].filter(Boolean).join(" ") || e.email || "";
}

/** +15550102000 → (555) 010-2000; anything else is returned as given. */
export function formatPhone(value) {
  if (!value) return "";
  const digits = String(value).replace(/\D/g, "");
  const national = digits.length === 11 && digits[0] === "1" ? digits.slice(1) : digits;
  if (national.length === 10) return `(${national.slice(0, 3)}) ${national.slice(3, 6)}-${national.slice(6)}`;
  return String(value);
}

export function addressLine(a) {
  if (!a) return "";
  const street = [a.street, a.street_line_2].filter(Boolean).join(", ");
  const cityLine = [a.city, [a.state, a.zip].filter(Boolean).join(" ")].filter(Boolean).join(", ");
  return [street, cityLine].filter(Boolean).join(", ");
}

const dateOnly = /^\d{4}-\d{2}-\d{2}$/;

function parseDate(value) {
  if (!value) return null;
  if (dateOnly.test(value)) {
    const [y, m, d] = value.split("-").map(Number);
    return new Date(y, m - 1, d);
  }
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

export function formatDate(value) {
  const d = parseDate(value);
  return d ? d.toLocaleDateString(undefined, { weekday: "short", month: "short", day: "numeric", year: "numeric" }) : "";
}

export function formatTime(value) {
  const d = parseDate(value);
  return d ? d.toLocaleTimeString(undefined, { hour: "numeric", minute: "2-digit" }) : "";
}

export function formatDateTime(value) {
  const d = parseDate(value);
  if (!d) return "";
  if (dateOnly.test(value)) return formatDate(value);
  return d.toLocaleString(undefined, { month: "short", day: "numeric", year: "numeric", hour: "numeric", minute: "2-digit" });
}

/** A job schedule in words: "Tue, Nov 12, 2024, 9:00 AM – 11:00 AM" or a date range. */
export function formatSchedule(schedule) {
  if (!schedule || !schedule.scheduled_start) return "Unscheduled";
  const { scheduled_start: start, scheduled_end: end } = schedule;
  if (dateOnly.test(start)) {
    if (!end || end === start) return `${formatDate(start)} (all day)`;
    return `${formatDate(start)} – ${formatDate(end)}`;
  }
  const s = parseDate(start);
  const e = parseDate(end);
  if (e && s && s.toDateString() === e.toDateString()) return `${formatDate(start)}, ${formatTime(start)} – ${formatTime(end)}`;
  return `${formatDateTime(start)} – ${formatDateTime(end)}`;
}

/** 75 → "1:15"; 3700 → "1:01:40". */
export function formatDuration(totalSeconds) {
  const s = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${sec}` : `${m}:${sec}`;
}

export function timeAgo(value) {
  const d = parseDate(value);
  if (!d) return "";
  const seconds = (Date.now() - d.getTime()) / 1000;
  if (seconds < 60) return "just now";
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
  return formatDateTime(value);
}

export function humanize(value) {
  if (!value) return "";
  const s = String(value).replace(/_/g, " ");
  return s[0].toUpperCase() + s.slice(1);
}

/** yyyy-mm-dd for a local date. */
export function isoDate(date) {
  const y = date.getFullYear();
  const m = String(date.getMonth() + 1).padStart(2, "0");
  const d = String(date.getDate()).padStart(2, "0");
  return `${y}-${m}-${d}`;
}

export const JOB_STATUSES = ["unscheduled", "scheduled", "in_progress", "complete_rated", "complete_unrated", "user_canceled", "pro_canceled"];
export const CALL_OUTCOMES = ["booked", "callback_scheduled", "information_only", "no_availability", "price_shopping", "wrong_number", "spam", "other"];
export const US_STATES = ["AL","AK","AZ","AR","CA","CO","CT","DE","DC","FL","GA","HI","ID","IL","IN","IA","KS","KY","LA","ME","MD","MA","MI","MN","MS","MO","MT","NE","NV","NH","NJ","NM","NY","NC","ND","OH","OK","OR","PA","RI","SC","SD","TN","TX","UT","VT","VA","WA","WV","WI","WY","PR","GU","VI","AS","MP"];

/** "12 Oak St, Springfield, IL 62704" → {street, city, state, zip}; partial when it cannot tell. */
export function parseAddress(text) {
  if (!text) return {};
  const s = String(text).trim().replace(/\s+/g, " ");
  let m = s.match(/^(.+?),\s*(?:(.+?),\s*)?([^,]+?),?\s+([A-Za-z]{2})\.?,?\s+(\d{5}(?:-\d{4})?)$/);
  if (m) {
    const street2 = m[2] && /^(apt|apartment|unit|suite|ste|#)/i.test(m[2]) ? m[2] : null;
    return { street: street2 || !m[2] ? m[1] : `${m[1]}, ${m[2]}`, street_line_2: street2, city: m[3], state: m[4].toUpperCase(), zip: m[5] };
  }
  m = s.match(/^(.+?),\s*([^,]+?),\s*([A-Za-z]{2})$/);
  if (m) return { street: m[1], city: m[2], state: m[3].toUpperCase() };
  m = s.match(/^(.+?)\s+(\d{5})$/);
  if (m) return { street: m[1], zip: m[2] };
  const parts = s.split(",").map((p) => p.trim());
  return { street: parts[0], city: parts[1] };
}

/** "Jane Q Doe" → {first_name: "Jane", last_name: "Q Doe"}. */
export function splitName(name) {
  const parts = String(name || "").trim().split(/\s+/).filter(Boolean);
  if (!parts.length) return {};
  if (parts.length === 1) return { first_name: parts[0] };
  return { first_name: parts[0], last_name: parts.slice(1).join(" ") };
}
