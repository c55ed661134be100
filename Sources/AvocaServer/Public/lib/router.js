// Hash routes: #/desk, #/desk/<call id>, #/customers/<id>, #/jobs?customer_id=…, #/signin …

/** The current route: {name, rest: [segments], params: URLSearchParams}. */
export function currentRoute() {
  const raw = location.hash.replace(/^#/, "") || "/";
  const [path, query] = raw.split("?");
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  return { name: parts[0] || "", rest: parts.slice(1), params: new URLSearchParams(query || "") };
}

/** Goes to `hash` (e.g. "#/customers"); re-routes even when already there. */
export function navigate(hash, { replace = false } = {}) {
  if (location.hash === hash) { dispatchEvent(new HashChangeEvent("hashchange")); return; }
  if (replace) { history.replaceState(null, "", hash); dispatchEvent(new HashChangeEvent("hashchange")); }
  else location.hash = hash;
}

/** Builds "#/name/a/b?x=1" with encoded segments; empty params are left out. */
export function link(segments, params = {}) {
  const path = "#/" + segments.map((s) => encodeURIComponent(s)).join("/");
  const query = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== "")).toString();
  return query ? `${path}?${query}` : path;
}
