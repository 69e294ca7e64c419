// This week's league (GET /leaderboard): standings with promote / stay / demote zones.
import { api } from "../api.js";
import { h, icon } from "../dom.js";
import { load, page } from "../ui.js";

export function render(root) {
  load(root, () => api.get("/leaderboard"), (board) => {
    const tier = board.tier.charAt(0).toUpperCase() + board.tier.slice(1);
    const ends = new Date(board.ends_at);
    const header = h("div.card.league-head", {},
      icon("trophy", { size: 40 }),
      h("div", {}, h("h2", { text: `${tier} league${board.league_number ? ` · #${board.league_number}` : ""}` }),
        h("p.muted", { text: `Ends ${ends.toLocaleString()}` })));
    if (!board.joined) {
      root.append(page("Leaderboard", header, h("div.card.empty", { dataset: { testid: "not-joined" } },
        h("p", { text: "Earn XP this week to join a league and compete with other learners." }),
        h("a.btn.primary", { href: "#/learn" }, "Start a lesson"))));
      return;
    }
    const list = h("ol.standings", { dataset: { testid: "standings" } });
    let lastZone = null;
    for (const row of board.standings) {
      if (lastZone && row.zone !== lastZone) {
        list.append(h("li.zone-divider", { role: "presentation", dataset: { zone: row.zone } },
          h("span", { text: row.zone === "demote" ? "Demotion zone" : "Promotion zone ends" })));
      }
      lastZone = row.zone;
      list.append(h("li.standing", { className: `standing zone-${row.zone}${row.is_you ? " is-you" : ""}`,
        dataset: { testid: "standing", zone: row.zone, you: String(row.is_you) } },
        h("span.rank", { text: String(row.rank) }),
        h("span.avatar", { "aria-hidden": "true", text: (row.display_name || row.username).slice(0, 1).toUpperCase() }),
        h("span.name", { text: row.display_name || row.username }, row.is_you ? h("span.tag", { text: "you" }) : null),
        h("span.xp", { text: `${row.xp} XP` }),
        h("span.sr-only", { text: `, ${row.zone === "promote" ? "promotion zone" : row.zone === "demote" ? "demotion zone" : "safe"}` })));
    }
    root.append(page("Leaderboard", header,
      h("p.muted", { text: `Top ${board.promotion_slots} move up${board.demotion_slots ? `, bottom ${board.demotion_slots} move down` : ""}.` }),
      list));
  });
}
