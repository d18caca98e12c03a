// The case page: map (cell polygon and point), photos, timeline, and one form per action the
// server allows now (allowed_actions), sent with If-Match so that a stale case is caught.
import * as L from "leaflet";
import { ApiError, Attachment, Case, Category, categories, cached, del, get, post, request } from "./api";
import { Child, clear, field, h, lightDot } from "./dom";
import { actionName, channelName, fmtTime, statusName, t } from "./i18n";
import { hasRole, onLeave, state } from "./state";
import { gridNode, makeMap } from "./map";
import { onFeed } from "./alerts";

type Param = "note" | "reason" | "reason*" | "unit*" | "assignee" | "category" | "result_verify" |
  "result_check" | "photo" | "until" | "until*" | "into*" | "lon" | "lat" | "address" | "reached" |
  "satisfaction" | "note*";
const SPEC: Record<string, Param[]> = {
  locate: ["lon", "lat", "address"], request_verification: ["note"],
  verify: ["result_verify", "photo", "note"], withdraw_verification: ["note"],
  register: ["category", "note"], reject: ["reason*"], dispatch: ["unit*", "assignee", "note"],
  acknowledge: ["assignee", "note"], return: ["reason*"], reassign: ["unit*", "note"], urge: ["note"],
  request_extension: ["reason", "note"], approve_extension: ["note"], deny_extension: ["note"],
  request_suspension: ["reason", "until*"], suspend: ["until", "reason"], resume: ["note"],
  complete: ["note", "photo"], check: ["result_check", "photo", "note"], rework: ["reason", "note"],
  reply: ["note*"], close: ["note"], callback: ["reached", "satisfaction"], reopen: ["reason", "note"],
  merge: ["into*", "note"],
};
let claimRoute = true;  // the claim route may not exist yet: a 404 hides the feature

export function runningLight(c: Case): string | null {
  const order = ["red", "yellow", "green"];
  const lights = c.timers.filter((x) => x.running && x.light).map((x) => x.light as string);
  return order.find((l) => lights.includes(l)) ?? null;
}

export async function caseScreen(main: HTMLElement, args: string[]): Promise<void> {
  const caseNo = args[1];
  const status = h("p", { class: "notice", role: "status" });
  clear(main, h("p", {}, t("loading")));
  let c: Case;
  try {
    c = await get<Case>(`/api/v1/cases/${caseNo}`);
  } catch (err) {
    clear(main, h("p", { class: "error", role: "alert" }, err instanceof ApiError && err.status === 404 ? `${caseNo}: 404` : String(err)));
    return;
  }
  const reload = () => void caseScreen(main, args);
  const light = runningLight(c);
  const dl = (pairs: [string, Child][]) => h("dl", {}, pairs.map(([k, v]) => [h("dt", {}, k), h("dd", {}, v ?? "—")]));
  const reporter = c.reporter ? `${c.reporter.name ?? ""} ${c.reporter.phone ?? ""}`.trim() : null;
  const mapEl = h("div", { class: "map small" });
  const photos = h("div", { class: "photos" });
  const claimBox = h("div", { class: "claim" });
  const actions = h("div", { class: "actions" }, c.allowed_actions.map((a) => actionForm(c, a, status, reload)));
  clear(main,
    h("h1", { "data-status": c.status }, lightDot(light, light ? t(light as "green") : t("none")), ` ${c.case_no} · ${statusName(c.status)}`),
    status, claimBox,
    h("div", { class: "case-grid" },
      h("section", { "aria-labelledby": "h-detail" }, h("h2", { id: "h-detail" }, t("description")),
        dl([[t("description"), c.description ?? ""], [t("channel"), channelName(c.channel)],
          [t("address"), c.address ?? "—"],
          [t("cell"), c.cell ? `${c.street?.name ?? ""} ${c.community?.name ?? ""} ${c.cell.code}` : "—"],
          [t("category"), c.category ? `${c.category} ${c.category_name ?? ""} ${c.condition ?? ""}` : "—"],
          [t("unit"), c.unit ? `${c.unit.name ?? c.unit.code}${c.assignee ? ` / ${c.assignee}` : ""}` : "—"],
          [t("reporter"), reporter], [t("received"), fmtTime(c.received_at)],
          [t("deadline"), fmtTime(c.handling_deadline)]]),
        h("h2", {}, t("actions")), c.allowed_actions.length ? actions : h("p", {}, t("none"))),
      h("section", { "aria-labelledby": "h-map" }, h("h2", { id: "h-map" }, t("map")), mapEl,
        h("h2", {}, t("photos")), photos),
      h("section", { "aria-labelledby": "h-timeline", class: "timeline" }, h("h2", { id: "h-timeline" }, t("timeline")),
        h("ol", {}, (c.events ?? []).map((e) => h("li", {},
          h("time", { datetime: e.at }, fmtTime(e.at)), " ", h("strong", {}, actionName(e.action)),
          e.from !== e.to && e.to ? ` ${statusName(e.from ?? "")} → ${statusName(e.to)}` : "",
          e.actor ? ` · ${e.actor}` : "", e.note ? h("div", { class: "note" }, e.note) : null))))));

  // Map: the cell's polygon and the point.
  const map = makeMap(mapEl, `${t("map")} ${c.case_no}`);
  onLeave(() => map.remove());
  if (c.cell) {
    gridNode(c.cell.code).then((node) => {
      if (!node.geometry) return;
      const layer = L.geoJSON(node.geometry as GeoJSON.GeoJsonObject, { style: { color: "#1565c0", weight: 2, fillOpacity: 0.15 } }).addTo(map);
      map.fitBounds(layer.getBounds().pad(1.5));
    }).catch(() => undefined);
  }
  if (c.lon != null && c.lat != null) {
    L.circleMarker([c.lat, c.lon], { radius: 7, color: "#c62828", fillOpacity: 0.9 }).addTo(map);
    if (!c.cell) map.setView([c.lat, c.lon], 16);
  }
  // Photos.
  get<{ items: Attachment[] }>(`/api/v1/cases/${c.case_no}/attachments`).then((r) => {
    clear(photos, r.items.length ? r.items.map((a) => h("a", { href: a.urls.full, target: "_blank", rel: "noopener" },
      h("img", { src: a.urls.thumbnail, alt: `${t("photos")} ${a.stage ?? ""} ${fmtTime(a.uploaded_at)}`, loading: "lazy" })))
      : h("p", {}, t("none")));
  }).catch(() => clear(photos, h("p", {}, t("none"))));
  // The claim: shown to every desk; taken and released by operators, shift leaders and dispatchers.
  const me = state.session?.user.username;
  const drawClaim = () => {
    const final = c.status === "closed" || c.status === "rejected";
    if (!claimRoute || final) { clear(claimBox); return; }
    const holder = c.claim && new Date(c.claim.claimed_until).getTime() > Date.now() ? c.claim : null;
    const can = hasRole("operator", "shift_leader", "dispatcher");
    clear(claimBox,
      holder ? h("p", { class: holder.claimed_by === me ? "notice" : "warning" }, `${t("claimedBy")}${holder.claimed_by}`) : null,
      can && (!holder || holder.claimed_by === me) ? h("button", { type: "button", onclick: async () => {
        try {
          if (holder) { await del(`/api/v1/cases/${c.case_no}/claim`); c.claim = null; }
          else c.claim = await post(`/api/v1/cases/${c.case_no}/claim`, {});
        } catch (err) {
          if (err instanceof ApiError && err.status === 404) { claimRoute = false; clear(claimBox); return; }
          status.textContent = err instanceof ApiError && err.status === 409 ? t("claimTaken") : String(err);
        }
        drawClaim();
      } }, holder ? t("release") : t("claim")) : null);
  };
  if (c.claim !== undefined) drawClaim();
  // Someone else changed this case: say so and reload.
  const off = onFeed((e) => {
    if (e.case_no !== c.case_no || e.actor === me) return;
    // Reload at once unless the user is filling in a form: then say so and offer the reload
    // (a submit with the old version answers 412, which reloads as well).
    if (!main.querySelector("details.action-box[open]")) { status.textContent = t("stale"); setTimeout(reload, 800); return; }
    clear(status, t("stale").replace(/[，,].*$/, ""), " ", h("button", { type: "button", onclick: reload }, t("reload")));
  });
  onLeave(off);
}

function actionForm(c: Case, action: string, status: HTMLElement, reload: () => void): HTMLElement {
  const params = SPEC[action] ?? ["note"];
  const form = h("form", { class: "action", "data-action": action });
  const controls: Record<string, HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement> = {};
  const add = (name: string, label: string, control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement, extra?: Child) => {
    control.name = name;
    controls[name] = control;
    form.append(field(label, control), ...(extra ? [h("div", {}, extra)] : []));
  };
  for (const p of params) {
    const required = p.endsWith("*");
    const name = p.replace("*", "");
    if (name === "note" || name === "reason") {
      const ta = h("textarea", { rows: 2, maxlength: 2000, required });
      add(name, t(name as "note"), ta);
    } else if (name === "result_verify" || name === "result_check") {
      const values = name === "result_verify" ? ["confirmed", "not_found"] : ["passed", "failed"];
      add("result", t("result"), h("select", {}, values.map((v) => h("option", { value: v }, v))));
    } else if (name === "photo") {
      const input = h("input", { type: "file", accept: "image/*", capture: "environment", multiple: true });
      add("photo", t("uploadPhoto"), input);
    } else if (name === "until") {
      add("until", t("until"), h("input", { type: "datetime-local", required }));
    } else if (name === "into") {
      add("into", t("into"), h("input", { required, pattern: "\\d{6}-\\d{8}-\\d{6}" }));
    } else if (name === "lon" || name === "lat") {
      add(name, t(name), h("input", { inputmode: "decimal", value: String((name === "lon" ? c.lon : c.lat) ?? "") }));
    } else if (name === "address") {
      add("address", t("address"), h("input", { maxlength: 200, value: c.address ?? "" }));
    } else if (name === "assignee") {
      add("assignee", t("assignee"), h("select", {}, h("option", { value: "" }, "—")));
    } else if (name === "reached") {
      add("reached", t("reached"), h("select", {}, h("option", { value: "true" }, t("yes")), h("option", { value: "false" }, t("no"))));
    } else if (name === "satisfaction") {
      add("satisfaction", t("satisfaction"), h("select", {}, h("option", { value: "" }, "—"),
        ["satisfied", "basically_satisfied", "dissatisfied"].map((v) => h("option", { value: v }, v))));
    } else if (name === "category") {
      const cat = h("select", { required: true });
      const cond = h("select", { required: true });
      const info = h("small", { class: "hint" });
      add("category", t("category"), cat);
      add("condition", t("condition"), cond, info);
      void categoryPicker(cat, cond, info, c.category ?? undefined);
    } else if (name === "unit") {
      const unit = h("select", { required: true });
      const why = h("ol", { class: "suggestions", "aria-label": t("suggestions") });
      add("unit", t("unit"), unit, why);
      void unitPicker(c, unit, why);
    }
  }
  // The assignee is one of the chosen unit's staff (GET /api/v1/units/{code}/staff).
  const assignee = controls.assignee as HTMLSelectElement | undefined;
  if (assignee) {
    const staff = async (unit: string | undefined) => {
      clear(assignee, h("option", { value: "" }, "—"));
      if (!unit) return;
      try {
        const r = await cached<{ items: { username: string; display_name: string }[] }>(`/api/v1/units/${unit}/staff`);
        assignee.append(...r.items.map((p) => h("option", { value: p.username }, `${p.display_name} (${p.username})`)));
      } catch { /* no staff list: unassigned */ }
    };
    const unit = controls.unit as HTMLSelectElement | undefined;
    if (unit) {
      unit.addEventListener("change", () => void staff(unit.value));
      unit.addEventListener("units-ready", () => void staff(unit.value));
    } else {
      void staff(c.unit?.code);
    }
  }
  const message = h("p", { class: "error", role: "alert" });
  const button = h("button", { type: "submit" }, actionName(action));
  form.append(message, button);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    button.disabled = true;
    message.textContent = "";
    try {
      const body: Record<string, unknown> = {};
      for (const [k, ctl] of Object.entries(controls)) {
        if (k === "photo") {
          const files = (ctl as HTMLInputElement).files;
          if (files && files.length) {
            body.attachments = [];
            for (const f of Array.from(files)) {
              const a = await request<Attachment>("POST", `/api/v1/cases/${c.case_no}/attachments`, f);
              (body.attachments as string[]).push(a.id);
            }
          }
          continue;
        }
        const v = ctl.value.trim();
        if (!v) continue;
        if (k === "lon" || k === "lat") body[k] = Number(v);
        else if (k === "reached") body[k] = v === "true";
        else if (k === "until") body[k] = new Date(v).toISOString();
        else body[k] = v;
      }
      await post(`/api/v1/cases/${c.case_no}/actions/${action}`, body, { "If-Match": `"${c.version}"` });
      status.textContent = `${actionName(action)}: ${t("done")}`;
      reload();
    } catch (err) {
      button.disabled = false;
      if (err instanceof ApiError && (err.status === 412 || (err.status === 409 && /version|concurrent|changed/i.test(err.message)))) {
        status.textContent = t("stale");
        message.textContent = t("stale");
        setTimeout(reload, 1500);
        return;
      }
      const errors = (err instanceof ApiError && Array.isArray(err.problem?.errors))
        ? (err.problem!.errors as { field: string; message: string }[]).map((x) => ` ${x.field}: ${x.message}`).join(";") : "";
      message.textContent = `${t("failed")}: ${err instanceof Error ? err.message : String(err)}${errors}`;
    }
  });
  return h("details", { class: "action-box" }, h("summary", {}, actionName(action)), form);
}

export async function categoryPicker(cat: HTMLSelectElement, cond: HTMLSelectElement, info: HTMLElement,
                                     initial?: string): Promise<Category[]> {
  const list = (await categories()).filter((x) => !x.retired_at);
  clear(cat, h("option", { value: "" }, "—"), list.map((x) => h("option", { value: x.key }, `${x.key} ${x.name}`)));
  const fill = () => {
    const found = list.find((x) => x.key === cat.value);
    const conds = (found?.conditions ?? []).filter((x) => !x.retired_at);
    clear(cond, conds.map((x) => h("option", { value: x.id }, `${x.text} (${x.limit.value} ${x.limit.unit})`)));
    const showInfo = () => {
      const x = conds.find((y) => y.id === cond.value);
      info.textContent = x ? `${t("limit")}: ${x.limit.value} ${x.limit.unit} · ${t("unit")}: ${x.unit_type} · ${x.close_when}` : "";
    };
    cond.onchange = showInfo;
    showInfo();
  };
  cat.addEventListener("change", fill);
  if (initial) cat.value = initial;
  fill();
  return list;
}

async function unitPicker(c: Case, unit: HTMLSelectElement, why: HTMLElement): Promise<void> {
  interface Suggestion { rank: number; unit: string; name: string; reason: string }
  let suggestions: Suggestion[] = [];
  try {
    suggestions = (await get<{ suggestions: Suggestion[] }>(`/api/v1/cases/${c.case_no}/suggestions`)).suggestions;
  } catch { /* none */ }
  let units: { code: string; name: string; active: boolean }[] = [];
  try { units = (await cached<{ items: typeof units }>("/api/v1/units")).items.filter((u) => u.active); } catch { /* none */ }
  const suggested = new Set(suggestions.map((s) => s.unit));
  clear(unit,
    suggestions.length ? h("optgroup", { label: t("suggestions") }, suggestions.map((s) => h("option", { value: s.unit }, `${s.rank}. ${s.name}`))) : null,
    h("optgroup", { label: t("units") }, units.filter((u) => !suggested.has(u.code)).map((u) => h("option", { value: u.code }, `${u.name} (${u.code})`))));
  clear(why, suggestions.slice(0, 3).map((s) => h("li", {}, h("strong", {}, s.name), ` — ${s.reason}`)));
  unit.dispatchEvent(new Event("units-ready"));
}
