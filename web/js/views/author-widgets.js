// The grading preview box (POST /grading/check), shared by the author views.
import { api } from "../api.js";
import { h } from "../dom.js";
import { renderDiff } from "../exercises.js";
import { field, submitting } from "../ui.js";

export function gradingPreview({ accepted = "", language = "en" } = {}) {
  const out = h("div.preview-out", { "aria-live": "polite", dataset: { testid: "preview-result" } });
  const form = h("form.card.preview", { novalidate: true, dataset: { testid: "preview-form" } },
    h("h2", { text: "Grading preview" }),
    field("Accepted answers (one per line, alternatives grammar)", { tag: "textarea", name: "accepted", rows: 2, value: accepted, dataset: { testid: "preview-accepted" } },
      "Example: I [am/'m] a [boy/child]"),
    h("div.grid2", {},
      field("Answer to try", { name: "answer", dataset: { testid: "preview-answer" } }),
      field("Language", { name: "language", value: language })),
    h("button.btn.primary", { type: "submit", dataset: { testid: "preview-submit" } }, "Check"),
    out);
  form.querySelector("textarea").value = accepted;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const body = {
      accepted: String(data.get("accepted")).split("\n").map((s) => s.trim()).filter(Boolean),
      answer: String(data.get("answer")),
      language: String(data.get("language") || "en"),
    };
    out.replaceChildren();
    submitting(form, async () => {
      const verdict = await api.post("/grading/check", body);
      out.replaceChildren(
        h("p.verdict-line", { dataset: { testid: "preview-kind", kind: verdict.kind, correct: String(verdict.correct) } },
          h("strong", { text: verdict.correct ? "Accepted" : "Not accepted" }), ` (${verdict.kind}) — closest: `,
          h("span", { text: verdict.closest })),
        renderDiff(verdict.diff));
    });
  });
  return form;
}
