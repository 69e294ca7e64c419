// The one request wrapper. Everything that talks to the server goes through request().
//
// - adds the bearer token;
// - on 401 refreshes once (POST /auth/refresh, rotating refresh token) and retries;
//   concurrent 401s share one refresh;
// - turns {"error": {"code", "message", "details"}} into an ApiError;
// - a lost connection becomes a NetworkError, so views can offer a retry.

export const API_ROOT = "/api/v1";
const STORAGE_KEY = "grader.tokens";

export class ApiError extends Error {
  constructor({ status, code, message, details = null }) {
    super(message || `Request failed (${status})`);
    this.name = "ApiError";
    this.status = status;
    this.code = code || "error";
    this.details = details;
  }
  /** 5xx and 429 are worth retrying; 4xx are not. */
  get retryable() {
    return this.status >= 500 || this.status === 429;
  }
  /** Field name → message, for forms (422 details name the field). */
  get fieldErrors() {
    const out = {};
    if (Array.isArray(this.details)) {
      for (const item of this.details) {
        if (item && item.field) out[item.field] = tidy(item.message || "");
      }
    } else if (this.details && Array.isArray(this.details.fields)) {
      for (const field of this.details.fields) out[field] = this.message;
    } else if (this.details && this.details.field) {
      out[this.details.field] = this.message;
    }
    return out;
  }
}

export class NetworkError extends Error {
  constructor(message = "No connection to the server. Check your connection and try again.") {
    super(message);
    this.name = "NetworkError";
    this.retryable = true;
  }
}

/** Fired on `auth`: "change" (signed in/out), "lost" (a refresh failed: sign in again). */
export const auth = new EventTarget();

function tidy(message) {
  return String(message).replace(/^Value error, /, "").replace(/(: )Value error, /g, "$1");
}

export const tokens = {
  get() {
    try {
      return JSON.parse(localStorage.getItem(STORAGE_KEY)) || null;
    } catch {
      return null;
    }
  },
  set(pair) {
    localStorage.setItem(
      STORAGE_KEY,
      JSON.stringify({ access_token: pair.access_token, refresh_token: pair.refresh_token }),
    );
    auth.dispatchEvent(new Event("change"));
  },
  clear() {
    localStorage.removeItem(STORAGE_KEY);
    auth.dispatchEvent(new Event("change"));
  },
};

let refreshing = null; // the one refresh in flight, shared by concurrent 401s

function refreshOnce() {
  if (!refreshing) {
    refreshing = (async () => {
      const current = tokens.get();
      if (!current?.refresh_token) throw new ApiError({ status: 401, code: "not_signed_in", message: "Please sign in." });
      const response = await send("POST", "/auth/refresh", { body: { refresh_token: current.refresh_token } }, null);
      tokens.set(response);
      return response.access_token;
    })().finally(() => {
      // Let the callers that are waiting see the result before the next refresh may start.
      setTimeout(() => (refreshing = null), 0);
    });
  }
  return refreshing;
}

async function send(method, path, { body, form, query, signal } = {}, accessToken) {
  const headers = { Accept: "application/json" };
  let payload;
  if (form) payload = form; // FormData: the browser sets the multipart boundary
  else if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    payload = JSON.stringify(body);
  }
  if (accessToken) headers.Authorization = `Bearer ${accessToken}`;
  let url = API_ROOT + path;
  if (query) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null) params.set(k, v);
    const qs = params.toString();
    if (qs) url += `?${qs}`;
  }
  let response;
  try {
    response = await fetch(url, { method, headers, body: payload, signal });
  } catch (error) {
    if (error?.name === "AbortError") throw error;
    throw new NetworkError();
  }
  if (response.status === 204) return null;
  let data = null;
  const text = await response.text().catch(() => "");
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!response.ok) {
    const err = data && data.error;
    if (err) throw new ApiError({ status: response.status, code: err.code, message: tidy(err.message), details: err.details });
    throw new ApiError({
      status: response.status,
      code: response.status >= 500 ? "server_error" : "http_error",
      message: response.status >= 500
        ? "The server had a problem. Please try again in a moment."
        : `Request failed (${response.status}).`,
    });
  }
  return data;
}

/**
 * request("GET", "/users/me"); request("POST", "/courses", {body}); request("POST", "/courses/import", {form})
 * Options: body, form, query, signal, auth (default true).
 */
export async function request(method, path, options = {}) {
  const useAuth = options.auth !== false;
  const access = useAuth ? tokens.get()?.access_token : null;
  try {
    return await send(method, path, options, access);
  } catch (error) {
    if (!(useAuth && error instanceof ApiError && error.status === 401 && tokens.get())) throw error;
    let fresh;
    try {
      fresh = await refreshOnce();
    } catch (refreshError) {
      if (refreshError instanceof NetworkError) throw refreshError;
      // The sign-in is over (refresh token expired, revoked or replayed).
      if (tokens.get()) {
        tokens.clear();
        auth.dispatchEvent(new Event("lost"));
      }
      throw new ApiError({ status: 401, code: "session_expired_signin", message: "Your sign-in has expired. Please sign in again." });
    }
    return send(method, path, options, fresh);
  }
}

export const api = {
  get: (path, options) => request("GET", path, options),
  post: (path, body, options = {}) => request("POST", path, { ...options, body }),
  patch: (path, body, options = {}) => request("PATCH", path, { ...options, body }),
  del: (path, options) => request("DELETE", path, options),
  upload: (path, form, options = {}) => request("POST", path, { ...options, form }),

  async login(login, password) {
    const pair = await send("POST", "/auth/login", { body: { login, password } }, null);
    tokens.set(pair);
    return pair;
  },
  async logout() {
    const current = tokens.get();
    tokens.clear();
    if (current?.refresh_token) {
      await send("POST", "/auth/logout", { body: { refresh_token: current.refresh_token } }, null).catch(() => {});
    }
  },
  register: (fields) => send("POST", "/auth/register", { body: fields }, null),
};

/** A message fit for people, whatever was thrown. */
export function describe(error) {
  if (error instanceof ApiError || error instanceof NetworkError) return error.message;
  return "Something went wrong. Please try again.";
}
