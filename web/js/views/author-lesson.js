// Edit a lesson: its title and tips, its exercises (JSON payload per type), a grading preview.
import { api, ApiError } from "../api.js";
import { h } from "../dom.js";
import { field, load, page, showFormError, submitting } from "../ui.js";
import { gradingPreview } from "./author-widgets.js";

function templates(course) {
  const t = course.target_language, s = course.source_language;
  return {
    translate: { type: "translate", prompt: "the cat", prompt_language: s, answer_language: t, accepted: ["[el /]gato"] },
    multiple_choice: { type: "multiple_choice", prompt: "the cat", options: [{ text: "el gato" }, { text: "el perro" }], correct_index: 0 },
    word_bank: { type: "word_bank", prompt: "the cat", prompt_language: s, answer_language: t, tiles: ["el", "gato", "perro"], accepted: ["el gato"] },
    match_pairs: { type: "match_pairs", pairs: [{ left: "gato", right: "cat" }, { left: "perro", right: "dog" }] },
    fill_blank: { type: "fill_blank", prompt: "el ___", accepted: ["gato"], translation: "the cat" },
    listen: { type: "listen", text: "el gato", language: t, accepted: ["el gato"] },
  };
}

function parsePayload(form, text) {
  try {
    return JSON.parse(text);
  } catch (error) {
    showFormError(form, new ApiError({ status: 422, code: "bad_json", message: `The payload is not valid JSON: ${error.message}`,
      details: [{ field: "payload", message: "not valid JSON" }] }));
    return undefined;
  }
}

export function render(root, { params }) {
  const id = Number(params.id);
  const show = () => load(root, async () => {
    const lesson = await api.get(`/lessons/${id}`);
    const [course, exercises] = await Promise.all([
      api.get(`/courses/${lesson.course_id}`), api.get(`/lessons/${id}/exercises`, { query: { limit: 100 } })]);
    return { lesson, course, exercises };
  }, ({ lesson, course, exercises }) => {
    const tpl = templates(course);
    const meta = h("form.card", { novalidate: true, dataset: { testid: "lesson-form" } },
      h("h2", { text: "Lesson" }),
      field("Title", { name: "title", value: lesson.title }),
      field("Tips (Markdown)", { tag: "textarea", name: "tips_markdown", rows: 3 }),
      h("button.btn.primary", { type: "submit" }, "Save"),
      h("p.saved", { role: "status" }));
    meta.querySelector("textarea").value = lesson.tips_markdown || "";
    meta.addEventListener("submit", (event) => {
      event.preventDefault();
      const data = new FormData(meta);
      submitting(meta, async () => {
        await api.patch(`/lessons/${id}`, { title: String(data.get("title")), tips_markdown: String(data.get("tips_markdown")) || null });
        meta.querySelector(".saved").textContent = "Saved.";
      });
    });

    const list = h("ol.exercise-list", { dataset: { testid: "exercise-list" } }, exercises.data.map((exercise) => {
      const form = h("form.card.exercise-edit", { novalidate: true, dataset: { testid: "exercise-edit", exerciseId: exercise.id } },
        h("h3", {}, h("span.tag", { text: exercise.type }), " ", h("span", { text: exercise.payload.prompt || exercise.payload.text || "" })),
        field("Payload (JSON)", { tag: "textarea", name: "payload", rows: 6, className: "code" }),
        h("div.row", {},
          h("button.btn", { type: "submit" }, "Save"),
          h("button.btn.danger", { type: "button", on: { click: () => submitting(form, async () => {
            if (!confirm("Delete this exercise?")) return;
            await api.del(`/exercises/${exercise.id}`); show();
          }) } }, "Delete")));
      form.querySelector("textarea").value = JSON.stringify(exercise.payload, null, 2);
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        const payload = parsePayload(form, form.querySelector("textarea").value);
        if (payload === undefined) return;
        submitting(form, async () => { await api.patch(`/exercises/${exercise.id}`, { payload }); show(); });
      });
      return h("li", {}, form);
    }));

    const typeSelect = h("select", { name: "type", id: "new-ex-type", dataset: { testid: "new-exercise-type" } },
      Object.keys(tpl).map((type) => h("option", { value: type, text: type.replace("_", " ") })));
    const payloadBox = h("textarea.code", { name: "payload", id: "new-ex-payload", rows: 10, dataset: { testid: "new-exercise-payload" } });
    payloadBox.value = JSON.stringify(tpl.translate, null, 2);
    typeSelect.addEventListener("change", () => { payloadBox.value = JSON.stringify(tpl[typeSelect.value], null, 2); });
    const create = h("form.card", { novalidate: true, dataset: { testid: "new-exercise-form" } },
      h("h2", { text: "New exercise" }),
      h("div.field", {}, h("label", { for: "new-ex-type", text: "Type" }), typeSelect),
      h("div.field", {}, h("label", { for: "new-ex-payload", text: "Payload (JSON) — accepted answers use the alternatives grammar" }), payloadBox),
      h("button.btn.primary", { type: "submit", dataset: { testid: "add-exercise" } }, "Add exercise"));
    create.addEventListener("submit", (event) => {
      event.preventDefault();
      const payload = parsePayload(create, payloadBox.value);
      if (payload === undefined) return;
      submitting(create, async () => { await api.post(`/lessons/${id}/exercises`, { payload }); show(); });
    });

    root.append(page(`Edit lesson: ${lesson.title}`,
      h("p", {}, h("a", { href: `#/author/course/${lesson.course_id}`, text: `← ${course.title}` })),
      meta,
      h("h2", { text: `Exercises (${exercises.count})` }),
      list, create,
      gradingPreview({ language: course.target_language })));
  });
  show();
}
