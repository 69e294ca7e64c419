// A course's path: units → lessons (locked / available / completed), the current lesson.
import { api, describe } from "../api.js";
import { h, icon } from "../dom.js";
import { load, page } from "../ui.js";

export function render(root, { params, navigate }) {
  const id = Number(params.id);
  const show = () => load(root, () => api.get(`/courses/${id}/tree`), (tree) => {
    const content = [];
    if (!tree.enrolled) {
      const msg = h("p.form-error", { role: "alert", hidden: true });
      content.push(h("div.card.enroll-box", {},
        h("p", { text: `Start learning ${tree.target_language_name}?` }),
        h("button.btn.primary", { type: "button", dataset: { testid: "enroll" }, on: { click: async () => {
          try { await api.post(`/courses/${id}/enroll`); show(); } catch (error) { msg.hidden = false; msg.textContent = describe(error); }
        } } }, "Start learning"), msg));
    }
    const completedAny = tree.units.some((u) => u.lessons.some((l) => l.state === "completed"));
    content.push(h("div.row", {},
      completedAny ? h("a.btn", { href: `#/practice?course=${id}`, dataset: { testid: "practice" } }, icon("dumbbell", { size: 18 }), " Practice") : null,
      tree.can_edit ? h("a.btn", { href: `#/author/course/${id}` }, icon("pencil", { size: 18 }), " Edit course") : null));
    for (const unit of tree.units) {
      const lessons = h("ol.path", {});
      unit.lessons.forEach((lesson, index) => {
        const current = lesson.id === tree.current_lesson_id;
        const label = `${lesson.title} — ${lesson.state}${current ? ", up next" : ""}`;
        const node = lesson.state === "locked"
          ? h("span.lesson-node", { "aria-disabled": "true", "aria-label": label, role: "link" }, icon("lock", { size: 26 }))
          : h("a.lesson-node", { href: `#/lesson/${lesson.id}`, "aria-label": label, dataset: { testid: current ? "current-lesson" : "lesson-link" } },
            lesson.state === "completed" ? icon("check", { size: 30 }) : icon("star", { size: 30 }));
        lessons.append(h("li.lesson", {
          className: `lesson state-${lesson.state}${current ? " current" : ""} offset-${index % 4}`,
          dataset: { testid: "lesson", lessonId: lesson.id, state: lesson.state },
        }, node,
        h("span.lesson-title", { text: lesson.title }),
        lesson.times_completed > 1 ? h("span.small.muted", { text: `×${lesson.times_completed}` }) : null,
        current ? h("a.btn.primary.small", { href: `#/lesson/${lesson.id}`, dataset: { testid: "start-lesson" } }, "Start") : null));
      });
      content.push(h("section.unit", { dataset: { testid: "unit", unitId: unit.id } },
        h("h2.unit-title", { text: unit.title }), lessons));
    }
    if (tree.attribution || tree.license) {
      content.push(h("details.credits", {}, h("summary", { text: "Credits" }),
        tree.license ? h("p", {}, "Licence: ", h("a", { href: tree.license.link || "#", rel: "noopener", text: tree.license.name })) : null,
        tree.attribution ? h("pre.attribution", { text: tree.attribution }) : null));
    }
    root.append(page(tree.title, ...content));
  });
  show();
}
