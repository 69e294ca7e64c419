// Create an account (POST /auth/register), then sign in (POST /auth/login).
import { api } from "../api.js";
import { h } from "../dom.js";
import { field, page, submitting } from "../ui.js";

export function render(root, { query, store, navigate }) {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  const form = h("form.card.auth-form", { novalidate: true, dataset: { testid: "signup-form" } },
    field("Email", { name: "email", type: "email", autocomplete: "email", required: true, dataset: { testid: "signup-email" } }),
    field("Username", { name: "username", autocomplete: "username", required: true, pattern: "[A-Za-z0-9_.\\-]{3,32}", dataset: { testid: "signup-username" } },
      "3–32 letters, digits, _ . or -"),
    field("Display name (optional)", { name: "display_name", autocomplete: "nickname", dataset: { testid: "signup-display" } }),
    field("Password", { name: "password", type: "password", autocomplete: "new-password", required: true, dataset: { testid: "signup-password" } },
      "At least 10 characters; not your username."),
    h("button.btn.primary.wide", { type: "submit", dataset: { testid: "signup-submit" } }, "Create account"),
    h("p.muted", {}, "Already have an account? ", h("a", { href: "#/login", text: "Sign in" })),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const fields = {
      email: String(data.get("email")).trim(),
      username: String(data.get("username")).trim(),
      password: String(data.get("password")),
      timezone: zone,
    };
    const display = String(data.get("display_name")).trim();
    if (display) fields.display_name = display;
    submitting(form, async () => {
      try {
        await api.register(fields);
      } catch (error) {
        // An unknown browser timezone should not block signing up.
        if (error.fieldErrors && error.fieldErrors.timezone) {
          fields.timezone = "UTC";
          await api.register(fields);
        } else throw error;
      }
      await api.login(fields.username, fields.password);
      store.set({ user: await api.get("/users/me") });
      navigate(query.next || "/courses", { replace: true });
    });
  });
  root.append(page("Create your account", form));
}
