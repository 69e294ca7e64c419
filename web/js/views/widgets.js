// Small pieces shared by views: the stats bar, the daily-goal ring, the XP chart.
import { h, icon, svg } from "../dom.js";

export function statsBar(progress) {
  return h("div.stats", { dataset: { testid: "stats" } },
    h("span.stat.streak", { title: "Day streak", dataset: { testid: "streak" } }, icon("flame"),
      h("span", { text: String(progress.streak.length) }), h("span.sr-only", { text: " day streak" })),
    h("span.stat.xp", { title: "Total XP", dataset: { testid: "xp-total" } }, icon("bolt"),
      h("span", { text: `${progress.xp_total} XP` })),
    heartsBadge(progress.hearts),
  );
}

export function heartsBadge(hearts) {
  return h("span.stat.hearts", { title: "Hearts", dataset: { testid: "hearts", hearts: hearts.hearts } },
    icon("heart"), h("span", { text: String(hearts.hearts) }), h("span.sr-only", { text: ` of ${hearts.max_hearts} hearts` }));
}

/** The daily goal as a ring: fraction 0..1 of the goal reached today. */
export function goalRing(dailyGoal, size = 120) {
  const r = 44, c = 2 * Math.PI * r, f = Math.max(0, Math.min(1, dailyGoal.fraction));
  return h("figure.goal-ring", { dataset: { testid: "goal-ring", reached: dailyGoal.reached } },
    svg("svg", { width: size, height: size, viewBox: "0 0 100 100", role: "img",
      "aria-label": `Daily goal: ${dailyGoal.xp_today} of ${dailyGoal.goal} XP` },
      svg("circle", { cx: 50, cy: 50, r, fill: "none", stroke: "var(--ring-track)", "stroke-width": 10 }),
      svg("circle", { cx: 50, cy: 50, r, fill: "none", stroke: dailyGoal.reached ? "var(--gold)" : "var(--green)",
        "stroke-width": 10, "stroke-linecap": "round", "stroke-dasharray": `${c * f} ${c}`,
        transform: "rotate(-90 50 50)" }),
      svg("text", { x: 50, y: 48, "text-anchor": "middle", "font-size": 20, "font-weight": 700, fill: "currentColor" }, String(dailyGoal.xp_today)),
      svg("text", { x: 50, y: 66, "text-anchor": "middle", "font-size": 11, fill: "var(--muted)" }, `of ${dailyGoal.goal} XP`)),
    h("figcaption", { text: dailyGoal.reached ? "Daily goal reached!" : "Daily goal" }));
}

/** Bars of XP per day (GET /users/me/xp-history). */
export function xpChart(history) {
  const days = history.days;
  const w = 28 * days.length, hgt = 120, top = Math.max(10, ...days.map((d) => d.xp));
  const chart = svg("svg", { viewBox: `0 0 ${w} ${hgt + 30}`, width: "100%", role: "img", class: "xp-chart",
    "aria-label": `XP over the last ${days.length} days: ${history.total} in total`, preserveAspectRatio: "xMidYMid meet" });
  days.forEach((day, i) => {
    const barH = Math.round((day.xp / top) * hgt);
    const x = i * 28 + 5;
    chart.append(
      svg("rect", { x, y: hgt - barH, width: 18, height: Math.max(barH, 1), rx: 3,
        fill: day.xp ? "var(--green)" : "var(--ring-track)", "data-xp": day.xp, "data-date": day.date },
        svg("title", {}, `${day.date}: ${day.xp} XP`)),
      svg("text", { x: x + 9, y: hgt + 14, "text-anchor": "middle", "font-size": 9, fill: "var(--muted)" },
        day.date.slice(8, 10)),
    );
    if (day.xp) chart.append(svg("text", { x: x + 9, y: hgt - barH - 3, "text-anchor": "middle", "font-size": 9, fill: "currentColor" }, String(day.xp)));
  });
  return h("figure.card.chart", { dataset: { testid: "xp-chart", total: history.total } },
    h("figcaption", { text: `XP, last ${days.length} days — ${history.total} in total` }), chart);
}
