// A tiny hash router: "#/course/12?x=1" → {path: "/course/12", params: {id: "12"}, query}.

export function parseHash(hash = location.hash) {
  const raw = hash.replace(/^#/, "") || "/";
  const [path, qs = ""] = raw.split("?");
  return { path: path || "/", query: Object.fromEntries(new URLSearchParams(qs)), raw };
}

export function navigate(path, { replace = false } = {}) {
  const target = `#${path}`;
  if (location.hash === target) {
    window.dispatchEvent(new HashChangeEvent("hashchange"));
  } else if (replace) {
    history.replaceState(null, "", target);
    window.dispatchEvent(new HashChangeEvent("hashchange"));
  } else {
    location.hash = target;
  }
}

export class Router {
  constructor(routes, onRoute) {
    // routes: [{path: "/course/:id", ...anything}]
    this.routes = routes.map((route) => ({
      ...route,
      regex: new RegExp(
        `^${route.path.replace(/\//g, "\\/").replace(/:(\w+)/g, "(?<$1>[^/]+)")}$`,
      ),
    }));
    this.onRoute = onRoute;
    window.addEventListener("hashchange", () => this.resolve());
  }
  match(path) {
    for (const route of this.routes) {
      const found = route.regex.exec(path);
      if (found) return { route, params: { ...(found.groups || {}) } };
    }
    return null;
  }
  resolve() {
    const location_ = parseHash();
    const found = this.match(location_.path);
    this.onRoute(found, location_);
  }
}
