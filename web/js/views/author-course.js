// Edit a course: its fields (PATCH /courses/{id}), its units and lessons.
import { api } from "../api.js";
import { h } from "../dom.js";
import { field, load, page, submitting } from "../ui.js";

export function render(root, { params }) {
  const id = Number(params.id);
  const show = () => load(root, () => api.get(`/courses/${id}/tree`), (tree) => {
    const edit = h("form.card", { novalidate: true, dataset: { testid: "course-form" } },
      h("h2", { text: "Course" }),
      h("div.grid2", {},
        field("Title", { name: "title", value: tree.title }),
        field("Slug", { name: "slug", value: tree.slug })),
      field("Description", { tag: "textarea", name: "description", rows: 2, value: tree.description }),
      field("Special characters (space separated)", { name: "special_characters", value: tree.special_characters.join(" ") }),
      h("label.check-row", {}, h("input", { type: "checkbox", name: "published", checked: tree.published, dataset: { testid: "published" } }), " Published (learners can see it)"),
      h("button.btn.primary", { type: "submit", dataset: { testid: "save-course" } }, "Save"),
      h("p.saved", { role: "status", dataset: { testid: "course-saved" } }));
    edit.querySelector("textarea").value = tree.description;
    edit.addEventListener("submit", (event) => {
      event.preventDefault();
      const data = new FormData(edit);
      const body = {
        title: String(data.get("title")), slug: String(data.get("slug")),
        description: String(data.get("description")),
        special_characters: String(data.get("special_characters")).split(/\s+/).filter(Boolean),
        published: data.get("published") === "on",
      };
      submitting(edit, async () => {
        await api.patch(`/courses/${id}`, body);
        edit.querySelector(".saved").textContent = "Saved.";
      });
    });

    const units = tree.units.map((unit) => {
      const addLesson = h("form.inline-form", { novalidate: true, dataset: { testid: "new-lesson-form", unitId: unit.id } },
        field("New lesson title", { name: "title", dataset: { testid: "new-lesson-title" } }),
        h("button.btn", { type: "submit", dataset: { testid: "add-lesson" } }, "Add lesson"));
      addLesson.addEventListener("submit", (event) => {
        event.preventDefault();
        const title = String(new FormData(addLesson).get("title")).trim();
        submitting(addLesson, async () => { await api.post(`/units/${unit.id}/lessons`, { title }); show(); });
      });
      return h("section.card.unit-edit", { dataset: { testid: "unit-edit", unitId: unit.id } },
        h("h3", { text: unit.title }),
        h("ol", {}, unit.lessons.map((lesson) => h("li", {},
          h("a", { href: `#/author/lesson/${lesson.id}`, dataset: { testid: "edit-lesson" }, text: lesson.title }),
          h("span.small.muted", { text: ` — ${lesson.exercise_count} exercises` })))),
        addLesson);
    });
    const addUnit = h("form.card.inline-form", { novalidate: true, dataset: { testid: "new-unit-form" } },
      field("New unit title", { name: "title", dataset: { testid: "new-unit-title" } }),
      h("button.btn", { type: "submit", dataset: { testid: "add-unit" } }, "Add unit"));
    addUnit.addEventListener("submit", (event) => {
      event.preventDefault();
      const title = String(new FormData(addUnit).get("title")).trim();
      submitting(addUnit, async () => { await api.post(`/courses/${id}/units`, { title }); show(); });
    });
    root.append(page(`Edit: ${tree.title}`,
      h("p", {}, h("a", { href: "#/author", text: "← All your courses" }), " · ", h("a", { href: `#/course/${id}`, text: "View as learner" })),
      edit, h("h2", { text: "Units and lessons" }), ...units, addUnit));
  });
  show();
}
