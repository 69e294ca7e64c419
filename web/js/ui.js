// Shared view pieces: page shells, loading, errors with retry, form errors.
import { ApiError, NetworkError, describe } from "./api.js";
import { h, clear } from "./dom.js";

export function loading(label = "Loading…") {
  return h("div.loading", { role: "status", "aria-live": "polite", dataset: { testid: "loading" } },
    h("span.spinner", { "aria-hidden": "true" }), h("span", { text: label }));
}

/** An error box; with onRetry, a Retry button (for lost connections and 5xx). */
export function errorPanel(error, onRetry = null) {
  const retryable = error instanceof NetworkError || (error instanceof ApiError && error.retryable);
  return h("div.panel.error-panel", { role: "alert", dataset: { testid: "error", code: error?.code || error?.name || "error" } },
    h("h2", { text: error instanceof NetworkError ? "You seem to be offline" : "Something went wrong" }),
    h("p", { text: describe(error) }),
    onRetry && (retryable || !(error instanceof ApiError))
      ? h("button.btn.primary", { type: "button", dataset: { testid: "retry" }, on: { click: onRetry } }, "Try again")
      : null,
  );
}

/**
 * Load data then render; on failure show the error with a retry that runs it again.
 * Never leaves a blank page.
 */
export async function load(root, loader, render) {
  clear(root).append(loading());
  try {
    const data = await loader();
    if (!root.isConnected) return;
    clear(root);
    render(data);
  } catch (error) {
    if (!root.isConnected) return;
    if (error instanceof ApiError && error.code === "session_expired_signin") return; // sent to sign-in
    console.warn(error);
    clear(root).append(errorPanel(error, () => load(root, loader, render)));
  }
}

export function page(title, ...children) {
  document.title = `${title} · grader`;
  return h("section.page", {}, h("h1", { text: title, tabindex: "-1" }), ...children);
}

/** Show an ApiError on a form: a summary plus a message under each named field. */
export function showFormError(form, error) {
  for (const old of form.querySelectorAll(".field-error")) old.remove();
  for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
  let box = form.querySelector(".form-error");
  if (!box) {
    box = h("div.form-error", { role: "alert", dataset: { testid: "form-error" } });
    form.prepend(box);
  }
  clear(box);
  if (!error) {
    box.remove();
    return;
  }
  box.append(h("p", { text: describe(error) }));
  const fields = error instanceof ApiError ? error.fieldErrors : {};
  const list = h("ul");
  for (const [field, message] of Object.entries(fields)) {
    list.append(h("li", { dataset: { field } }, h("code", { text: field }), ": ", message));
    const input = form.querySelector(`[name="${CSS.escape(field)}"]`) ||
      form.querySelector(`[name="${CSS.escape(field.split(".")[0])}"]`);
    if (input) {
      input.setAttribute("aria-invalid", "true");
      const note = h("p.field-error", { id: `${input.id || input.name}-error`, text: message });
      input.setAttribute("aria-describedby", note.id);
      input.after(note);
    }
  }
  if (list.children.length) box.append(list);
}

/** A labelled input. */
export function field(label, attrs = {}, hint = null) {
  const id = attrs.id || `f-${attrs.name}-${Math.random().toString(36).slice(2, 7)}`;
  const control = attrs.tag === "textarea"
    ? h("textarea", { ...attrs, tag: null, id })
    : attrs.tag === "select"
      ? h("select", { ...attrs, tag: null, options: null, id },
        (attrs.options || []).map(([value, text]) => h("option", { value, text, selected: String(attrs.value) === String(value) })))
      : h("input", { type: "text", ...attrs, id });
  if (attrs.tag === "select") control.value = attrs.value ?? control.value;
  return h("div.field", {},
    h("label", { for: id, text: label }),
    control,
    hint ? h("p.hint", { text: hint }) : null);
}

/** Run an async form action, disabling the submit button meanwhile. */
export async function submitting(form, action) {
  const button = form.querySelector("[type=submit]");
  if (button) button.disabled = true;
  form.setAttribute("aria-busy", "true");
  try {
    await action();
    showFormError(form, null);
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401 && error.code === "session_expired_signin")) {
      showFormError(form, error);
    }
  } finally {
    if (button) button.disabled = false;
    form.removeAttribute("aria-busy");
  }
}
