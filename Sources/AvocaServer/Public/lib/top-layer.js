// Panels that must stay usable over any modal dialog (the call offer, the toasts).
//
// A manual popover lives in the top layer, which stacks in the order things were shown, so
// re-showing a popover puts it above a dialog opened since. That is not enough: while a modal
// dialog is open, everything outside it is inert — a popover elsewhere in the document is painted
// on top but cannot be clicked. So while a modal dialog is open, a floating panel is moved inside
// the topmost one (and shown again, above it); when that dialog closes, the panel goes on to the
// next open dialog or back home.

const floaters = new Set();
/** Modal dialogs in the order they were opened (a `toggle` event tells us, one task later). */
const opened = [];

/** The modal dialog that receives input, or null. */
function topmostModal(except = null) {
  const modal = [...document.querySelectorAll("dialog")].filter((d) => d !== except && d.matches(":modal"));
  // One opened this very task has not sent its `toggle` yet: it is the newest.
  const unannounced = modal.filter((d) => !opened.includes(d));
  return unannounced.at(-1) || opened.filter((d) => modal.includes(d)).at(-1) || null;
}

/** Puts a shown panel into the topmost modal dialog (or home) and on top; `leaving` is a dialog
 *  that is closing, which a panel inside it, shown or not, must leave. */
function place(floater, leaving = null) {
  const { el, home } = floater;
  if (!floater.shown) {
    if (leaving?.contains(el)) home.append(el);
    return;
  }
  const target = topmostModal(leaving) || home;
  if (el.parentNode !== target) target.append(el);
  if (el.matches(":popover-open")) el.hidePopover();
  el.showPopover();
}

function placeAll() {
  for (const floater of floaters) place(floater);
}

document.addEventListener("toggle", (e) => {
  const dialog = e.target;
  if (!(dialog instanceof HTMLDialogElement)) return;
  const index = opened.indexOf(dialog);
  if (index >= 0) opened.splice(index, 1);
  if (e.newState === "open" && dialog.matches(":modal")) opened.push(dialog);
  placeAll();
}, true);
// Sent by openDialog (lib/ui.js) right after showModal: no waiting for the `toggle` task.
document.addEventListener("avoca-dialog-open", placeAll);

// `close` reaches this capturing listener before the dialog's own listeners, which may remove the
// dialog (and would take a panel inside it along).
document.addEventListener("close", (e) => {
  const dialog = e.target;
  if (!(dialog instanceof HTMLDialogElement)) return;
  for (const floater of floaters) if (dialog.contains(floater.el)) place(floater, dialog);
}, true);

/**
 * Makes `el` a floating panel: a manual popover kept above every modal dialog and usable while
 * one is open; otherwise it lives in `home`. Returns `{show(), hide(), dispose()}`; `show()` also
 * raises an already shown panel above a dialog opened since; `dispose()` ends the floating (its
 * owner left the page) and takes `el` out of the document.
 */
export function floatOnTop(el, home) {
  el.setAttribute("popover", "manual");
  const floater = { el, home, shown: false };
  floaters.add(floater);
  if (el.parentNode !== home) home.append(el);
  return {
    show() { floater.shown = true; place(floater); },
    hide() { floater.shown = false; if (el.matches(":popover-open")) el.hidePopover(); },
    dispose() { this.hide(); floaters.delete(floater); el.remove(); },
  };
}
