// Admin: users and their tokens, officers, duties, units, categories and the work calendar —
// the tables and the write forms the API offers (docs/administration.md). Only a district-wide
// admin may write; the server stays the judge: its problem+json `detail` is shown above the
// form and each of its field `errors` next to the field it names.
import { ApiError, CHANNELS, Category, categories, clearCache, del, get, post, request } from "./api";
import { Child, clear, h, nextId } from "./dom";
import { fmtTime, localDate, t } from "./i18n";

const ROLES = ["operator", "shift_leader", "dispatcher", "unit", "officer", "supervisor", "integration", "admin"];
const DUTIES = ["grid_officer", "road_chief", "sanitation"];
const LIMIT_UNITS = ["urgent_hour", "work_hour", "work_day", "natural_day"];
const TIMERS = ["dispatch", "acknowledgement", "check", "close"] as const;

interface UserRow { username: string; display_name: string; roles: string[]; scope: string; active: boolean; channels?: string[] }
interface Duty { id: number; duty: string; cell: string; cell_name?: string; from: string; to: string | null; in_force: boolean }
interface Officer { code: string; name: string; phone: string | null; active: boolean; duties: Duty[] }
interface Calendar {
  utc_offset: string; working_periods: { weekday: string; start: string; end: string }[];
  fixed_holidays?: string[]; holidays?: string[]; swapped_working_days?: string[];
}

function table(caption: string, heads: string[], rows: Child[][]): HTMLElement {
  return h("table", {}, h("caption", {}, caption), h("thead", {}, h("tr", {}, heads.map((x) => h("th", { scope: "col" }, x)))),
    h("tbody", {}, rows.map((r) => h("tr", {}, r.map((c) => h("td", {}, c))))));
}

/** A write form: labelled controls, each with a slot for the server's error about its field. */
/** `fields`: the names the server may use for it in `errors` (default: `name`). */
interface Control { name: string; label: string; el: HTMLInputElement | HTMLSelectElement | HTMLElement; hint?: string; fields?: string[] }
function input(type = "text", attrs: Record<string, unknown> = {}): HTMLInputElement {
  return h("input", { type, ...attrs });
}
function select(values: string[], attrs: Record<string, unknown> = {}, selected?: string): HTMLSelectElement {
  return h("select", attrs, values.map((v) => h("option", { value: v, selected: v === selected }, v)));
}
function checkboxes(name: string, values: string[], checked: string[] = []): HTMLElement {
  return h("span", { class: "checks", "data-name": name }, values.map((v) => {
    const id = nextId();
    return h("span", {}, h("input", { type: "checkbox", id, value: v, checked: checked.includes(v) }), h("label", { for: id }, v));
  }));
}
export function checkedValues(el: HTMLElement): string[] {
  return Array.from(el.querySelectorAll<HTMLInputElement>("input[type=checkbox]:checked"), (x) => x.value);
}

/** `conflict`: the field a 409 without `errors` is about (a taken username, per the API). */
function writeForm(title: string, controls: Control[], submitLabel: string,
                   send: () => Promise<unknown>, after: (r: unknown) => void | Promise<void>, conflict?: string): HTMLElement {
  const message = h("p", { class: "error", role: "alert" });
  const slots = new Map<string, HTMLElement>();
  const rows = controls.map((c) => {
    const id = c.el.id || (c.el.id = nextId());
    const err = h("small", { class: "field-error", id: `${id}-error`, "data-field": c.name });
    slots.set(c.name, err);
    c.el.setAttribute("aria-describedby", err.id);
    c.el.setAttribute("name", c.name);
    // A group of checkboxes is labelled as a group; anything else by its <label for>.
    const lab = c.el.tagName === "SPAN" ? h("span", { class: "label", id: `${id}-label` }, c.label) : h("label", { for: id }, c.label);
    if (c.el.tagName === "SPAN") { c.el.setAttribute("role", "group"); c.el.setAttribute("aria-labelledby", `${id}-label`); }
    return h("div", { class: "field" }, lab, c.el, c.hint ? h("small", {}, c.hint) : null, err);
  });
  const button = h("button", { type: "submit" }, submitLabel);
  const form = h("form", { class: "admin-form", "aria-label": title }, h("h2", {}, title), rows, button, message);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    message.textContent = "";
    for (const s of slots.values()) s.textContent = "";
    form.querySelectorAll("[aria-invalid]").forEach((x) => x.removeAttribute("aria-invalid"));
    button.disabled = true;
    try {
      const r = await send();
      message.textContent = "";
      await after(r);
    } catch (err) {
      message.textContent = `${t("failed")}: ${err instanceof Error ? err.message : String(err)}`;
      const errors = err instanceof ApiError && Array.isArray(err.problem?.errors)
        ? err.problem!.errors as { field: string; message: string }[]
        : err instanceof ApiError && err.status === 409 && conflict ? [{ field: conflict, message: err.message }] : [];
      for (const e of errors) {
        // `cells[0]` belongs to the `cells` field, `working_periods[2].end` to its list.
        const hit = (k: string) => e.field === k || e.field.startsWith(`${k}[`) || e.field.startsWith(`${k}.`);
        const key = controls.find((c) => (c.fields ?? [c.name]).some(hit))?.name;
        const slot = key ? slots.get(key)! : null;
        if (slot) {
          slot.textContent = slot.textContent ? `${slot.textContent}; ${e.message}` : e.message;
          controls.find((c) => c.name === key)!.el.setAttribute("aria-invalid", "true");
        } else {
          message.textContent += `; ${e.field}: ${e.message}`;
        }
      }
    } finally {
      button.disabled = false;
    }
  });
  return form;
}
const val = (el: HTMLElement) => (el as HTMLInputElement).value.trim();
const cellList = (el: HTMLElement) => val(el).split(/[\s,，]+/).filter(Boolean);
const rerender = (): void => { window.dispatchEvent(new HashChangeEvent("hashchange")); };

export async function adminScreen(main: HTMLElement, args: string[]): Promise<void> {
  const tabs = ["users", "officers", "duties", "units", "categories", "calendar"] as const;
  const tab = (tabs as readonly string[]).includes(args[1]) ? args[1] as typeof tabs[number] : "users";
  const body = h("div", {}, t("loading"));
  clear(main, h("h1", {}, t("navAdmin")), h("nav", { class: "tabs", "aria-label": t("navAdmin") },
    tabs.map((x) => h("a", { href: `#/admin/${x}`, "aria-current": x === tab ? "page" : undefined }, x === "duties" ? t("dutiesTab") : t(x)))), body);
  if (tab === "users") await usersTab(body, args[2]);
  else if (tab === "officers") await officersTab(body);
  else if (tab === "duties") await dutiesTab(body, args[2]);
  else if (tab === "units") await unitsTab(body); else if (tab === "categories") await categoriesTab(body);
  else await calendarTab(body);
}

// --- users: create, edit roles/scope/active, reset the password; the account's tokens.
async function usersTab(body: HTMLElement, selected?: string): Promise<void> {
  const r = await get<{ items: UserRow[] }>("/api/v1/users");
  const username = input("text", { autocomplete: "off", required: true });
  const display = input("text", { required: true });
  const roles = checkboxes("roles", ROLES);
  const scope = input("text", { value: "district" });
  const password = input("password", { autocomplete: "new-password" });
  const channels = checkboxes("channels", CHANNELS);
  const create = writeForm(t("newUser"), [
    { name: "username", label: t("username"), el: username },
    { name: "display_name", label: t("displayName"), el: display },
    { name: "roles", label: t("roles"), el: roles },
    { name: "scope", label: t("scope"), el: scope, hint: "district / grid:<code> / unit:<code> / officer:<code>" },
    { name: "password", label: t("password"), el: password, hint: "10–256" },
    { name: "channels", label: t("channel"), el: channels, hint: t("channelsHint") },
  ], t("create"), () => post("/api/v1/users", {
    ...(checkedValues(channels).length ? { channels: checkedValues(channels) } : {}),
    username: val(username), display_name: val(display), roles: checkedValues(roles), scope: val(scope) || "district",
    ...(val(password) ? { password: (password as HTMLInputElement).value } : {}),
  }), () => { location.hash = `#/admin/users/${encodeURIComponent(val(username))}`; }, "username");
  const detail = h("section", { class: "admin-detail", "aria-label": t("edit") });
  clear(body, h("div", { class: "admin-forms" }, create, detail),
    table(t("users"), [t("username"), t("name"), t("roles"), t("scope"), t("active"), t("actions")],
      r.items.map((u) => [u.username, u.display_name, u.roles.join(", "), u.scope, u.active ? "✓" : "—",
        h("a", { href: `#/admin/users/${encodeURIComponent(u.username)}`, "aria-label": `${t("edit")} ${u.username}` }, t("edit"))])));
  const user = r.items.find((u) => u.username === selected);
  if (user) await userDetail(detail, user);
}

async function userDetail(detail: HTMLElement, u: UserRow): Promise<void> {
  const path = `/api/v1/users/${encodeURIComponent(u.username)}`;
  const display = input("text", { value: u.display_name });
  const roles = checkboxes("roles", ROLES, u.roles);
  const scope = input("text", { value: u.scope });
  const active = input("checkbox", { checked: u.active });
  const channels = u.roles.includes("integration") ? checkboxes("channels", CHANNELS, u.channels ?? []) : null;
  const saved = h("p", { role: "status" });
  const edit = writeForm(`${t("edit")}: ${u.username}`, [
    { name: "display_name", label: t("displayName"), el: display },
    { name: "roles", label: t("roles"), el: roles },
    { name: "scope", label: t("scope"), el: scope },
    { name: "active", label: t("active"), el: active },
    ...(channels ? [{ name: "channels", label: t("channel"), el: channels }] : []),
  ], t("save"), () => {
    // Only what changed: a change of roles, scope, channels or active revokes the account's tokens.
    const patch: Record<string, unknown> = {};
    if (val(display) !== u.display_name) patch.display_name = val(display);
    const r = checkedValues(roles);
    if ([...r].sort().join() !== [...u.roles].sort().join()) patch.roles = r;
    if (val(scope) !== u.scope) patch.scope = val(scope);
    if (active.checked !== u.active) patch.active = active.checked;
    if (channels && [...checkedValues(channels)].sort().join() !== [...(u.channels ?? [])].sort().join()) patch.channels = checkedValues(channels);
    return request("PATCH", path, patch);
  }, rerender);
  const pw = input("password", { autocomplete: "new-password", required: true });
  const reset = writeForm(t("resetPassword"), [{ name: "password", label: t("newPassword"), el: pw, hint: "10–256" }],
    t("save"), () => request("PATCH", path, { password: pw.value }), () => { pw.value = ""; saved.textContent = t("saved"); });
  // Tokens: listed without the tokens themselves; a new one is shown once.
  const tokens = h("div", {}, t("loading"));
  const kind = select(u.roles.includes("integration") ? ["integration"] : ["kiosk"]);
  const label = input("text", { maxlength: 100 });
  const days = input("number", { min: 1, max: 730, value: 365 });
  const shown = h("div", { role: "status" });
  const issue = writeForm(t("issueToken"), [
    { name: "kind", label: t("kind"), el: kind },
    { name: "label", label: t("label"), el: label },
    { name: "expires_in_days", label: t("expiresDays"), el: days },
  ], t("issueToken"), () => post<{ id: number; token: string }>(`${path}/tokens`, {
    kind: (kind as HTMLSelectElement).value, ...(val(label) ? { label: val(label) } : {}), expires_in_days: Number(days.value) || 365,
  }), async (r) => {
    const tok = r as { id: number; token: string };
    clear(shown, h("p", {}, t("tokenOnce")), h("code", { class: "token", "data-token-id": tok.id }, tok.token));
    await listTokens();
  });
  async function listTokens(): Promise<void> {
    const list = await get<{ items: { id: number; kind: string; label: string | null; created_at: string; expires_at: string; revoked_at: string | null }[] }>(`${path}/tokens`);
    clear(tokens, table(`${t("tokens")}: ${u.username}`, ["id", t("kind"), t("label"), t("created"), t("expires"), t("revoked")],
      list.items.map((x) => [String(x.id), x.kind, x.label ?? "—", fmtTime(x.created_at), x.expires_at.slice(0, 10),
        x.revoked_at ? fmtTime(x.revoked_at) : h("button", {
          type: "button", "data-revoke": x.id, "aria-label": `${t("revoke")} ${x.id}`,
          onclick: async (ev: Event) => {
            (ev.currentTarget as HTMLButtonElement).disabled = true;
            try { await del(`${path}/tokens/${x.id}`); } catch (err) { shown.textContent = String(err); }
            await listTokens();
          },
        }, t("revoke"))])));
  }
  clear(detail, edit, reset, saved, h("h2", {}, t("tokens")), tokens, issue, shown);
  await listTokens();
}

// --- officers: create and edit (name, phone, active).
async function officersTab(body: HTMLElement): Promise<void> {
  // Every officer, page by page (the district has 400).
  const r: { items: Officer[] } = { items: [] };
  for (let cursor: string | null = ""; cursor !== null;) {
    const page: { items: Officer[]; next_cursor: string | null } = await get(`/api/v1/officers?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    r.items.push(...page.items);
    cursor = page.next_cursor;
  }
  // Duties in force today: how many cells of each duty the officer holds.
  const duties = (o: { duties: { duty: string; in_force: boolean; cells?: number }[] }) => {
    const n = new Map<string, number>();
    for (const d of o.duties) if (d.in_force !== false) n.set(d.duty, (n.get(d.duty) ?? 0) + (d.cells ?? 1));
    return [...n].map(([d, k]) => `${d} × ${k}`).join(", ") || "—";
  };
  const code = input("text", { required: true }), name = input("text", { required: true }), phone = input("tel");
  const create = writeForm(t("newOfficer"), [
    { name: "code", label: t("officerCode"), el: code }, { name: "name", label: t("name"), el: name },
    { name: "phone", label: t("phone"), el: phone },
  ], t("create"), () => post("/api/v1/officers", { code: val(code), name: val(name), ...(val(phone) ? { phone: val(phone) } : {}) }), rerender, "code");
  const ecode = select(r.items.map((o) => o.code)), ename = input("text"), ephone = input("tel");
  const eactive = select(["", "true", "false"]);
  const edit = writeForm(t("editOfficer"), [
    { name: "code", label: t("officerCode"), el: ecode }, { name: "name", label: t("name"), el: ename },
    { name: "phone", label: t("phone"), el: ephone }, { name: "active", label: t("active"), el: eactive },
  ], t("save"), () => request("PATCH", `/api/v1/officers/${encodeURIComponent((ecode as HTMLSelectElement).value)}`, {
    ...(val(ename) ? { name: val(ename) } : {}), ...(ephone.value !== "" ? { phone: val(ephone) } : {}),
    ...((eactive as HTMLSelectElement).value ? { active: (eactive as HTMLSelectElement).value === "true" } : {}),
  }), rerender);
  clear(body, h("div", { class: "admin-forms" }, create, edit),
    table(t("officers"), [t("officerCode"), t("name"), t("phone"), t("duties"), t("active")],
      r.items.map((o) => [o.code, o.name, o.phone ?? "—", duties(o as never), o.active ? "✓" : "—"])));
}

// --- units: create and edit (name, type, scope, active).
async function unitsTab(body: HTMLElement): Promise<void> {
  const r = await get<{ items: { code: string; name: string; type: string; scope: string; scope_name: string; active: boolean }[] }>("/api/v1/units");
  const code = input("text", { required: true }), name = input("text", { required: true });
  const type = input("text", { required: true }), scope = input("text", { required: true, value: "150203" });
  const create = writeForm(t("newUnit"), [
    { name: "code", label: t("unit"), el: code }, { name: "name", label: t("name"), el: name },
    { name: "type", label: t("type"), el: type, hint: "sanitation, municipal_works, …" },
    { name: "scope", label: t("scope"), el: scope, hint: t("unitScopeHint") },
  ], t("create"), () => post("/api/v1/units", { code: val(code), name: val(name), type: val(type), scope: val(scope) }), () => { clearCache(); rerender(); }, "code");
  const ecode = select(r.items.map((u) => u.code)) as HTMLSelectElement, ename = input("text"), etype = input("text"), escope = input("text");
  const eactive = select(["", "true", "false"]) as HTMLSelectElement;
  const edit = writeForm(t("editUnit"), [
    { name: "code", label: t("unit"), el: ecode }, { name: "name", label: t("name"), el: ename },
    { name: "type", label: t("type"), el: etype }, { name: "scope", label: t("scope"), el: escope },
    { name: "active", label: t("active"), el: eactive },
  ], t("save"), () => request("PATCH", `/api/v1/units/${encodeURIComponent(ecode.value)}`, {
    ...(val(ename) ? { name: val(ename) } : {}), ...(val(etype) ? { type: val(etype) } : {}),
    ...(val(escope) ? { scope: val(escope) } : {}), ...(eactive.value ? { active: eactive.value === "true" } : {}),
  }), () => { clearCache(); rerender(); });
  clear(body, h("div", { class: "admin-forms" }, create, edit), table(t("units"), [t("unit"), t("name"), t("type"), t("scope"), t("active")],
    r.items.map((u) => [u.code, u.name, u.type, `${u.scope_name} ${u.scope}`, u.active ? "✓" : "—"])));
}

// --- duties: assign an officer to cells, hand cells over, end a duty (from an officer's list).
async function dutiesTab(body: HTMLElement, officerCode?: string): Promise<void> {
  const officer = input("text", { required: true }), duty = select(DUTIES), cells = input("text", { required: true });
  const from = input("date", { value: localDate() });
  const assign = writeForm(t("assignDuty"), [
    { name: "officer", label: t("officer"), el: officer }, { name: "duty", label: t("duty"), el: duty },
    { name: "cells", label: t("cells"), el: cells }, { name: "from", label: t("from"), el: from },
  ], t("submit"), () => post("/api/v1/duties", {
    officer: val(officer), duty: (duty as HTMLSelectElement).value, cells: cellList(cells), ...(val(from) ? { from: val(from) } : {}),
  }), () => { location.hash = `#/admin/duties/${encodeURIComponent(val(officer))}`; });
  const to = input("text", { required: true }), hduty = select(DUTIES), hcells = input("text", { required: true });
  const on = input("date", { value: localDate() });
  const handover = writeForm(t("handover"), [
    { name: "to", label: t("toOfficer"), el: to }, { name: "duty", label: t("duty"), el: hduty },
    { name: "cells", label: t("cells"), el: hcells }, { name: "on", label: t("on"), el: on },
  ], t("submit"), () => post("/api/v1/duties/handover", {
    to: val(to), duty: (hduty as HTMLSelectElement).value, cells: cellList(hcells), ...(val(on) ? { on: val(on) } : {}),
  }), () => { location.hash = `#/admin/duties/${encodeURIComponent(val(to))}`; });
  const look = input("text", { value: officerCode ?? "" });
  const lookup = h("form", { class: "admin-form", "aria-label": t("officerDuties"), onsubmit: (ev: Event) => {
    ev.preventDefault();
    location.hash = `#/admin/duties/${encodeURIComponent(val(look))}`;
  } }, h("h2", {}, t("officerDuties")), h("div", { class: "field" }, h("label", { for: look.id = nextId() }, t("officerCode")), look),
    h("button", { type: "submit" }, t("show")));
  const list = h("div", {});
  clear(body, h("div", { class: "admin-forms" }, assign, handover, lookup), list);
  if (!officerCode) return;
  const message = h("p", { class: "error", role: "alert" });
  try {
    const o = await get<Officer>(`/api/v1/officers/${encodeURIComponent(officerCode)}`);
    const endOn = input("date", { value: localDate() });
    clear(list, h("div", { class: "field admin-end" }, h("label", { for: endOn.id = nextId() }, `${t("endDuty")} — ${t("on")}`), endOn), message,
      table(`${o.code} ${o.name}`, [t("dutyId"), t("duty"), t("cell"), t("from"), t("end"), t("active"), t("actions")],
        o.duties.map((d) => [String(d.id), d.duty, `${d.cell} ${d.cell_name ?? ""}`, d.from, d.to ?? "—", d.in_force ? "✓" : "—",
          d.to && d.to <= localDate() ? "" : h("button", {
            type: "button", "data-end": d.id, "aria-label": `${t("endDuty")} ${d.id}`,
            onclick: async () => {
              try {
                await post(`/api/v1/duties/${d.id}/end`, val(endOn) ? { on: val(endOn) } : {});
                rerender();
              } catch (err) { message.textContent = `${t("failed")}: ${err instanceof Error ? err.message : String(err)}`; }
            },
          }, t("endDuty"))])));
  } catch (err) {
    clear(list, h("p", { class: "error", role: "alert" }, err instanceof Error ? err.message : String(err)));
  }
}

// --- categories: the table and each category's stage time limits.
async function categoriesTab(body: HTMLElement): Promise<void> {
  const list = await categories();
  const key = select(list.map((c) => c.key));
  const controls: Control[] = [{ name: "key", label: t("category"), el: key }];
  const limits = TIMERS.map((timer) => {
    const value = input("number", { min: 1 }), unit = select(["", ...LIMIT_UNITS]);
    controls.push({ name: timer, label: `${timer} — ${t("value")}`, el: value }, { name: `${timer}.unit`, label: `${timer} — ${t("timeUnit")}`, el: unit });
    return { timer, value, unit: unit as HTMLSelectElement };
  });
  const form = writeForm(t("timeLimits"), controls, t("save"), () => {
    const bodyJson: Record<string, unknown> = {};
    for (const l of limits) if (l.value.value && l.unit.value) bodyJson[l.timer] = { value: Number(l.value.value), unit: l.unit.value };
    return request("PUT", `/api/v1/categories/${encodeURIComponent((key as HTMLSelectElement).value)}/time-limits`, bodyJson);
  }, () => { clearCache(); rerender(); });
  const fill = () => {
    const c = list.find((x) => x.key === (key as HTMLSelectElement).value) as (Category & { time_limits?: Record<string, { value: number; unit: string }> }) | undefined;
    for (const l of limits) {
      const cur = c?.time_limits?.[l.timer];
      l.value.value = cur ? String(cur.value) : "";
      l.unit.value = cur?.unit ?? "";
    }
  };
  key.addEventListener("change", fill);
  fill();
  const fmt = (c: Category & { time_limits?: Record<string, { value: number; unit: string }> }) =>
    Object.entries(c.time_limits ?? {}).map(([k, v]) => `${k}: ${v.value} ${v.unit}`).join(", ") || "—";
  clear(body, h("div", { class: "admin-forms" }, form), table(t("categories"), [t("category"), t("name"), t("conditions"), t("timeLimits")],
    list.map((c) => [c.key, c.name, h("ul", {}, c.conditions.map((x) => h("li", {}, `${x.id}: ${x.text} — ${x.limit.value} ${x.limit.unit}, ${x.unit_type}`))), fmt(c)])));
}

// --- the work calendar: add or remove a holiday or a swapped working day (PUT of the whole).
async function calendarTab(body: HTMLElement): Promise<void> {
  const c = await get<Calendar>("/api/v1/calendar");
  const put = (next: Calendar) => request<Calendar>("PUT", "/api/v1/calendar", next);
  const date = input("date", { required: true }), kind = select(["holidays", "swapped_working_days"]) as HTMLSelectElement;
  kind.options[0].textContent = t("holiday");
  kind.options[1].textContent = t("workingDay");
  const add = writeForm(t("addDay"), [
    { name: "date", label: t("date"), el: date, fields: ["date", "holidays", "swapped_working_days"] }, { name: "kind", label: t("kind"), el: kind },
  ], t("addDay"), () => {
    const k = kind.value as "holidays" | "swapped_working_days";
    const next: Calendar = { ...c, [k]: [...new Set([...(c[k] ?? []), val(date)])].sort() };
    return put(next);
  }, rerender);
  const message = h("p", { class: "error", role: "alert" });
  const days = (k: "holidays" | "swapped_working_days", title: string) => table(title, [t("date"), t("actions")],
    (c[k] ?? []).map((d) => [d, h("button", { type: "button", "data-remove": d, "aria-label": `${t("remove")} ${d}`, onclick: async () => {
      try { await put({ ...c, [k]: (c[k] ?? []).filter((x) => x !== d) }); rerender(); }
      catch (err) { message.textContent = `${t("failed")}: ${err instanceof Error ? err.message : String(err)}`; }
    } }, t("remove"))]));
  clear(body, h("div", { class: "admin-forms" }, add), message, h("p", {}, `UTC${c.utc_offset}`),
    table(t("workingPeriods"), [t("day"), t("start"), t("end")], c.working_periods.map((p) => [p.weekday, p.start, p.end])),
    h("p", {}, `${t("holidays")} (MM-DD): ${(c.fixed_holidays ?? []).join(", ") || "—"}`),
    days("holidays", t("holidays")), days("swapped_working_days", t("swappedDays")));
}
