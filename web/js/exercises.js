// One renderer per exercise type. Each returns a widget:
//   { el, value() → the answer in the API's shape or null when nothing is given yet,
//     focus(), key(event) → true when it handled the key, lock(), reveal(reply) }
// and calls ctx.changed() whenever the answer changes (to enable the Check button).
import { h, clear, icon } from "./dom.js";

const TYPING = /^(INPUT|TEXTAREA|SELECT)$/;

export function renderExercise(exercise, ctx) {
  const make = {
    translate, listen, fill_blank: fillBlank, multiple_choice: multipleChoice,
    word_bank: wordBank, match_pairs: matchPairs,
  }[exercise.type];
  if (!make) return unsupported(exercise);
  const widget = make(exercise.payload, ctx);
  widget.el.dataset.testid = "exercise";
  widget.el.dataset.type = exercise.type;
  widget.el.dataset.exerciseId = exercise.id;
  return widget;
}

function title(text) {
  return h("h2.exercise-title", { tabindex: "-1", text });
}

function digitOf(event) {
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  if (!/^[0-9]$/.test(event.key)) return null;
  return event.key === "0" ? 10 : Number(event.key);
}

// -- free text ------------------------------------------------------------------------

function textBox(ctx, { lang, label, multiline = true, inline = false }) {
  const input = h(multiline ? "textarea.answer-input" : "input.answer-input" + (inline ? ".inline" : ""), {
    lang, "aria-label": label, autocomplete: "off", autocapitalize: "off", spellcheck: "false",
    rows: multiline ? 3 : null, type: multiline ? null : "text",
    dataset: { testid: "answer-input" }, placeholder: inline ? null : `Type in ${languageName(lang)}`,
    on: { input: () => ctx.changed() },
  });
  return input;
}

function specialKeys(input, ctx, lang) {
  const chars = ctx.course && lang === ctx.course.target_language ? ctx.course.special_characters || [] : [];
  if (!chars.length) return null;
  return h("div.special-keys", { role: "group", "aria-label": "Special characters", dataset: { testid: "special-keys" } },
    chars.map((ch) => h("button.key", {
      type: "button", "aria-label": `Insert ${ch}`, dataset: { testid: "special-key", char: ch },
      // mousedown would steal the focus and the caret position: keep them in the box
      on: {
        mousedown: (event) => event.preventDefault(),
        click: () => {
          if (input.disabled) return;
          const start = input.selectionStart ?? input.value.length;
          const end = input.selectionEnd ?? input.value.length;
          input.setRangeText(ch, start, end, "end");
          input.focus();
          ctx.changed();
        },
      },
    }, ch)));
}

function languageName(code) {
  try {
    return new Intl.DisplayNames(["en"], { type: "language" }).of(code) || code;
  } catch {
    return code;
  }
}

function textWidget(el, input) {
  return {
    el,
    value: () => (input.value.trim() ? input.value : null),
    focus: () => input.focus(),
    key: () => false,
    lock: () => { input.readOnly = true; for (const b of el.querySelectorAll(".key")) b.disabled = true; },
    reveal: () => {},
  };
}

function translate(payload, ctx) {
  const input = textBox(ctx, { lang: payload.answer_language, label: "Your translation" });
  const el = h("div.exercise",
    {},
    title("Translate this sentence"),
    h("p.prompt", { lang: payload.prompt_language, dataset: { testid: "prompt" }, text: payload.prompt }),
    input,
    specialKeys(input, ctx, payload.answer_language));
  return textWidget(el, input);
}

function fillBlank(payload, ctx) {
  const lang = ctx.course?.target_language || "und";
  const input = textBox(ctx, { lang, label: "The missing word", multiline: false, inline: true });
  const [before, after] = payload.prompt.split("___");
  const el = h("div.exercise", {},
    title("Fill in the blank"),
    h("p.prompt.fill", { lang, dataset: { testid: "prompt" } }, before, input, after),
    payload.translation ? h("p.muted.translation", { text: payload.translation }) : null,
    specialKeys(input, ctx, lang));
  return textWidget(el, input);
}

function listen(payload, ctx) {
  const input = textBox(ctx, { lang: payload.language, label: "What you heard" });
  const synth = "speechSynthesis" in window && typeof SpeechSynthesisUtterance !== "undefined" ? window.speechSynthesis : null;
  const status = h("p.muted.small", { role: "status" });
  const speak = (rate = 0.9) => {
    if (!synth) return;
    try {
      synth.cancel();
      const utterance = new SpeechSynthesisUtterance(payload.text);
      utterance.lang = payload.language;
      utterance.rate = rate;
      const voice = synth.getVoices().find((v) => v.lang && v.lang.toLowerCase().startsWith(payload.language.toLowerCase()));
      if (voice) utterance.voice = voice;
      utterance.onerror = () => { status.textContent = "Audio could not play. Try again, or show the sentence."; };
      synth.speak(utterance);
    } catch {
      status.textContent = "Audio could not play.";
    }
  };
  const reveal = h("button.btn.link", { type: "button", dataset: { testid: "show-text" }, on: { click: () => {
    reveal.replaceWith(h("p.prompt", { lang: payload.language, text: payload.text }));
  } } }, "Can't listen now? Show the sentence");
  const el = h("div.exercise", {},
    title("Type what you hear"),
    h("div.row", {},
      h("button.btn.speak", { type: "button", dataset: { testid: "replay" }, "aria-label": "Play the sentence", disabled: !synth, on: { click: () => speak() } },
        icon("speaker", { size: 28 })),
      h("button.btn.speak.slow", { type: "button", "aria-label": "Play slowly", disabled: !synth, on: { click: () => speak(0.55) } }, "Slow")),
    synth ? status : h("p.notice", { role: "status", dataset: { testid: "no-speech" }, text: "Audio isn't available in this browser." }),
    reveal,
    input,
    specialKeys(input, ctx, payload.language));
  const widget = textWidget(el, input);
  widget.start = () => setTimeout(() => speak(), 150);
  widget.stop = () => { try { synth?.cancel(); } catch { /* nothing to stop */ } };
  return widget;
}

// -- multiple choice ----------------------------------------------------------------------

function multipleChoice(payload, ctx) {
  let chosen = null;
  const buttons = payload.options.map((option, index) => h("button.option", {
    type: "button", role: "radio", "aria-checked": "false",
    dataset: { testid: "option", index },
    on: {
      click: () => pick(index),
      keydown: (event) => {
        if (event.key === "Enter" && chosen === index) { event.preventDefault(); ctx.submit(); }
      },
    },
  }, h("span.option-key", { "aria-hidden": "true", text: String(index + 1) }), h("span", { text: option.text })));
  function pick(index) {
    if (locked) return;
    chosen = index;
    buttons.forEach((b, i) => b.setAttribute("aria-checked", String(i === index)));
    ctx.changed();
  }
  let locked = false;
  const el = h("div.exercise", {},
    title("Select the correct meaning"),
    h("p.prompt", { dataset: { testid: "prompt" }, text: payload.prompt }),
    h("div.options", { role: "radiogroup", "aria-label": "Options (press 1–9)" }, buttons));
  return {
    el,
    value: () => chosen,
    focus: () => el.querySelector(".exercise-title").focus(),
    key(event) {
      const n = digitOf(event);
      if (n && n <= buttons.length && !TYPING.test(event.target.tagName)) { pick(n - 1); buttons[n - 1].focus(); return true; }
      return false;
    },
    lock: () => { locked = true; buttons.forEach((b) => (b.disabled = true)); },
    reveal(reply) {
      const right = reply.solution.option_index;
      buttons.forEach((b, i) => {
        if (i === right) b.classList.add("is-right");
        else if (i === chosen && !reply.correct) b.classList.add("is-wrong");
      });
    },
  };
}

// -- word bank ------------------------------------------------------------------------------

function wordBank(payload, ctx) {
  const placed = []; // indexes into payload.tiles, in answer order
  let locked = false;
  const line = h("div.tile-line", { role: "list", "aria-label": "Your answer", dataset: { testid: "tile-answer" } });
  const bank = h("div.tile-bank", { role: "group", "aria-label": "Word tiles (press a number to add)", dataset: { testid: "tile-bank" } });
  const bankButtons = payload.tiles.map((text, index) => h("button.tile", {
    type: "button", lang: payload.answer_language, dataset: { testid: "bank-tile", index, text },
    on: { click: () => add(index) },
  }, index < 9 ? h("span.tile-key", { "aria-hidden": "true", text: String(index + 1) }) : null, h("span", { text })));
  bank.append(...bankButtons);

  function add(index) {
    if (locked || placed.includes(index)) return;
    placed.push(index);
    draw();
  }
  function removeAt(pos) {
    if (locked) return;
    placed.splice(pos, 1);
    draw();
  }
  function move(pos, delta) {
    const to = pos + delta;
    if (locked || to < 0 || to >= placed.length) return;
    [placed[pos], placed[to]] = [placed[to], placed[pos]];
    draw(to);
  }
  function draw(focusPos = null) {
    clear(line);
    placed.forEach((index, pos) => {
      const text = payload.tiles[index];
      const tile = h("button.tile.placed", {
        type: "button", role: "listitem", lang: payload.answer_language,
        "aria-label": `${text}, word ${pos + 1} of ${placed.length}. Press to remove; arrow keys move it.`,
        dataset: { testid: "answer-tile", text },
        on: {
          click: () => removeAt(pos),
          keydown: (event) => {
            if (event.key === "ArrowLeft") { event.preventDefault(); move(pos, -1); }
            if (event.key === "ArrowRight") { event.preventDefault(); move(pos, 1); }
          },
        },
      }, text);
      line.append(tile);
    });
    if (!placed.length) line.append(h("span.placeholder", { text: "Tap the words below" }));
    bankButtons.forEach((b, i) => {
      const used = placed.includes(i);
      b.classList.toggle("used", used);
      b.setAttribute("aria-disabled", String(used));
    });
    if (focusPos !== null) line.children[focusPos]?.focus();
    ctx.changed();
  }
  draw();
  const el = h("div.exercise", {},
    title("Build the translation"),
    h("p.prompt", { lang: payload.prompt_language, dataset: { testid: "prompt" }, text: payload.prompt }),
    line, bank);
  return {
    el,
    value: () => (placed.length ? placed.map((i) => payload.tiles[i]) : null),
    focus: () => el.querySelector(".exercise-title").focus(),
    key(event) {
      if (TYPING.test(event.target.tagName)) return false;
      const n = digitOf(event);
      if (n && n <= bankButtons.length) { add(n - 1); return true; }
      if (event.key === "Backspace" && placed.length) { removeAt(placed.length - 1); return true; }
      return false;
    },
    lock: () => { locked = true; },
    reveal: () => {},
  };
}

// -- match pairs -----------------------------------------------------------------------------

function matchPairs(payload, ctx) {
  const pairs = []; // [leftIndex, rightIndex]
  let selectedLeft = null;
  let locked = false;
  const mk = (side, text, index) => h("button.match", {
    type: "button", dataset: { testid: `match-${side}`, index, text }, "aria-pressed": "false",
    on: { click: () => tap(side, index) },
  }, h("span.option-key", { "aria-hidden": "true", text: "" }), h("span", { text }));
  const lefts = payload.left.map((t, i) => mk("left", t, i));
  const rights = payload.right.map((t, i) => mk("right", t, i));
  const all = [...lefts, ...rights];
  all.forEach((b, i) => { if (i < 10) b.querySelector(".option-key").textContent = String((i + 1) % 10); });

  function tap(side, index) {
    if (locked) return;
    const pairOf = (s, i) => pairs.findIndex((p) => p[s === "left" ? 0 : 1] === i);
    const existing = pairOf(side, index);
    if (existing >= 0) { pairs.splice(existing, 1); selectedLeft = side === "left" ? index : selectedLeft; draw(); return; }
    if (side === "left") selectedLeft = selectedLeft === index ? null : index;
    else if (selectedLeft !== null) { pairs.push([selectedLeft, index]); selectedLeft = null; }
    else { status.textContent = "Pick a word on the left first."; return; }
    draw();
  }
  const status = h("p.sr-only", { role: "status", "aria-live": "polite" });
  function draw() {
    lefts.forEach((b, i) => {
      const p = pairs.findIndex((x) => x[0] === i);
      b.setAttribute("aria-pressed", String(selectedLeft === i));
      b.dataset.pair = p >= 0 ? String(p) : "";
      b.classList.toggle("paired", p >= 0);
      b.setAttribute("aria-label", `${payload.left[i]}${p >= 0 ? `, matched with ${payload.right[pairs[p][1]]}` : ""}`);
    });
    rights.forEach((b, i) => {
      const p = pairs.findIndex((x) => x[1] === i);
      b.dataset.pair = p >= 0 ? String(p) : "";
      b.classList.toggle("paired", p >= 0);
      b.setAttribute("aria-label", `${payload.right[i]}${p >= 0 ? `, matched with ${payload.left[pairs[p][0]]}` : ""}`);
    });
    status.textContent = selectedLeft !== null ? `${payload.left[selectedLeft]} selected; now pick its match.` : `${pairs.length} of ${lefts.length} matched.`;
    ctx.changed();
  }
  draw();
  const el = h("div.exercise", {},
    title("Tap the matching pairs"),
    h("div.match-grid", {},
      h("div.match-col", { role: "group", "aria-label": "Words" }, lefts),
      h("div.match-col", { role: "group", "aria-label": "Meanings" }, rights)),
    status);
  return {
    el,
    value: () => (pairs.length === lefts.length ? pairs.map(([l, r]) => [payload.left[l], payload.right[r]]) : null),
    focus: () => el.querySelector(".exercise-title").focus(),
    key(event) {
      if (TYPING.test(event.target.tagName)) return false;
      const n = digitOf(event);
      if (!n || n > all.length) return false;
      const i = n - 1;
      if (i < lefts.length) tap("left", i); else tap("right", i - lefts.length);
      return true;
    },
    lock: () => { locked = true; all.forEach((b) => (b.disabled = true)); },
    reveal: () => {},
  };
}

function unsupported(exercise) {
  const el = h("div.exercise", {}, title("This exercise type is not supported yet"), h("p", { text: exercise.type }));
  return { el, value: () => null, focus() {}, key: () => false, lock() {}, reveal() {} };
}

// -- feedback --------------------------------------------------------------------------------

const STATUS_WORDS = {
  ok: "correct", typo: "typo", accent: "accent", wrong: "wrong", missing: "missing", extra: "extra",
};

/** The verdict's diff, word by word: typos and accents marked, wrong words struck through. */
export function renderDiff(diff) {
  const wrap = h("p.diff", { dataset: { testid: "diff" } });
  diff.forEach((token, i) => {
    if (i) wrap.append(" ");
    const span = h("span.tok", { dataset: { status: token.status, testid: "diff-token" } });
    const label = STATUS_WORDS[token.status] || token.status;
    if (token.status === "ok") span.textContent = token.expected ?? token.typed ?? "";
    else if (token.status === "missing") {
      span.append(h("ins", { text: token.expected }));
    } else if (token.status === "extra") {
      span.append(h("del", { text: token.typed }));
    } else {
      // typo / accent / wrong: what you typed, then what was expected
      span.append(h("del", { text: token.typed ?? "" }), h("span.arrow", { "aria-hidden": "true", text: "→" }), h("ins", { text: token.expected ?? "" }));
    }
    if (token.status !== "ok") span.append(h("span.sr-only", { text: ` (${label})` }));
    span.title = label;
    wrap.append(span);
  });
  return wrap;
}
