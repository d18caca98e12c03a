// Operator intake (every channel, its own fields) and the officer's report from the street:
// the point picked on the map or typed (→ /grid/locate shows the cell), the category picker
// with filing conditions and limits, and the open cases of that cell shown before submitting.
import * as L from "leaflet";
import { ApiError, Attachment, CHANNELS, Case, CaseSummary, Location, OPEN_STATUSES, Page, get, post, query, request } from "./api";
import { clear, field, h } from "./dom";
import { channelName, fmtTime, statusName, t } from "./i18n";
import { hasRole, onLeave } from "./state";
import { categoryPicker } from "./case";
import { drawOutline, gridNode, makeMap } from "./map";

function localInput(d: Date): string {
  const z = new Date(d.getTime() - d.getTimezoneOffset() * 60000);
  return z.toISOString().slice(0, 16);
}

function randomKey(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

export async function intakeScreen(main: HTMLElement, args: string[]): Promise<void> {
  const officer = args[0] === "report-problem" || (hasRole("officer") && !hasRole("operator"));
  const channel = h("select", { name: "channel" }, (officer ? ["patrol"] : CHANNELS.filter((c) => c !== "patrol"))
    .map((c) => h("option", { value: c }, channelName(c))));
  const description = h("textarea", { name: "description", rows: 3, required: true, maxlength: 2000 });
  const address = h("input", { name: "address", maxlength: 200 });
  const lon = h("input", { name: "lon", inputmode: "decimal" });
  const lat = h("input", { name: "lat", inputmode: "decimal" });
  const locateBtn = h("button", { type: "button" }, t("locate"));
  const geoBtn = h("button", { type: "button" }, t("useLocation"));
  const where = h("p", { class: "where", role: "status" });
  const addressHits = h("ul", { class: "address-hits", "aria-label": t("address") });
  const cat = h("select", { name: "category" });
  const cond = h("select", { name: "condition", "aria-describedby": "cond-info" });
  const condInfo = h("small", { id: "cond-info", class: "hint" });
  const name = h("input", { name: "reporter_name", maxlength: 50, autocomplete: "off" });
  const phone = h("input", { name: "reporter_phone", type: "tel", autocomplete: "off" });
  const confidential = h("input", { name: "confidential", type: "checkbox", id: "f-conf" });
  const callStart = h("input", { name: "call_started", type: "datetime-local", value: localInput(new Date()) });
  const callEnd = h("input", { name: "call_ended", type: "datetime-local" });
  const callOperator = h("input", { name: "call_operator", maxlength: 50, value: "" });
  const subject = h("input", { name: "letter_subject", maxlength: 200 });
  const body = h("textarea", { name: "letter_body", rows: 4, maxlength: 20000 });
  const officerCode = h("input", { name: "officer", maxlength: 32 });
  const photo = h("input", { name: "photo", type: "file", accept: "image/*", capture: "environment", multiple: true });
  const dupes = h("div", { class: "dupes", "aria-live": "polite" });
  const message = h("p", { class: "error", role: "alert" });
  const result = h("p", { class: "notice", role: "status" });
  const reporterBox = h("fieldset", {}, h("legend", {}, t("reporter")), field(t("reporter"), name), field(t("phone"), phone),
    h("div", { class: "field check" }, confidential, h("label", { for: "f-conf" }, t("confidential"))));
  const callBox = h("fieldset", {}, h("legend", {}, t("call")), field(t("callStart"), callStart), field(t("callEnd"), callEnd),
    field(t("callOperator"), callOperator));
  const letterBox = h("fieldset", {}, h("legend", {}, t("letter")), field(t("letterSubject"), subject), field(t("letterBody"), body));
  const patrolBox = h("fieldset", {}, h("legend", {}, t("photos")), hasRole("officer") ? null : field(t("officerCode"), officerCode),
    field(`${t("uploadPhoto")} / ${t("camera")}`, photo));
  const mapEl = h("div", { class: "map" });
  const form = h("form", { class: "intake", "aria-label": t("navIntake") },
    field(t("channel"), channel), field(t("description"), description),
    h("fieldset", {}, h("legend", {}, t("map")), h("p", { class: "hint" }, t("locateHint")),
      h("div", { class: "inline" }, field(t("lon"), lon), field(t("lat"), lat), locateBtn, geoBtn), where,
      field(t("address"), address), addressHits),
    field(t("category"), cat), field(t("condition"), cond), condInfo,
    reporterBox, callBox, letterBox, patrolBox, dupes, message,
    h("button", { type: "submit", class: "primary" }, t("submit")), result);
  clear(main, h("h1", {}, officer ? t("navReportProblem") : t("navIntake")), h("div", { class: "intake-grid" }, form, mapEl));

  const sync = () => {
    const ch = channel.value;
    const hotline = ch === "hotline_12319" || ch === "hotline_12345" || ch === "mayor_hotline";
    callBox.hidden = !hotline;
    letterBox.hidden = ch !== "mayor_mailbox";
    patrolBox.hidden = ch !== "patrol";
    reporterBox.hidden = ch === "patrol" || ch === "video";
    phone.required = hotline;
  };
  channel.addEventListener("change", sync);
  sync();
  void categoryPicker(cat, cond, condInfo);

  const map = makeMap(mapEl, t("locateHint"));
  onLeave(() => map.remove());
  // The base map: the district's communities (the map route), else the district's outline.
  void (async () => {
    try {
      const fc = await get<GeoJSON.GeoJsonObject>(`/api/v1/grid/150203/map${query({ level: "community" })}`);
      const base = L.geoJSON(fc, { style: { color: "#888", weight: 1, fillColor: "#fff", fillOpacity: 0.4 }, interactive: false }).addTo(map);
      base.eachLayer((l) => { const p = (l as L.GeoJSON).feature as GeoJSON.Feature | undefined; if (p?.properties?.name) l.bindTooltip(String(p.properties.name)); });
      map.fitBounds(base.getBounds());
    } catch {
      await drawOutline(map, "150203");
    }
    mapEl.dataset.ready = "1";
  })();
  let cellLayer: L.Layer | null = null;
  let pin: L.CircleMarker | null = null;
  let located: Location | null = null;
  const locate = async () => {
    const x = Number(lon.value), y = Number(lat.value);
    if (!lon.value || !lat.value || Number.isNaN(x) || Number.isNaN(y)) return;
    pin?.remove();
    pin = L.circleMarker([y, x], { radius: 7, color: "#c62828", fillOpacity: 0.9 }).addTo(map);
    try {
      located = await get<Location>(`/api/v1/grid/locate${query({ lon: x, lat: y })}`);
      where.textContent = `${t("cell")}: ${located.street.name} / ${located.community.name} / ${located.cell.code}` +
        (located.officers.length ? ` · ${located.officers.map((o) => `${o.name}`).join(", ")}` : "");
      cellLayer?.remove();
      const node = await gridNode(located.cell.code);
      if (node.geometry) {
        const layer = L.geoJSON(node.geometry as GeoJSON.GeoJsonObject, { style: { color: "#1565c0", weight: 2, fillOpacity: 0.2 } }).addTo(map);
        cellLayer = layer;
        if (!map.getBounds().contains(layer.getBounds())) map.fitBounds(layer.getBounds().pad(4));
      }
      // Open cases in the same cell: possible duplicates, shown before submitting.
      const page = await get<Page<CaseSummary>>(`/api/v1/cases${query({ grid: located.cell.code, limit: 20 })}`);
      const open = page.items.filter((c) => OPEN_STATUSES.includes(c.status));
      clear(dupes, h("h2", {}, t("duplicates")), open.length ? h("ul", {}, open.map((c) => h("li", {},
        h("a", { href: `#/cases/${c.case_no}`, target: "_blank" }, c.case_no), ` ${statusName(c.status)} · ${fmtTime(c.received_at)} · ${c.description ?? ""}`)))
        : h("p", {}, t("noDuplicates")));
    } catch (err) {
      located = null;
      where.textContent = err instanceof ApiError && err.status === 422 ? t("outside") : String(err);
    }
  };
  map.on("click", (e: L.LeafletMouseEvent) => {
    lon.value = e.latlng.lng.toFixed(6);
    lat.value = e.latlng.lat.toFixed(6);
    void locate();
  });
  locateBtn.addEventListener("click", () => void locate());
  for (const el of [lon, lat]) el.addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); void locate(); } });
  geoBtn.addEventListener("click", () => navigator.geolocation?.getCurrentPosition((p) => {
    lon.value = p.coords.longitude.toFixed(6);
    lat.value = p.coords.latitude.toFixed(6);
    void locate();
  }, (e) => { where.textContent = e.message; }, { enableHighAccuracy: true, timeout: 10000 }));

  // A typed address is looked up in the gazetteer (prefix, then fuzzy); picking an entry sets
  // the point. An address nobody picks is sent as typed: the server resolves it or leaves the
  // case unlocated.
  interface AddressEntry { address: string; point: [number, number]; cell: string | null }
  let typing = 0;
  address.addEventListener("input", () => {
    clearTimeout(typing);
    typing = window.setTimeout(async () => {
      const q = address.value.trim();
      if (q.length < 2) { clear(addressHits); return; }
      try {
        let r = await get<{ items: AddressEntry[] }>(`/api/v1/addresses${query({ q, limit: 6 })}`);
        if (!r.items.length) r = await get<{ items: AddressEntry[] }>(`/api/v1/addresses${query({ q, match: "fuzzy", limit: 6 })}`);
        clear(addressHits, r.items.map((a) => h("li", {}, h("button", { type: "button", class: "link", onclick: () => {
          address.value = a.address;
          lon.value = a.point[0].toFixed(6);
          lat.value = a.point[1].toFixed(6);
          clear(addressHits);
          void locate();
        } }, `${a.address}${a.cell ? ` · ${a.cell}` : ""}`))));
      } catch { clear(addressHits); }
    }, 250);
  });

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    message.textContent = "";
    const ch = channel.value;
    const payload: Record<string, unknown> = { channel: ch, description: description.value.trim() };
    if (lon.value && lat.value) { payload.lon = Number(lon.value); payload.lat = Number(lat.value); }
    if (address.value.trim()) payload.address = address.value.trim();
    if (cat.value) payload.category = cat.value;
    if (!reporterBox.hidden && (name.value.trim() || phone.value.trim())) {
      payload.reporter = { ...(name.value.trim() ? { name: name.value.trim() } : {}),
        ...(phone.value.trim() ? { phone: phone.value.trim() } : {}), confidential: confidential.checked };
    }
    if (!callBox.hidden) {
      payload.call = { started_at: new Date(callStart.value).toISOString(),
        ...(callEnd.value ? { ended_at: new Date(callEnd.value).toISOString() } : {}),
        operator: callOperator.value.trim() || "—" };
    }
    if (!letterBox.hidden) payload.letter = { subject: subject.value.trim(), body: body.value.trim() };
    try {
      if (!patrolBox.hidden) {
        if (officerCode.value.trim()) payload.officer = officerCode.value.trim();
        const ids: string[] = [];
        for (const f of Array.from(photo.files ?? [])) ids.push((await request<Attachment>("POST", "/api/v1/attachments", f)).id);
        payload.photos = ids;
      }
      const created = await post<Case>("/api/v1/cases", payload, { "Idempotency-Key": randomKey() });
      result.replaceChildren(t("createdCase"), h("a", { href: `#/cases/${created.case_no}`, id: "created-case" }, created.case_no),
        created.possible_duplicates?.length ? ` · ${t("duplicates")}: ${created.possible_duplicates.join(", ")}` : "");
      form.reset();
      sync();
    } catch (err) {
      const errors = err instanceof ApiError && Array.isArray(err.problem?.errors)
        ? (err.problem!.errors as { field: string; message: string }[]).map((x) => ` ${x.field}: ${x.message}`).join(";") : "";
      message.textContent = `${t("failed")}: ${err instanceof Error ? err.message : String(err)}${errors}`;
    }
  });
  channel.focus();
}
