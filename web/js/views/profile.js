// Profile: streak, daily-goal ring, XP of the last 14 days, settings (PATCH /users/me).
import { api } from "../api.js";
import { h, icon } from "../dom.js";
import { field, load, page, submitting } from "../ui.js";
import { goalRing, heartsBadge, xpChart } from "./widgets.js";

function zones(current) {
  let names = [];
  try { names = Intl.supportedValuesOf("timeZone"); } catch { names = []; }
  if (!names.includes("UTC")) names = ["UTC", ...names];
  if (current && !names.includes(current)) names = [current, ...names];
  return names.map((z) => [z, z]);
}

export function render(root, { store }) {
  const show = () => load(root,
    () => Promise.all([api.get("/users/me"), api.get("/users/me/progress"), api.get("/users/me/xp-history", { query: { days: 14 } })]),
    ([user, progress, history]) => {
      store.set({ user, progress });
      const form = h("form.card.settings", { novalidate: true, dataset: { testid: "settings-form" } },
        h("h2", { text: "Settings" }),
        field("Display name", { name: "display_name", value: user.display_name, maxlength: 64, dataset: { testid: "display-name" } }),
        field("Daily goal", { tag: "select", name: "daily_goal", value: user.daily_goal, dataset: { testid: "daily-goal" },
          options: [[10, "Casual — 10 XP a day"], [20, "Regular — 20 XP a day"], [30, "Serious — 30 XP a day"], [50, "Intense — 50 XP a day"]] }),
        field("Timezone", { tag: "select", name: "timezone", value: user.timezone, dataset: { testid: "timezone" }, options: zones(user.timezone) },
          "Your day — for streaks and the daily goal — follows this timezone."),
        h("button.btn.primary", { type: "submit", dataset: { testid: "save-settings" } }, "Save"),
        h("p.saved", { role: "status", dataset: { testid: "saved" } }));
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        const data = new FormData(form);
        const patch = {
          display_name: String(data.get("display_name")).trim(),
          daily_goal: Number(data.get("daily_goal")),
          timezone: String(data.get("timezone")),
        };
        form.querySelector(".saved").textContent = "";
        submitting(form, async () => {
          const updated = await api.patch("/users/me", patch);
          store.set({ user: updated });
          show();
        });
      });
      const streak = progress.streak;
      root.append(page(user.display_name || user.username,
        h("p.muted", { text: `@${user.username} · ${user.role} · ${progress.league_tier} league` }),
        h("div.profile-grid", {},
          h("div.card.streak-card", { dataset: { testid: "profile-streak", length: streak.length } },
            icon("flame", { size: 48 }),
            h("strong.big", { text: String(streak.length) }),
            h("span", { text: `day streak${streak.extended_today ? " — extended today" : streak.at_risk && streak.length ? " — practise today to keep it!" : ""}` }),
            streak.freezes_held ? h("span.small.muted", { text: `${streak.freezes_held} streak freeze${streak.freezes_held > 1 ? "s" : ""} held` }) : null),
          h("div.card.center", {}, goalRing(progress.daily_goal)),
          h("div.card.totals", {},
            h("div", { dataset: { testid: "profile-xp", xp: progress.xp_total } }, icon("bolt", { size: 28 }), h("strong.big", { text: String(progress.xp_total) }), h("span", { text: " total XP" })),
            h("div", {}, heartsBadge(progress.hearts)),
            h("p.small.muted", { text: `${progress.xp_today} XP today` }))),
        xpChart(history),
        form));
    });
  show();
}
