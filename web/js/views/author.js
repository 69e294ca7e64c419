// Authoring home: your courses (drafts included), a new course, import a zip, grading preview.
import { api } from "../api.js";
import { h } from "../dom.js";
import { field, load, page, submitting } from "../ui.js";
import { gradingPreview } from "./author-widgets.js";

export function render(root, { navigate }) {
  load(root, () => api.get("/courses", { query: { limit: 100 } }), (courses) => {
    const mine = courses.data.filter((c) => c.can_edit);
    const list = h("ul.author-list", { dataset: { testid: "author-courses" } },
      mine.map((course) => h("li.card.row.spread", { dataset: { testid: "author-course", slug: course.slug } },
        h("div", {}, h("strong", { text: course.title }), " ",
          h("span.tag", { className: `tag ${course.published ? "published" : "draft"}`, text: course.published ? "Published" : "Draft" }),
          h("p.small.muted", { text: `${course.slug} · ${course.target_language} from ${course.source_language}` })),
        h("a.btn", { href: `#/author/course/${course.id}`, dataset: { testid: "edit-course" } }, "Edit"))));

    const create = h("form.card", { novalidate: true, dataset: { testid: "new-course-form" } },
      h("h2", { text: "New course" }),
      h("div.grid2", {},
        field("Title", { name: "title", required: true }),
        field("Slug", { name: "slug", required: true, placeholder: "french-from-english" }),
        field("Target language code", { name: "target_language", required: true, placeholder: "fr" }),
        field("Target language name", { name: "target_language_name", required: true, placeholder: "French" }),
        field("Source language code", { name: "source_language", required: true, placeholder: "en" }),
        field("Source language name", { name: "source_language_name", required: true, placeholder: "English" })),
      field("Special characters (space separated)", { name: "special_characters", placeholder: "é è ç à" }),
      field("Description", { tag: "textarea", name: "description", rows: 2 }),
      h("button.btn.primary", { type: "submit", dataset: { testid: "create-course" } }, "Create draft"));
    create.addEventListener("submit", (event) => {
      event.preventDefault();
      const data = Object.fromEntries(new FormData(create));
      const body = { ...data, special_characters: String(data.special_characters || "").split(/\s+/).filter(Boolean) };
      submitting(create, async () => {
        const course = await api.post("/courses", body);
        navigate(`/author/course/${course.id}`);
      });
    });

    const result = h("div.import-result", { role: "status", dataset: { testid: "import-result" } });
    const upload = h("form.card", { dataset: { testid: "import-form" } },
      h("h2", { text: "Import a course (LibreLingo zip)" }),
      field("Zip file", { name: "file", type: "file", accept: ".zip,application/zip", required: true, dataset: { testid: "import-file" } }),
      field("Slug (optional)", { name: "slug", placeholder: "defaults to the folder name", dataset: { testid: "import-slug" } }),
      h("label.check-row", {}, h("input", { type: "checkbox", name: "published", value: "true" }), " Publish"),
      h("button.btn.primary", { type: "submit", dataset: { testid: "import-submit" } }, "Import"),
      result);
    upload.addEventListener("submit", (event) => {
      event.preventDefault();
      const data = new FormData(upload);
      if (!data.get("slug")) data.delete("slug");
      if (!data.get("published")) data.delete("published");
      result.textContent = "";
      submitting(upload, async () => {
        const outcome = await api.upload("/courses/import", data);
        const c = outcome.counts;
        result.replaceChildren(
          h("p", {}, "Imported ", h("a", { href: `#/author/course/${outcome.course.id}`, text: outcome.course.title, dataset: { testid: "imported-link" } }),
            `: ${c.lessons.created} lessons and ${c.exercises.created} exercises created, ${c.exercises.updated} updated.`),
          outcome.warnings.length ? h("details", {}, h("summary", { text: `${outcome.warnings.length} warnings` }),
            h("ul", {}, outcome.warnings.slice(0, 50).map((w) => h("li", { text: w })))) : "");
        root.querySelector('[data-testid="no-author-courses"]')?.remove();
        list.querySelector(`[data-slug="${CSS.escape(outcome.course.slug)}"]`)?.remove();
        list.prepend(h("li.card", { dataset: { testid: "author-course", slug: outcome.course.slug } },
          h("a", { href: `#/author/course/${outcome.course.id}`, text: outcome.course.title })));
      });
    });

    root.append(page("Author",
      h("h2", { text: "Your courses" }),
      list,
      mine.length ? null : h("p.muted", { dataset: { testid: "no-author-courses" }, text: "No courses yet — create one or import a zip." }),
      h("div.author-forms", {}, create, upload),
      gradingPreview()));
  });
}
