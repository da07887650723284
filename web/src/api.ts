// The console's only way to the server: the public API with the session's bearer token.
// A 401 signs out (the token is wrong or expired); a failed fetch reports the server as gone.

const kTokenKey = "zhizao.token";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

type Listener = () => void;
const unauthorizedListeners: Listener[] = [];
const reachabilityListeners: ((up: boolean) => void)[] = [];

export function onUnauthorized(f: Listener): void {
  unauthorizedListeners.push(f);
}
export function onReachability(f: (up: boolean) => void): void {
  reachabilityListeners.push(f);
}
export function reportReachable(up: boolean): void {
  for (const f of reachabilityListeners) f(up);
}

export function token(): string | null {
  return sessionStorage.getItem(kTokenKey);
}
export function setToken(value: string | null): void {
  if (value) sessionStorage.setItem(kTokenKey, value);
  else sessionStorage.removeItem(kTokenKey);
}

// Takes ?token= from the address (the link zhizao prints) into the session and removes it from
// the address bar and history, so it is not bookmarked, shared or logged by a proxy later.
export function adoptTokenFromUrl(): void {
  const url = new URL(location.href);
  const fromUrl = url.searchParams.get("token");
  if (fromUrl === null) return;
  setToken(fromUrl);
  url.searchParams.delete("token");
  history.replaceState(null, "", url.pathname + (url.search === "?" ? "" : url.search) + url.hash);
}

async function request(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  const tok = token();
  if (tok) headers.set("Authorization", `Bearer ${tok}`);
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers });
  } catch (err) {
    reportReachable(false);
    throw new ApiError(0, err instanceof Error ? err.message : String(err));
  }
  reportReachable(true);
  if (response.status === 401) {
    for (const f of unauthorizedListeners) f();
  }
  if (!response.ok) {
    let message = response.statusText;
    try {
      const body = await response.json();
      message = body?.error?.message ?? message;
    } catch {
      // not JSON: keep the status text
    }
    throw new ApiError(response.status, message);
  }
  return response;
}

export async function getJson<T>(path: string): Promise<T> {
  return (await request(path)).json() as Promise<T>;
}

export async function postJson<T>(path: string, body: unknown): Promise<T> {
  const r = await request(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  return r.json() as Promise<T>;
}

export async function putJson<T>(path: string, body: unknown): Promise<T> {
  const r = await request(path, { method: "PUT", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  return r.json() as Promise<T>;
}

export async function getText(path: string): Promise<string> {
  return (await request(path)).text();
}

export function query(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, String(v));
  return q.toString();
}

// Shapes of the answers the console reads (see src/api/openapi.json).
export interface Asset {
  id: number;
  name: string;
  path: string;
  level: string;
  kind: string;
  description: { en: string; zh: string };
  children: Asset[];
}
export interface Tag {
  id: number;
  asset_id: number;
  name: string;
  path: string;
  unit: string;
  data_type: string;
  description: { en: string; zh: string };
  // alarm_state: a bool tag's discrete alarm state (the server sends null for none)
  limits: { lo: number | null; hi: number | null; lolo: number | null; hihi: number | null; alarm_state: boolean | null };
}
export interface LastValue {
  tag: string;
  time: string | number;
  value: unknown;
  quality: string;
}
export interface DecimatedSeries {
  tag: string;
  id: number;
  bucket_width_ns: number;
  points: { time: number; value: number | null }[];
  buckets: { time: number; count: number; non_good: number; bad: number; samples: number }[];
}
export interface Episode {
  id: number;
  type: string;
  asset: string;
  tags: string[];
  root_cause_tag: string;
  start: string;
  end: string;
  severity: number;
  injected: boolean;
}
