// The big screen: the live feed (SSE), counts by stage and light, the map of open cases and
// the week's closures; everything refreshes from the feed, never by reloading the page.
import * as L from "leaflet";
import { ApiError, OPEN_STATUSES, get, query } from "./api";
import { clear, h } from "./dom";
import { actionName, fmtTime, localDate, statusName, t } from "./i18n";
import { onLeave, scopeGrid } from "./state";
import { onFeed } from "./alerts";
import { drawOutline, makeMap } from "./map";
import { drawChoropleth } from "./supervisor";

interface Stage { status: string; open: number; green?: number; yellow?: number; red?: number; overdue?: number }

export async function wallScreen(main: HTMLElement): Promise<void> {
  const grid = scopeGrid();
  const counts = h("div", { class: "counts" });
  const feed = h("ol", { class: "feed", "aria-live": "polite" });
  const trend = h("div", { class: "trend" });
  const mapEl = h("div", { class: "map wall-map" });
  const clock = h("span", { class: "clock" });
  clear(main, h("div", { class: "wall" },
    h("header", {}, h("h1", {}, t("app")), clock, h("a", { href: "#/", class: "exit" }, "×")),
    h("section", { class: "w-counts", "aria-labelledby": "w1" }, h("h2", { id: "w1" }, t("byStage")), counts),
    h("section", { class: "w-map", "aria-labelledby": "w2" }, h("h2", { id: "w2" }, t("map")), mapEl),
    h("section", { class: "w-feed", "aria-labelledby": "w3" }, h("h2", { id: "w3" }, t("feed")), feed),
    h("section", { class: "w-trend", "aria-labelledby": "w4" }, h("h2", { id: "w4" }, t("trend")), trend)));
  const map = makeMap(mapEl, `${t("map")} ${grid}`);
  let layer: L.GeoJSON | null = null;
  void drawOutline(map, grid);
  const level = grid.length <= 6 ? "community" : grid.length === 9 ? "cell" : "cell";

  const loadCounts = async () => {
    try {
      const r = await get<{ stages: Stage[] }>(`/api/v1/grid/${grid}/counts`);
      // Lights when the server gives them per stage, else the overdue count.
      const lights = r.stages.some((s) => s.green !== undefined);
      const order = (s: Stage) => { const i = OPEN_STATUSES.indexOf(s.status); return i < 0 ? 99 : i; };
      const stages = [...r.stages].sort((a, b) => order(a) - order(b));
      clear(counts, h("table", {}, h("thead", {}, h("tr", {}, [t("status"), t("open"), ...(lights ? [t("green"), t("yellow"), t("red")] : [t("overdue")])].map((l) => h("th", { scope: "col" }, l)))),
        h("tbody", {}, stages.map((s) => h("tr", {}, h("th", { scope: "row" }, statusName(s.status)), h("td", {}, s.open),
          lights ? [h("td", { class: "g" }, s.green), h("td", { class: "y" }, s.yellow), h("td", { class: "r" }, s.red)]
            : h("td", { class: "r" }, s.overdue ?? 0))))));
    } catch (err) {
      clear(counts, h("p", {}, err instanceof ApiError && err.status === 404 ? t("notAvailable") : String(err)));
    }
  };
  const loadMap = async () => {
    try {
      const drawn = await drawChoropleth(map, grid, level);
      layer?.remove();
      layer = drawn.layer;
    } catch { /* the map route may not exist yet: the outline stays */ }
  };
  const loadTrend = async () => {
    const days: { day: string; closed: number; received: number }[] = [];
    // Today first, then back; a day before the district's first case answers 422: stop there.
    let stopped = false;
    for (let i = 0; i < 7; i++) {
      const d = localDate(i);
      let totals = { closed: 0, received: 0 };
      if (!stopped) {
        try {
          totals = (await get<{ totals: typeof totals }>(`/api/v1/reports${query({ period: "day", date: d, grid })}`)).totals;
        } catch { stopped = true; }
      }
      days.push({ day: d, closed: totals.closed, received: totals.received });
    }
    days.reverse();
    const max = Math.max(1, ...days.map((d) => Math.max(d.closed, d.received)));
    clear(trend, h("table", { class: "bars" }, h("caption", {}, `${t("closed")} / ${t("receivedCount")}`),
      h("tbody", {}, days.map((d) => h("tr", {}, h("th", { scope: "row" }, d.day.slice(5)),
        h("td", {}, h("span", { class: "bar closed", style: `width:${(d.closed / max) * 100}%` }), ` ${d.closed}`),
        h("td", {}, h("span", { class: "bar received", style: `width:${(d.received / max) * 100}%` }), ` ${d.received}`))))));
  };
  const tick = () => { clock.textContent = fmtTime(new Date().toISOString()); };
  tick();
  const timer = window.setInterval(tick, 1000);
  const trendTimer = window.setInterval(() => void loadTrend(), 600000);
  let pending = 0;
  const off = onFeed((e) => {
    feed.prepend(h("li", {}, h("time", {}, fmtTime(e.at)), ` ${e.case_no} ${actionName(e.action)}`,
      e.to && e.to !== e.from ? ` → ${statusName(e.to)}` : ""));
    while (feed.children.length > 30) feed.lastElementChild?.remove();
    if (!pending) pending = window.setTimeout(() => { pending = 0; void loadCounts(); void loadMap(); }, 3000);
  });
  onLeave(() => { off(); clearInterval(timer); clearInterval(trendTimer); clearTimeout(pending); map.remove(); });
  await Promise.all([loadCounts(), loadMap(), loadTrend()]);
  main.dataset.ready = "1";
}
