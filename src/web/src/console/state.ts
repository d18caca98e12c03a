// The signed-in session and what screens share.
import { User } from "./api";

export interface Session { user: User; csrf_token: string; kiosk?: boolean }
export const state: { session: Session | null; cleanup: (() => void) | null } = { session: null, cleanup: null };
export function hasRole(...roles: string[]): boolean {
  return !!state.session && state.session.user.roles.some((r) => roles.includes(r));
}
/** The grid node a user's scope confines them to, or the district. */
export function scopeGrid(): string {
  const scope = state.session?.user.scope ?? "district";
  return scope.startsWith("grid:") ? scope.slice(5) : "150203";
}
export function scopeUnit(): string | null {
  const scope = state.session?.user.scope ?? "";
  return scope.startsWith("unit:") ? scope.slice(5) : null;
}
/** A screen registers what to stop (streams, timers) when the route changes. */
export function onLeave(f: () => void): void {
  const prev = state.cleanup;
  state.cleanup = () => { prev?.(); f(); };
}
