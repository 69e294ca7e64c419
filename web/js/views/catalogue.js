// The course catalogue (GET /courses) and enrolment (POST /courses/{id}/enroll).
import { api, describe } from "../api.js";
import { h } from "../dom.js";
import { load, page } from "../ui.js";

export function render(root, { navigate }) {
  load(root,
    () => Promise.all([api.get("/courses", { query: { limit: 100 } }), api.get("/users/me/progress")]),
    ([courses, progress]) => {
      const enrolled = new Set(progress.courses.map((c) => c.course_id));
      const list = h("ul.course-grid", { dataset: { testid: "catalogue" } });
      for (const course of courses.data) {
        const status = h("p.form-error", { role: "alert", hidden: true });
        const isIn = enrolled.has(course.id);
        const button = h("button.btn" + (isIn ? "" : ".primary"), {
          type: "button", dataset: { testid: "enroll", courseId: course.id },
          on: {
            click: async () => {
              button.disabled = true;
              try {
                if (!isIn) await api.post(`/courses/${course.id}/enroll`);
                navigate(`/course/${course.id}`);
              } catch (error) {
                status.hidden = false;
                status.textContent = describe(error);
                button.disabled = false;
              }
            },
          },
        }, isIn ? "Continue" : "Start learning");
        list.append(h("li.card.course-card", { dataset: { testid: "course-card", slug: course.slug, courseId: course.id } },
          h("div.lang-badge", { "aria-hidden": "true", text: course.target_language.toUpperCase() }),
          h("h2", { text: course.title }),
          h("p.muted", { text: `Learn ${course.target_language_name} from ${course.source_language_name}` }),
          course.description ? h("p", { text: course.description }) : null,
          course.published ? null : h("span.tag", { text: "Draft" }),
          course.license ? h("p.small.muted", { text: `Licence: ${course.license.short_name || course.license.name}` }) : null,
          button, status));
      }
      root.append(page("Courses", courses.data.length ? list : h("p", { text: "No courses yet." })));
    });
}
