// Settings → Employees (admins): who works here, who waits for approval, who is invited, and each
// one's role. Every change goes through the API, which refuses what would leave no admin.
import { h } from "../../lib/html.js";
import { api } from "../../lib/api.js";
import { session } from "../../lib/session.js";
import { formatDateTime, employeeName } from "../../lib/format.js";
import { openDialog, toast, confirmAction, showErrors, clearErrors, busy } from "../../lib/ui.js";

/** Roles an admin can give, in the order they are offered. */
export const ROLES = [["agent", "Agent"], ["supervisor", "Supervisor"], ["admin", "Administrator"]];
const roleLabel = (role) => ROLES.find(([value]) => value === role)?.[1] || role;

/** Draws the employee table and the pending invitations into `slot`; `reload` redraws both. */
export async function loadEmployees(slot) {
  const reload = () => loadEmployees(slot);
  try {
    const [data, { invitations }] = await Promise.all([api("/employees", { query: { page_size: 100 } }), api("/invitations")]);
    const rows = data.employees.map((e) => employeeRow(e, reload));
    const invited = invitations.map((i) => invitationRow(i, reload));
    const waiting = data.employees.filter((e) => e.is_active && !e.is_approved).length;
    slot.replaceChildren(
      waiting ? h("p", { class: "form-success", role: "status", text: `${waiting} sign-up${waiting === 1 ? "" : "s"} waiting for your approval.` }) : "",
      h("div", { class: "table-wrap" }, h("table", { class: "table employees" },
        h("thead", {}, h("tr", {}, ["Name", "E-mail", "Role", "Status", ""].map((t) => h("th", { scope: "col", text: t })))),
        h("tbody", {}, rows, invited))));
  } catch (error) { slot.replaceChildren(h("p", { class: "empty", text: error.message })); }
}

function employeeRow(e, reload) {
  const me = e.id === session.me?.employee_id;
  const actions = [];
  if (e.is_active && !e.is_approved) {
    actions.push(button("Approve", "primary", async () => {
      await api(`/employees/${encodeURIComponent(e.id)}/approve`, { method: "POST" });
      toast(`${employeeName(e)} can sign in now.`, "success");
    }, reload));
  }
  if (e.is_active && !me) {
    actions.push(button(e.is_approved ? "Deactivate" : "Refuse", "danger", async () => {
      const question = e.is_approved
        ? `Deactivate ${employeeName(e)}? They are signed out everywhere at once and cannot sign in again.`
        : `Refuse ${employeeName(e)} (${e.email})? They will not be able to sign in.`;
      if (!(await confirmAction(question, { confirmLabel: e.is_approved ? "Deactivate" : "Refuse", danger: true }))) return;
      await api(`/employees/${encodeURIComponent(e.id)}/deactivate`, { method: "POST" });
      toast(`${employeeName(e)} was ${e.is_approved ? "deactivated" : "refused"}.`, "success");
    }, reload));
  }
  const status = !e.is_active ? ["badge neutral", "Deactivated"] : !e.is_approved ? ["badge warn", "Waiting for approval"] : ["badge ok", "Active"];
  return h("tr", {},
    h("td", {}, employeeName(e), me ? [" ", h("span", { class: "badge info", text: "You" })] : null),
    h("td", { text: e.email }),
    h("td", {}, e.is_active ? roleSelect(e, reload) : roleLabel(e.role)),
    h("td", {}, h("span", { class: status[0], text: status[1] })),
    h("td", { class: "actions" }, actions));
}

function roleSelect(e, reload) {
  const select = h("select", { "aria-label": `Role of ${employeeName(e)}`, class: "role-select" },
    ROLES.map(([value, text]) => h("option", { value, text, selected: value === e.role })));
  select.addEventListener("change", async () => {
    try {
      await api(`/employees/${encodeURIComponent(e.id)}/role`, { method: "PUT", body: { role: select.value } });
      toast(`${employeeName(e)} is now ${roleLabel(select.value).toLowerCase()}.`, "success");
    } catch (error) { toast(error.message, "error"); }
    reload();
  });
  return select;
}

function invitationRow(i, reload) {
  const withdraw = button("Withdraw", "danger", async () => {
    await api(`/invitations/${encodeURIComponent(i.id)}`, { method: "DELETE" });
    toast(`The invitation of ${i.email} was withdrawn.`, "success");
  }, reload);
  return h("tr", { class: "invited" },
    h("td", { class: "muted", text: "—" }),
    h("td", { text: i.email }),
    h("td", { text: roleLabel(i.role) }),
    h("td", {}, h("span", { class: "badge info", text: `Invited · until ${formatDateTime(i.expires_at)}` })),
    h("td", { class: "actions" }, withdraw));
}

function button(text, kind, action, reload) {
  const b = h("button", { type: "button", class: `button small ${kind}`, text });
  b.addEventListener("click", async () => {
    try { await action(); } catch (error) { toast(error.message, "error"); }
    reload();
  });
  return b;
}

/** The invitation form; `done` runs after an invitation was sent. */
export function inviteDialog(done) {
  const form = h("form", { class: "form-grid", novalidate: true },
    h("div", { class: "form-error", role: "alert", tabindex: "-1", hidden: true }),
    h("div", { class: "field" }, h("label", { for: "invite-email", text: "E-mail address" }),
      h("input", { id: "invite-email", name: "email", type: "email", required: true, autocomplete: "off", placeholder: "name@company.com" })),
    h("div", { class: "field" }, h("label", { for: "invite-role", text: "Role" }),
      h("select", { id: "invite-role", name: "role" }, ROLES.map(([value, text]) => h("option", { value, text })))),
    h("p", { class: "muted small", text: "They get a link to create their account; it works for 7 days. They confirm the address and set up an authenticator app." }),
    h("div", { class: "form-actions" }, h("button", { type: "button", class: "button cancel", text: "Cancel" }), h("button", { type: "submit", class: "button primary", text: "Send invitation" })));
  const dialog = openDialog({ title: "Invite an employee", body: form });
  form.querySelector(".cancel").addEventListener("click", () => dialog.close());
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors(form);
    const email = form.elements.namedItem("email").value.trim();
    if (!email.includes("@")) { showErrors(form, { message: "Enter an e-mail address.", fields: { email: "Required." } }); return; }
    await busy(form.querySelector("[type=submit]"), async () => {
      try {
        await api("/invitations", { method: "POST", body: { email, role: form.elements.namedItem("role").value } });
        dialog.close();
        toast(`Invitation sent to ${email}.`, "success");
        done();
      } catch (error) { showErrors(form, error); }
    });
  });
}
