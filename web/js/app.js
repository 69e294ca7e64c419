// Boot: the shell (header, nav, live region), the routes, sign-in guard.
import { api, auth, tokens, ApiError } from "./api.js";
import { h, clear, icon, focusFirst } from "./dom.js";
import { Router, navigate, parseHash } from "./router.js";
import { store } from "./store.js";
import { errorPanel, loading } from "./ui.js";

import * as loginView from "./views/login.js";
import * as signupView from "./views/signup.js";
import * as learnView from "./views/learn.js";
import * as catalogueView from "./views/catalogue.js";
import * as pathView from "./views/path.js";
import * as playerView from "./views/player.js";
import * as profileView from "./views/profile.js";
import * as leaderboardView from "./views/leaderboard.js";
import * as authorView from "./views/author.js";
import * as authorCourseView from "./views/author-course.js";
import * as authorLessonView from "./views/author-lesson.js";

const routes = [
  { path: "/login", view: loginView, public: true },
  { path: "/signup", view: signupView, public: true },
  { path: "/learn", view: learnView, nav: "learn" },
  { path: "/courses", view: catalogueView, nav: "courses" },
  { path: "/course/:id", view: pathView, nav: "learn" },
  { path: "/lesson/:id", view: playerView, player: true },
  { path: "/practice", view: playerView, player: true },
  { path: "/profile", view: profileView, nav: "profile" },
  { path: "/leaderboard", view: leaderboardView, nav: "leaderboard" },
  { path: "/author", view: authorView, nav: "author", author: true },
  { path: "/author/course/:id", view: authorCourseView, nav: "author", author: true },
  { path: "/author/lesson/:id", view: authorLessonView, nav: "author", author: true },
];

const main = document.getElementById("main");
const nav = document.getElementById("nav");
let cleanup = null;

export function isAuthor(user) {
  return user && (user.role === "author" || user.role === "admin");
}

function renderNav(active) {
  clear(nav);
  const user = store.get("user");
  if (!user) {
    nav.append(
      h("a.nav-link", { href: "#/login", dataset: { testid: "nav-login" } }, "Sign in"),
      h("a.nav-link", { href: "#/signup", dataset: { testid: "nav-signup" } }, "Sign up"),
    );
    return;
  }
  const link = (key, href, label, iconName) =>
    h("a.nav-link", { href, dataset: { testid: `nav-${key}` }, "aria-current": active === key ? "page" : null },
      icon(iconName, { size: 20 }), h("span", { text: label }));
  nav.append(...[
    link("learn", "#/learn", "Learn", "book"),
    link("courses", "#/courses", "Courses", "star"),
    link("leaderboard", "#/leaderboard", "Leaderboard", "trophy"),
    link("profile", "#/profile", "Profile", "user"),
    isAuthor(user) ? link("author", "#/author", "Author", "pencil") : null,
    h("button.nav-link.signout", {
      type: "button", dataset: { testid: "signout" },
      on: { click: async () => { await api.logout(); store.set({ user: null, progress: null }); navigate("/login"); } },
    }, "Sign out"),
  ].filter(Boolean));
}

async function ensureUser() {
  if (store.get("user") || !tokens.get()) return store.get("user");
  const user = await api.get("/users/me");
  store.set({ user });
  return user;
}

async function show(found, where) {
  if (cleanup) {
    try { cleanup(); } catch (error) { console.warn(error); }
    cleanup = null;
  }
  if (!found) {
    navigate(tokens.get() ? "/learn" : "/login", { replace: true });
    return;
  }
  const { route, params } = found;
  document.body.dataset.mode = route.player ? "player" : "page";
  document.body.dataset.route = route.path;
  if (!route.public && !tokens.get()) {
    navigate(`/login?next=${encodeURIComponent(where.raw)}`, { replace: true });
    return;
  }
  clear(main);
  main.append(loading());
  let user = null;
  try {
    user = await ensureUser();
  } catch (error) {
    if (error instanceof ApiError && error.code === "session_expired_signin") return;
    clear(main).append(errorPanel(error, () => show(found, where)));
    return;
  }
  if (route.public && user && where.path !== "/signup") {
    navigate(where.query.next || "/learn", { replace: true });
    return;
  }
  if (route.author && !isAuthor(user)) {
    clear(main).append(h("section.page", {}, h("h1", { text: "Authors only" }),
      h("p", { text: "This page is for course authors." })));
    return;
  }
  renderNav(route.nav);
  clear(main);
  const root = h("div.view", { dataset: { view: route.path } });
  main.append(root);
  const result = route.view.render(root, { params, query: where.query, store, navigate, user });
  cleanup = typeof result === "function" ? result : null;
  if (!route.player) focusFirst(root, "h1");
}

// An expired sign-in sends the learner to sign in, then back to where they were.
auth.addEventListener("lost", () => {
  store.set({ user: null, progress: null });
  const here = parseHash();
  if (here.path !== "/login") {
    navigate(`/login?next=${encodeURIComponent(here.raw)}&expired=1`, { replace: true });
  }
});
window.addEventListener("online", () => store.set({ online: true }));
window.addEventListener("offline", () => store.set({ online: false }));
store.on("online", ({ online }) => {
  document.getElementById("offline-banner").hidden = online;
});
store.on("user", () => renderNav(document.querySelector('.nav-link[aria-current="page"]')?.dataset.testid?.slice(4)));

const router = new Router(routes, (found, where) => show(found, where));
if (!location.hash) history.replaceState(null, "", tokens.get() ? "#/learn" : "#/login");
router.resolve();
