// Leaflet on Canvas with no tile layer: the grid's own polygons are the base map.
import * as L from "leaflet";
import { get } from "./api";

export function makeMap(el: HTMLElement, label: string): L.Map {
  el.setAttribute("role", "region");
  el.setAttribute("aria-label", label);
  // No animations: a screen that is left mid-zoom removes its map, and Leaflet's pending zoom
  // animation would then touch the removed panes.
  const map = L.map(el, { preferCanvas: true, attributionControl: false, zoomSnap: 0.25,
    zoomAnimation: false, fadeAnimation: false, markerZoomAnimation: false });
  map.setView([40.64, 109.82], 13);
  // The browser tests turn a longitude and latitude into the pixel to click.
  (el as unknown as { leafletMap: L.Map }).leafletMap = map;
  return map;
}

interface GridNodeGeo { code: string; name: string; geometry: GeoJSON.Geometry | null; bbox: number[] }
const nodeCache = new Map<string, Promise<GridNodeGeo>>();
export function gridNode(code: string): Promise<GridNodeGeo> {
  let p = nodeCache.get(code);
  if (!p) {
    p = get<GridNodeGeo>(`/api/v1/grid/${code}?geometry=true`);
    p.catch(() => nodeCache.delete(code));
    nodeCache.set(code, p);
  }
  return p;
}

/** The outline of a grid node (district, street, community) as a thin base layer. */
export async function drawOutline(map: L.Map, code: string, fit = true): Promise<L.GeoJSON | null> {
  try {
    const node = await gridNode(code);
    if (!node.geometry) return null;
    const layer = L.geoJSON(node.geometry as GeoJSON.GeoJsonObject,
      { style: { color: "#555", weight: 2, fill: false }, interactive: false }).addTo(map);
    if (fit) map.fitBounds(layer.getBounds(), { padding: [10, 10] });
    return layer;
  } catch {
    return null;
  }
}

export function colourFor(open: number, overdue: number, maxOpen: number): string {
  if (overdue > 0) return overdue > 2 ? "#b71c1c" : "#e53935";
  if (open === 0) return "#e8f5e9";
  const k = Math.min(1, open / Math.max(1, maxOpen));
  return k > 0.66 ? "#f9a825" : k > 0.33 ? "#fdd835" : "#fff59d";
}
