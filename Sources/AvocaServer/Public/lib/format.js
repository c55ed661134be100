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

// Times are shown and booked in the company's time zone (GET /company), not the browser's: a CSR
// working from another zone still books 9 AM where the customer is. Undefined = the browser's.
let zone;
let partsFormat = null; // built on first use, per zone

/** Sets the company's IANA time zone (called once signed in). */
export function setTimeZone(value) {
  partsFormat = null;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: value });
    zone = value;
  } catch {
    zone = undefined;
  }
}

/** The zone times are shown in, and its name right now ("Central Standard Time"). */
export function timeZoneLabel() {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "long" }).formatToParts(new Date());
  return parts.find((p) => p.type === "timeZoneName")?.value || zone || "";
}

/** The wall-clock fields of an instant in the company zone. */
function zonedParts(date) {
  // Building an Intl formatter is costly and lists format many dates: one per zone.
  partsFormat ??= new Intl.DateTimeFormat("en-US", {
    timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit",
  });
  const parts = partsFormat.formatToParts(date);
  const get = (type) => Number(parts.find((p) => p.type === type).value);
  return { year: get("year"), month: get("month"), day: get("day"), hour: get("hour") % 24, minute: get("minute"), second: get("second") };
}

/** Minutes east of UTC of the company zone at epoch milliseconds `ms`. */
function offsetAt(ms) {
  const p = zonedParts(new Date(ms));
  return (Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(ms / 1000) * 1000) / 60000;
}

/** "2024-11-12" + "09:30" on the company's wall clock → "2024-11-12T09:30:00-06:00". */
export function zonedISO(date, time) {
  const [y, m, d] = date.split("-").map(Number);
  const [hh, mm] = time.split(":").map(Number);
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  // The offset at the guessed instant, corrected once in case a DST change lies in between.
  let offset = offsetAt(wall - offsetAt(wall) * 60000);
  offset = offsetAt(wall - offset * 60000);
  const abs = Math.abs(offset);
  return `${date}T${time}:00${offset >= 0 ? "+" : "-"}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

/** "HH:MM" of an instant on the company's wall clock. */
export function zonedTime(date) {
  const p = zonedParts(date);
  return `${String(p.hour).padStart(2, "0")}:${String(p.minute).padStart(2, "0")}`;
}

function parseDate(value) {
  if (!value) return null;
  if (dateOnly.test(value)) {
    // A calendar day, not an instant: noon UTC shown in UTC is that day everywhere.
    const [y, m, d] = value.split("-").map(Number);
    return new Date(Date.UTC(y, m - 1, d, 12));
  }
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

const zoneFor = (value) => (dateOnly.test(value) ? "UTC" : zone);

export function formatDate(value) {
  const d = parseDate(value);
  return d ? d.toLocaleDateString(undefined, { weekday: "short", month: "short", day: "numeric", year: "numeric", timeZone: zoneFor(value) }) : "";
}

export function formatTime(value) {
  const d = parseDate(value);
  return d ? d.toLocaleTimeString(undefined, { hour: "numeric", minute: "2-digit", timeZone: zone }) : "";
}

export function formatDateTime(value) {
  const d = parseDate(value);
  if (!d) return "";
  if (dateOnly.test(value)) return formatDate(value);
  return d.toLocaleString(undefined, { month: "short", day: "numeric", year: "numeric", hour: "numeric", minute: "2-digit", timeZone: zone });
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
  if (e && s && isoDate(s) === isoDate(e)) return `${formatDate(start)}, ${formatTime(start)} – ${formatTime(end)}`;
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

/** "2 open jobs · last: Water heater, Nov 12" for a call whose number matched one customer; "" otherwise. */
export function callerHistory(call) {
  if (!call?.caller_name) return "";
  const open = call.caller_open_jobs ? `${call.caller_open_jobs} open job${call.caller_open_jobs === 1 ? "" : "s"}` : "No open jobs";
  if (!call.caller_last_job) return `${open} · no jobs yet`;
  const d = parseDate(call.caller_last_job_at);
  const when = d ? d.toLocaleDateString(undefined, { month: "short", day: "numeric", timeZone: zone }) : "";
  return `${open} · last: ${call.caller_last_job}${when ? `, ${when}` : ""}`;
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

/** yyyy-mm-dd of an instant in the company zone. */
export function isoDate(date) {
  const p = zonedParts(date);
  return `${p.year}-${String(p.month).padStart(2, "0")}-${String(p.day).padStart(2, "0")}`;
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
