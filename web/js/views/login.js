// Sign in with email or username. Returns to ?next= afterwards.
import { api } from "../api.js";
import { h } from "../dom.js";
import { field, page, submitting } from "../ui.js";

export function render(root, { query, store, navigate }) {
  const form = h("form.card.auth-form", { novalidate: true, dataset: { testid: "login-form" } },
    query.expired ? h("p.notice", { role: "status", dataset: { testid: "expired-notice" }, text: "Your sign-in expired. Sign in again to carry on where you were." }) : null,
    field("Email or username", { name: "login", autocomplete: "username", required: true, dataset: { testid: "login-name" } }),
    field("Password", { name: "password", type: "password", autocomplete: "current-password", required: true, dataset: { testid: "login-password" } }),
    h("button.btn.primary.wide", { type: "submit", dataset: { testid: "login-submit" } }, "Sign in"),
    h("p.muted", {}, "New here? ", h("a", { href: `#/signup${query.next ? `?next=${encodeURIComponent(query.next)}` : ""}`, text: "Create an account" })),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    submitting(form, async () => {
      await api.login(String(data.get("login")).trim(), String(data.get("password")));
      store.set({ user: await api.get("/users/me") });
      navigate(query.next || "/learn", { replace: true });
    });
  });
  root.append(page("Sign in", form));
}
