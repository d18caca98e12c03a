// The supervisor's map: the nodes of their grid coloured by open and overdue cases, drilled
// down street → community → cell → the cell's case list; and their report with the bulletin.
import * as L from "leaflet";
import { ApiError, get, query } from "./api";
import { clear, h } from "./dom";
import { fmtRate, fmtTime, localDate, t } from "./i18n";
import { onLeave, scopeGrid } from "./state";
import { colourFor, drawOutline, makeMap } from "./map";

interface MapFeature { type: "Feature"; geometry: GeoJSON.Geometry; properties: { code: string; name: string; level: string; open: number; overdue: number } }
const NEXT: Record<string, string> = { district: "street", street: "community", community: "cell" };

function levelOf(code: string): string {
  return code.length === 6 ? "district" : code.length === 9 ? "street" : code.length === 12 ? "community" : "cell";
}

/** Draws the children of `code` at the next level, coloured; resolves to the feature count. */
export async function drawChoropleth(map: L.Map, code: string, level: string, onPick?: (f: MapFeature) => void): Promise<{ layer: L.GeoJSON; count: number; ms: number }> {
  const t0 = performance.now();
  const fc = await get<{ features: MapFeature[] }>(`/api/v1/grid/${code}/map${query({ level })}`);
  const max = Math.max(1, ...fc.features.map((f) => f.properties.open));
  const layer = L.geoJSON(fc as unknown as GeoJSON.GeoJsonObject, {
    style: (f) => {
      const p = (f as unknown as MapFeature).properties;
      return { color: "#666", weight: level === "cell" ? 0.5 : 1.5, fillColor: colourFor(p.open, p.overdue, max), fillOpacity: 0.75 };
    },
    onEachFeature: (f, l) => {
      const p = (f as unknown as MapFeature).properties;
      // Streets and communities carry their names and counts on the map; cells on hover.
      l.bindTooltip(level === "cell" ? `${p.name} ${p.code}: ${t("open")} ${p.open}, ${t("overdue")} ${p.overdue}`
        : `${p.name} ${p.open}/${p.overdue}`, level === "cell" ? {} : { permanent: true, direction: "center", className: "area-label" });
      if (onPick) l.on("click", () => onPick(f as unknown as MapFeature));
    },
  }).addTo(map);
  await new Promise((r) => requestAnimationFrame(() => r(null)));
  return { layer, count: fc.features.length, ms: performance.now() - t0 };
}

export async function mapScreen(main: HTMLElement, args: string[]): Promise<void> {
  const code = args[1] ?? scopeGrid();
  const level = levelOf(code);
  const mapEl = h("div", { class: "map big" });
  const legend = h("p", { class: "hint", role: "status" });
  const list = h("div", {});
  const up = code.length > scopeGrid().length ? h("a", { href: `#/map/${code.slice(0, code.length - 3)}` }, t("back")) : null;
  const key = h("p", { class: "legend" }, [["#e8f5e9", `${t("open")} 0`], ["#fff59d", t("open")], ["#f9a825", `${t("open")} ++`], ["#e53935", t("overdue")]]
    .map(([colour, text]) => h("span", {}, h("i", { style: `background:${colour}` }), text)), ` · ${t("name")} ${t("open")}/${t("overdue")}`);
  clear(main, h("h1", {}, `${t("navMap")} · ${code}`), h("p", {}, t("drill"), " ", up), key, mapEl, legend, list);
  const map = makeMap(mapEl, `${t("navMap")} ${code}`);
  onLeave(() => map.remove());
  await drawOutline(map, code);
  // `#/map/<code>/cell` draws every cell under the node at once (the district's 4,556 included).
  const next = args[2] === "cell" ? "cell" : NEXT[level];
  if (!next) { location.hash = `#/queues/all/${code}`; return; }
  try {
    const { layer, count, ms } = await drawChoropleth(map, code, next, (f) => {
      location.hash = f.properties.level === "cell" ? `#/queues/all/${f.properties.code}` : `#/map/${f.properties.code}`;
    });
    map.fitBounds(layer.getBounds());
    legend.textContent = `${count} · ${Math.round(ms)} ms`;
    mainDataset(main, count, ms);
    // The same areas as a list, for the keyboard and screen readers.
    const features = (layer.toGeoJSON() as GeoJSON.FeatureCollection).features as unknown as MapFeature[];
    clear(list, h("table", {}, h("caption", {}, `${t("open")} / ${t("overdue")}`),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("name")), h("th", { scope: "col" }, t("open")), h("th", { scope: "col" }, t("overdue")))),
      h("tbody", {}, features.filter((f) => next !== "cell" || f.properties.open > 0).map((f) => h("tr", {},
        h("td", {}, h("a", { href: next === "cell" ? `#/queues/all/${f.properties.code}` : `#/map/${f.properties.code}` }, `${f.properties.name} ${f.properties.code}`)),
        h("td", {}, f.properties.open), h("td", {}, f.properties.overdue))))));
  } catch (err) {
    legend.textContent = err instanceof ApiError && err.status === 404 ? t("notAvailable") : String(err);
  }
}
function mainDataset(main: HTMLElement, count: number, ms: number): void {
  main.dataset.features = String(count);
  main.dataset.drawMs = String(Math.round(ms));
}

interface ReportRow { rank: number | null; key: string; name: string; due: number; closed: number; completion_rate: number | null; on_time_completion_rate: number | null; score: number | null; grade: string | null }
export async function reportScreen(main: HTMLElement): Promise<void> {
  const grid = scopeGrid();
  const date = localDate();
  const by = grid.length <= 6 ? "street" : grid.length === 9 ? "community" : "cell";
  const params = { period: "month", date, by, grid };
  const link = h("a", { href: `/api/v1/reports${query({ ...params, format: "html" })}`, target: "_blank", rel: "noopener" }, t("bulletin"));
  clear(main, h("h1", {}, t("report")), h("p", {}, link), h("p", {}, t("loading")));
  const r = await get<{ totals: ReportRow; rows: ReportRow[]; as_of: string | null }>(`/api/v1/reports${query(params)}`);
  const row = (x: ReportRow, head?: string) => h("tr", {}, h("td", {}, head ?? (x.rank ?? "—")), h("td", {}, head ? "" : `${x.name} ${x.key}`),
    h("td", {}, x.due), h("td", {}, x.closed), h("td", {}, fmtRate(x.completion_rate)),
    h("td", {}, fmtRate(x.on_time_completion_rate)), h("td", {}, x.score === null ? "—" : x.score.toFixed(1)), h("td", {}, x.grade ?? "—"));
  clear(main, h("h1", {}, `${t("report")} · ${grid}`), h("p", {}, link),
    // A running month counts the event log to as_of (at most reports.live_max_age_seconds old).
    h("table", {}, h("caption", {}, `${date} · ${by}${r.as_of ? ` · ${t("asOf")} ${fmtTime(r.as_of)}` : ""}`),
      h("thead", {}, h("tr", {}, [t("rank"), t("name"), t("due"), t("closed"), t("completion"), t("onTime"), t("score"), t("grade")].map((l) => h("th", { scope: "col" }, l)))),
      h("tbody", {}, r.rows.map((x) => row(x)), row(r.totals, "Σ"))));
}
