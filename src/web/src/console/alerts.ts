// The alert area: events from the live feed (SSE, authenticated by the session cookie) that
// address the signed-in user's role, unit or grid appear at once, with a short beep.
import { ApiError, get } from "./api";
import { h } from "./dom";
import { actionName, fmtTime, t } from "./i18n";
import { hasRole, scopeUnit, state } from "./state";

export interface FeedEvent {
  id: number; case_no: string; grid_path?: string; unit?: string | null; action: string;
  from: string | null; to: string | null; actor?: string; at: string;
}

let source: EventSource | null = null;
let area: HTMLElement | null = null;
const listeners = new Set<(e: FeedEvent) => void>();
let audio: AudioContext | null = null;

export function unlockAudio(): void {
  try {
    if (!audio) audio = new AudioContext();
    void audio.resume();
  } catch { /* no audio device */ }
}
export function beep(): void {
  if (!audio) return;
  const osc = audio.createOscillator();
  const gain = audio.createGain();
  osc.frequency.value = 880;
  gain.gain.value = 0.15;
  osc.connect(gain).connect(audio.destination);
  osc.start();
  osc.stop(audio.currentTime + 0.25);
}

/** Which feed events are a task, urge or escalation for this desk. */
function addressesMe(e: FeedEvent): string | null {
  const unit = scopeUnit();
  if (e.action === "urge" && (hasRole("dispatcher", "shift_leader") || (unit && e.unit === unit))) return t("urge");
  if (e.action === "escalated" && hasRole("supervisor", "dispatcher", "shift_leader")) return t("escalated");
  if (unit && e.unit === unit && (e.action === "dispatch" || e.action === "reassign" || e.action === "rework" ||
      (e.action === "check" && e.to === "dispatched"))) return t("newTask");
  if (hasRole("officer") && (e.action === "request_verification" || e.action === "complete")) return t("newTask");
  if (hasRole("shift_leader") && (e.action === "verify" || e.action === "request_extension" ||
      (e.action === "receive" && e.actor !== undefined))) return t("newTask");
  if (hasRole("dispatcher") && (e.action === "register" || e.action === "return" ||
      e.action === "request_suspension")) return t("newTask");
  if (hasRole("operator") && (e.action === "verify" || (e.action === "check" && e.to === "resolved"))) return t("newTask");
  return null;
}

function show(kind: string, e: FeedEvent): void {
  if (!area) return;
  const item = h("div", { class: "alert", role: "alert" },
    h("strong", {}, kind), " ",
    h("a", { href: `#/cases/${e.case_no}` }, e.case_no), ` ${actionName(e.action)} · ${fmtTime(e.at)} `,
    h("button", { type: "button", class: "link", onclick: () => item.remove() }, t("dismiss")));
  area.prepend(item);
  while (area.children.length > 5) area.lastElementChild?.remove();
  beep();
}

export function onFeed(f: (e: FeedEvent) => void): () => void {
  listeners.add(f);
  return () => listeners.delete(f);
}

export function startAlerts(el: HTMLElement): void {
  area = el;
  if (source) return;
  source = new EventSource("/api/v1/events/stream");
  source.addEventListener("case_event", (m) => {
    let e: FeedEvent;
    try { e = JSON.parse((m as MessageEvent).data) as FeedEvent; } catch { return; }
    const kind = addressesMe(e);
    if (kind && e.actor !== state.session?.user.username) show(kind, e);
    for (const f of listeners) f(e);
  });
  // The browser reconnects by itself after a network error; a refusal (the session expired or
  // was revoked, the server restarted without it) closes the stream: look at the session, then
  // start again or go back to the sign-in page. A wall left running for days survives restarts.
  const mine = source;
  source.onerror = () => {
    if (mine.readyState !== EventSource.CLOSED || source !== mine) return;
    source = null;
    window.setTimeout(async () => {
      if (!state.session || source) return;
      try {
        await get("/api/v1/sessions/current");
        if (area && state.session) startAlerts(area);
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) window.dispatchEvent(new Event("gridcase:signed-out"));
        else if (area && state.session) startAlerts(area);
      }
    }, 3000);
  };
  // Too many events were missed while disconnected: the server says reset; draw the screen again.
  source.addEventListener("reset", () => window.dispatchEvent(new HashChangeEvent("hashchange")));
}
export function stopAlerts(): void {
  source?.close();
  source = null;
}
