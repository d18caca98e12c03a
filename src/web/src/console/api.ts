// The console's only way in: the documented HTTP API (docs/openapi.yaml), signed in by the
// session cookie; every state-changing request carries the session's CSRF token.

export interface User {
  username: string;
  display_name: string;
  roles: string[];
  scope: string;
  channels: string[];
}
export interface CodeName { code: string; name: string }
export interface Timer {
  timer: string; started_at: string; deadline: string; running: boolean; paused: boolean;
  overdue: boolean; light?: "green" | "yellow" | "red"; ended_at?: string; outcome?: string;
  limit: { value: number; unit: string };
}
export interface CaseEvent {
  id: number; at: string; actor?: string; role?: string; action: string; from: string | null;
  to: string | null; params?: Record<string, unknown> | null; note?: string | null;
  attachments?: string[] | null;
}
export interface Claim { claimed_by: string; claimed_until: string }
export interface Case {
  case_no: string; status: string; version: number; channel: string; description?: string;
  address?: string | null; lon?: number | null; lat?: number | null; located?: boolean;
  cell?: CodeName | null; community?: CodeName | null; street?: CodeName | null;
  category?: string | null; category_name?: string | null; condition?: string | null;
  unit?: { code: string; name?: string } | null; assignee?: string | null;
  reporter?: { name?: string; phone?: string; confidential?: boolean } | null;
  received_at: string; updated_at: string; handling_deadline?: string | null;
  possible_duplicates?: string[] | null; escalation_level?: number; rework_count?: number;
  extension_pending?: boolean; timers: Timer[]; allowed_actions: string[]; events?: CaseEvent[];
  claim?: Claim | null; intake?: Record<string, unknown>;
}
export interface CaseSummary {
  case_no: string; status: string; version: number; channel: string; description?: string;
  address?: string | null; category?: string | null; cell?: string | null; unit?: string | null;
  received_at: string; updated_at: string; handling_deadline?: string | null;
  escalation_level?: number; rework_count?: number; light?: string | null; claim?: Claim | null;
}
export interface Page<T> { items: T[]; next_cursor: string | null }
export interface Condition {
  id: string; text: string; limit: { value: number; unit: string }; unit_type: string;
  close_when: string; retired_at: string | null;
}
export interface Category {
  key: string; type: string; code: string; name: string; retired_at: string | null;
  conditions: Condition[];
}
export interface Location {
  point: { lon: number; lat: number }; cell: CodeName; community: CodeName; street: CodeName;
  district: CodeName; officers: { duty: string; code: string; name: string; phone: string | null }[];
}
export interface Attachment {
  id: string; stage: string | null; uploaded_by: string; uploaded_at: string;
  urls: { full: string; screen: string; thumbnail: string };
}

export class ApiError extends Error {
  constructor(public status: number, public problem: Record<string, unknown> | null) {
    super(String(problem?.detail ?? problem?.title ?? `HTTP ${status}`));
  }
}

let csrfToken = "";
export function setCsrf(token: string): void { csrfToken = token; }

export async function request<T>(method: string, path: string, body?: unknown,
                                 headers: Record<string, string> = {}): Promise<T> {
  const init: RequestInit = { method, credentials: "same-origin", headers: { ...headers } };
  const h = init.headers as Record<string, string>;
  h["Accept"] = "application/json";
  if (method !== "GET" && method !== "HEAD") h["X-CSRF-Token"] = csrfToken;
  if (body instanceof Blob) {
    init.body = body;
    h["Content-Type"] = body.type || "application/octet-stream";
  } else if (body !== undefined) {
    init.body = JSON.stringify(body);
    h["Content-Type"] = "application/json";
  }
  const response = await fetch(path, init);
  const text = await response.text();
  let parsed: unknown = null;
  if (text) {
    try { parsed = JSON.parse(text); } catch { parsed = null; }
  }
  // A session that ended (expired, revoked, signed out elsewhere): back to the sign-in page.
  if (response.status === 401 && !path.startsWith("/api/v1/sessions")) {
    window.dispatchEvent(new Event("gridcase:signed-out"));
  }
  if (!response.ok) throw new ApiError(response.status, parsed as Record<string, unknown> | null);
  return parsed as T;
}

export const get = <T>(path: string) => request<T>("GET", path);
export const post = <T>(path: string, body: unknown = {}, headers?: Record<string, string>) =>
  request<T>("POST", path, body, headers);
export const del = <T>(path: string) => request<T>("DELETE", path);

export function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : "";
}

/** Cached reads that rarely change (catalogue, units). */
const cache = new Map<string, Promise<unknown>>();
export function cached<T>(path: string): Promise<T> {
  let p = cache.get(path);
  if (!p) {
    p = get<T>(path);
    p.catch(() => cache.delete(path));
    cache.set(path, p);
  }
  return p as Promise<T>;
}
export function clearCache(): void { cache.clear(); }

export async function categories(): Promise<Category[]> {
  const r = await cached<Category[] | { items: Category[] }>("/api/v1/categories");
  return Array.isArray(r) ? r : r.items;
}

export const OPEN_STATUSES = ["received", "verifying", "registered", "dispatched", "handling",
  "suspended", "handled", "resolved", "replied"];
export const ALL_STATUSES = [...OPEN_STATUSES, "rejected", "closed"];
export const CHANNELS = ["hotline_12319", "hotline_12345", "mayor_mailbox", "mayor_hotline",
  "patrol", "video", "env_inspection", "petition", "web", "app"];
export const DISTRICT = "150203";
