// Tells the owner of a live call when someone else changed it — an admin linking a customer or
// booking, a supervisor reassigning or putting it back in the queue — by name, in a toast:
// "Ann Admin linked Dana Whitfield to your call". Who did it comes with the realtime event.
import { api } from "./api.js";
import { calls } from "./calls.js";
import { customerName, humanize } from "./format.js";
import { toast } from "./ui.js";

const OUTCOME_TEXT = {
  booked: "Job booked", callback_scheduled: "Callback scheduled", information_only: "Information only", no_availability: "No availability",
  price_shopping: "Price shopping", wrong_number: "Wrong number", spam: "Spam", other: "Other",
};

/** The linked customer's name, or a neutral phrase when it cannot be read. */
async function nameOf(customerId) {
  try { return customerName(await api(`/customers/${encodeURIComponent(customerId)}`)); } catch { return "a customer"; }
}

/** What `actor` did, in the words the owner reads (several changes at once are joined). */
export async function describeChange({ actor, before, after }) {
  const who = actor.name || "Someone";
  if (after.employee_id !== before.employee_id) {
    if (!after.employee_id || after.state === "ringing") return `${who} put your call back in the queue`;
    return `${who} gave your call to ${after.employee_name || "another agent"}`;
  }
  const parts = [];
  if (after.customer_id !== before.customer_id) {
    parts.push(after.customer_id ? `linked ${await nameOf(after.customer_id)} to your call` : "unlinked the customer from your call");
  }
  if (after.job_id !== before.job_id) parts.push(after.job_id ? "booked a job on your call" : "unlinked the job from your call");
  if (after.outcome !== before.outcome && after.outcome) {
    parts.push(`recorded the outcome “${OUTCOME_TEXT[after.outcome] || humanize(after.outcome)}”${parts.length ? "" : " on your call"}`);
  }
  if (!parts.length) parts.push((after.notes || "") !== (before.notes || "") ? "changed the notes of your call" : "changed your call");
  const text = parts.length > 1 ? `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}` : parts[0];
  return `${who} ${text}`;
}

let watching = false;

/** Starts telling this console's employee about changes others make to their calls (once). */
export function watchOthersChanges() {
  if (watching) return;
  watching = true;
  calls.addEventListener("othersChange", async (e) => toast(`${await describeChange(e.detail)}.`, "info"));
}
