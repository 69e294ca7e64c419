// Home: the courses you are learning, with the next lesson, your streak and hearts.
import { api } from "../api.js";
import { h, icon } from "../dom.js";
import { load, page } from "../ui.js";
import { statsBar } from "./widgets.js";

export function render(root, { store }) {
  load(root, () => api.get("/users/me/progress"), (progress) => {
    store.set({ progress });
    const list = h("ul.course-list", { dataset: { testid: "learning-list" } });
    for (const course of progress.courses) {
      const done = course.lesson_count ? Math.round((100 * course.lessons_completed) / course.lesson_count) : 0;
      list.append(h("li.card.course-card", { dataset: { testid: "learning-course", courseId: course.course_id } },
        h("h2", { text: course.title }),
        h("p.muted", { text: `${course.lessons_completed} of ${course.lesson_count} lessons done` }),
        h("div.meter", { role: "progressbar", "aria-valuemin": 0, "aria-valuemax": 100, "aria-valuenow": done, "aria-label": "Course progress" },
          h("span", { style: `width:${done}%` })),
        h("div.row", {},
          h("a.btn.primary", { href: `#/course/${course.course_id}`, dataset: { testid: "open-course" } }, "Open path"),
          course.next_lesson
            ? h("a.btn", { href: `#/lesson/${course.next_lesson.id}`, dataset: { testid: "continue" } }, `Continue: ${course.next_lesson.title}`)
            : null,
          course.lessons_completed
            ? h("a.btn", { href: `#/practice?course=${course.course_id}`, dataset: { testid: "practice" } }, icon("dumbbell", { size: 18 }), " Practice")
            : null),
      ));
    }
    root.append(page("Learn",
      statsBar(progress),
      progress.courses.length
        ? list
        : h("div.card.empty", { dataset: { testid: "no-courses" } },
          h("p", { text: "You are not learning a course yet." }),
          h("a.btn.primary", { href: "#/courses" }, "Pick a course")),
    ));
  });
}
