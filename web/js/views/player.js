// The lesson player, for lessons (#/lesson/:id) and practice (#/practice?course=).
//
// Start a session, show the exercise at the head of the queue, send the answer
// (with a client_answer_id made once per answer), show the verdict, follow the
// queue (a wrong answer comes back at the end while will_repeat), complete.
// A lost connection or a 5xx keeps the pending answer and resends it with the
// same client_answer_id; the pending answer also survives a reload (sessionStorage).
import { api, ApiError, NetworkError, describe } from "../api.js";
import { h, clear, icon, uuid } from "../dom.js";
import { renderExercise, renderDiff } from "../exercises.js";
import { loading, errorPanel } from "../ui.js";
import { goalRing, heartsBadge } from "./widgets.js";

const SAVED = "grader.play";

function saved() {
  try { return JSON.parse(sessionStorage.getItem(SAVED)) || null; } catch { return null; }
}
function save(value) {
  if (value) sessionStorage.setItem(SAVED, JSON.stringify(value)); else sessionStorage.removeItem(SAVED);
}

export function render(root, { params, query, navigate, store }) {
  const isPractice = !params.id;
  const key = isPractice ? `practice:${query.course || ""}` : `lesson:${params.id}`;
  const play = {
    session: null, byId: new Map(), queue: [], state: null, course: null,
    phase: "loading", widget: null, pending: null, reply: null,
  };
  let destroyed = false;

  const closeHref = () => (play.course ? `#/course/${play.course.id}` : "#/learn");
  const closeLink = h("a.icon-btn.close", { href: "#/learn", "aria-label": "Quit the lesson", dataset: { testid: "quit" } }, icon("close"));
  const bar = h("div.progress", { role: "progressbar", "aria-label": "Lesson progress", "aria-valuemin": 0, "aria-valuemax": 100, "aria-valuenow": 0, dataset: { testid: "progress" } }, h("span"));
  const heartsSlot = h("div.hearts-slot");
  const stage = h("div.stage");
  const feedback = h("div.feedback", { "aria-live": "polite", "aria-atomic": "true", dataset: { testid: "feedback" } });
  const button = h("button.btn.check", { type: "button", disabled: true, dataset: { testid: "check" }, on: { click: () => primary() } }, "Check");
  const skipMsg = h("span.small.muted.hint-keys", { text: "Enter ⏎ to check" });
  const footer = h("footer.player-footer", {}, h("div.footer-inner", {}, feedback, h("div.footer-actions", {}, skipMsg, button)));
  const shell = h("div.player", { dataset: { testid: "player", phase: "loading" } },
    h("div.player-top", {}, closeLink, bar, heartsSlot), stage, footer);
  root.append(shell);
  document.title = `${isPractice ? "Practice" : "Lesson"} · grader`;

  function setPhase(phase) {
    play.phase = phase;
    shell.dataset.phase = phase;
  }

  function updateTop() {
    const s = play.state;
    if (!s) return;
    const pct = s.total ? Math.round((100 * (s.total - s.remaining)) / s.total) : 0;
    bar.firstChild.style.width = `${pct}%`;
    bar.setAttribute("aria-valuenow", String(pct));
    bar.setAttribute("aria-valuetext", `${s.total - s.remaining} of ${s.total} done`);
    clear(heartsSlot);
    if (!isPractice) heartsSlot.append(heartsBadge(s.hearts));
    closeLink.href = closeHref();
  }

  // -- starting and resuming ---------------------------------------------------------------

  async function start() {
    setPhase("loading");
    clear(stage).append(loading("Getting your lesson ready…"));
    clear(feedback);
    button.hidden = true;
    try {
      let session = null;
      const was = saved();
      if (was && was.key === key) {
        try {
          session = await api.get(`/sessions/${was.sessionId}`);
          if (session.state.status !== "active" || new Date(session.expires_at) <= new Date()) session = null;
        } catch (error) {
          if (!(error instanceof ApiError)) throw error;
          session = null;
        }
        if (session && was.pending && session.queue.includes(was.pending.exercise_id)) play.pending = was.pending;
      }
      if (!session) {
        save(null);
        session = isPractice
          ? await api.post("/practice/sessions", query.course ? { course_id: Number(query.course) } : {})
          : await api.post(`/lessons/${params.id}/sessions`);
      }
      play.session = session;
      play.byId = new Map(session.exercises.map((e) => [e.id, e]));
      play.queue = [...session.queue];
      play.state = session.state;
      save({ key, sessionId: session.id, pending: play.pending });
      play.course = await api.get(`/courses/${session.course_id}`).catch(() => null);
      if (destroyed) return;
      updateTop();
      if (play.pending) {
        showExercise();
        play.widget.lock();
        await send();
      } else if (!play.queue.length) {
        await complete();
      } else {
        showExercise();
      }
    } catch (error) {
      if (destroyed) return;
      startFailed(error);
    }
  }

  function startFailed(error) {
    button.hidden = true;
    if (error instanceof ApiError && error.code === "out_of_hearts") return outOfHearts(error);
    if (error instanceof ApiError && error.code === "session_expired_signin") return;
    if (error instanceof ApiError && ["nothing_to_practice", "lesson_locked"].includes(error.code)) {
      clear(stage).append(h("div.panel.center", { dataset: { testid: "cannot-start", code: error.code } },
        h("h1", { text: error.code === "lesson_locked" ? "Not yet!" : "Nothing to practise yet" }),
        h("p", { text: error.message }),
        h("a.btn.primary", { href: closeHref() }, "Back to the path")));
      return;
    }
    setPhase("error");
    clear(stage).append(errorPanel(error, start));
  }

  function outOfHearts(error) {
    setPhase("out-of-hearts");
    save(null);
    button.hidden = true;
    clear(feedback);
    const courseId = play.session?.course_id || play.course?.id || query.course;
    clear(stage).append(h("div.panel.center.out-of-hearts", { dataset: { testid: "out-of-hearts" } },
      h("div.big-icon.hearts-empty", { "aria-hidden": "true" }, icon("heart", { size: 72 })),
      h("h1", { tabindex: "-1", text: "You're out of hearts" }),
      h("p", { text: error?.message || "Practise to earn a heart back, or wait for a refill." }),
      h("p.muted", { text: "Practice never costs hearts, and each round you finish gives one back." }),
      h("div.row.center", {},
        h("a.btn.primary", { href: `#/practice${courseId ? `?course=${courseId}` : ""}`, dataset: { testid: "go-practice" } }, "Practise to earn hearts"),
        h("a.btn", { href: closeHref() }, "Back"))));
    stage.querySelector("h1").focus();
  }

  // -- one exercise --------------------------------------------------------------------------

  function showExercise() {
    play.widget?.stop?.();
    const exercise = play.byId.get(play.queue[0]);
    play.reply = null;
    setPhase("answering");
    clear(feedback);
    footer.dataset.result = "";
    button.hidden = false;
    button.textContent = "Check";
    skipMsg.textContent = "Enter ⏎ to check";
    play.widget = renderExercise(exercise, {
      course: play.course,
      changed: () => { if (play.phase === "answering") button.disabled = play.widget?.value() === null; },
      submit: () => primary(),
    });
    clear(stage).append(play.widget.el);
    button.disabled = play.widget.value() === null;
    play.widget.focus();
    play.widget.start?.();
  }

  function primary() {
    if (play.phase === "answering") return check();
    if (play.phase === "retry") return send();
    if (play.phase === "feedback") return next();
    if (play.phase === "complete-retry") return complete();
    return undefined;
  }

  async function check() {
    const answer = play.widget.value();
    if (answer === null) return;
    play.pending = { exercise_id: play.queue[0], answer, client_answer_id: uuid() };
    save({ key, sessionId: play.session.id, pending: play.pending });
    play.widget.lock();
    await send();
  }

  async function send() {
    setPhase("sending");
    button.disabled = true;
    button.textContent = "Checking…";
    const pending = play.pending;
    try {
      const reply = await api.post(`/sessions/${play.session.id}/answers`, pending);
      if (destroyed) return;
      play.pending = null;
      save({ key, sessionId: play.session.id, pending: null });
      answered(pending, reply);
    } catch (error) {
      if (destroyed) return;
      if (error instanceof NetworkError || (error instanceof ApiError && error.retryable)) {
        // Keep the answer; the retry resends it with the same client_answer_id.
        setPhase("retry");
        footer.dataset.result = "retry";
        clear(feedback).append(h("div.retry-box", { role: "alert", dataset: { testid: "answer-retry" } },
          h("strong", { text: error instanceof NetworkError ? "Connection lost." : "The server had a problem." }),
          " ", h("span", { text: "Your answer is kept — send it again when you're ready." })));
        button.disabled = false;
        button.textContent = "Retry";
        button.focus();
        return;
      }
      if (error instanceof ApiError && error.code === "session_expired_signin") return; // back after signing in
      play.pending = null;
      save(null);
      if (error instanceof ApiError && error.code === "out_of_hearts") return outOfHearts(error);
      if (error instanceof ApiError && error.code === "exercise_not_pending") return resync();
      setPhase("error");
      button.hidden = true;
      clear(feedback);
      clear(stage).append(h("div.panel.center", { role: "alert", dataset: { testid: "session-error", code: error.code || "error" } },
        h("h1", { text: "This lesson can't continue" }),
        h("p", { text: describe(error) }),
        h("button.btn.primary", { type: "button", on: { click: () => { save(null); start(); } } }, "Start again")));
    }
  }

  async function resync() {
    const session = await api.get(`/sessions/${play.session.id}`);
    play.queue = [...session.queue];
    play.state = session.state;
    updateTop();
    if (play.queue.length) showExercise(); else await complete();
  }

  function answered(pending, reply) {
    play.reply = reply;
    play.state = reply.state;
    // Follow the server's queue: the answered exercise leaves the head; a wrong one comes back last.
    play.queue = play.queue.filter((id) => id !== pending.exercise_id);
    if (reply.will_repeat) play.queue.push(pending.exercise_id);
    updateTop();
    play.widget.reveal(reply);
    setPhase("feedback");
    footer.dataset.result = reply.correct ? "correct" : "wrong";
    const verdict = reply.verdict;
    const headline = reply.correct
      ? verdict.kind === "typo" ? "Correct — watch the typo!" : verdict.kind === "accent" ? "Correct — mind the accents!" : pickPraise()
      : "Not quite.";
    const showDiff = verdict.diff.length && (verdict.kind === "typo" || verdict.kind === "accent" || !reply.correct)
      && ["translate", "listen", "fill_blank", "word_bank"].includes(play.byId.get(pending.exercise_id)?.type);
    const solution = reply.solution;
    clear(feedback).append(h("div.verdict", { dataset: { testid: "verdict", correct: String(reply.correct), kind: verdict.kind } },
      h("h2.verdict-title", {}, reply.correct ? icon("check", { size: 24 }) : icon("close", { size: 24 }), h("span", { text: headline })),
      showDiff ? renderDiff(verdict.diff) : null,
      (!reply.correct || verdict.kind !== "exact") && solution.text
        ? h("p.solution", {}, h("span.label", { text: reply.correct ? "Meaning: " : "Correct answer: " }), h("span", { dataset: { testid: "solution" }, text: solution.text }))
        : null,
      solution.pairs && !reply.correct
        ? h("ul.solution-pairs", { dataset: { testid: "solution-pairs" } }, solution.pairs.map(([l, r]) => h("li", { text: `${l} = ${r}` })))
        : null,
      reply.will_repeat ? h("p.small", { dataset: { testid: "will-repeat" }, text: "You'll see this one again before the end." }) : null));
    if (reply.state.status === "failed") {
      button.textContent = "Continue";
      button.disabled = false;
      button.focus();
      return;
    }
    button.disabled = false;
    button.textContent = "Continue";
    skipMsg.textContent = "Enter ⏎ to continue";
    button.focus();
  }

  function pickPraise() {
    const words = ["Nice!", "Great job!", "Correct!", "Well done!", "Excellent!"];
    return words[(play.state?.answered || 0) % words.length];
  }

  async function next() {
    if (play.state.status === "failed") return outOfHearts(null);
    if (play.queue.length) return showExercise();
    return complete();
  }

  // -- completion ------------------------------------------------------------------------------

  async function complete() {
    play.widget?.stop?.();
    setPhase("completing");
    button.disabled = true;
    button.textContent = "Saving…";
    try {
      const done = await api.post(`/sessions/${play.session.id}/complete`);
      if (destroyed) return;
      save(null);
      finished(done);
      api.get("/users/me/progress").then((progress) => store.set({ progress })).catch(() => {});
    } catch (error) {
      if (destroyed) return;
      if (error instanceof ApiError && error.code === "out_of_hearts") return outOfHearts(error);
      if (error instanceof ApiError && error.code === "session_not_finished") return resync();
      if (error instanceof ApiError && error.code === "session_expired_signin") return;
      setPhase("complete-retry");
      footer.dataset.result = "retry";
      clear(feedback).append(h("div.retry-box", { role: "alert", dataset: { testid: "complete-retry" } }, describe(error)));
      button.disabled = false;
      button.textContent = "Retry";
      button.focus();
    }
  }

  function finished(done) {
    setPhase("done");
    footer.dataset.result = "";
    clear(feedback);
    bar.firstChild.style.width = "100%";
    const xp = done.xp;
    const row = (label, value, testid) => h("div.xp-row", { dataset: { testid } }, h("dt", { text: label }), h("dd", { text: `+${value} XP` }));
    clear(stage).append(h("div.panel.center.complete", { dataset: { testid: "complete", xp: xp.total } },
      h("div.big-icon", { "aria-hidden": "true" }, icon("star", { size: 72 })),
      h("h1", { tabindex: "-1", text: done.kind === "practice" ? "Practice complete!" : "Lesson complete!" }),
      h("div.complete-stats", {},
        h("div.stat-card.xp", {}, h("span.label", { text: "Total XP" }), h("strong", { dataset: { testid: "xp-total" }, text: String(xp.total) })),
        h("div.stat-card.streak", { dataset: { testid: "streak" } }, h("span.label", { text: "Streak" }),
          h("strong", {}, icon("flame", { size: 20 }), ` ${done.streak.length} day${done.streak.length === 1 ? "" : "s"}`),
          done.streak.extended_today ? h("span.small", { text: "extended today" }) : null),
        h("div.stat-card", {}, h("span.label", { text: "Mistakes" }), h("strong", { text: String(done.mistakes) })),
        h("div.stat-card", {}, h("span.label", { text: "Best combo" }), h("strong", { text: String(done.best_combo) }))),
      h("dl.xp-breakdown", { dataset: { testid: "xp-breakdown" } },
        row("Lesson", xp.base, "xp-base"),
        xp.perfect_bonus ? row("No mistakes bonus", xp.perfect_bonus, "xp-perfect") : null,
        xp.combo_bonus ? row("Combo bonus", xp.combo_bonus, "xp-combo") : null),
      goalRing(done.daily_goal, 110)));
    button.hidden = false;
    button.disabled = false;
    button.textContent = "Continue";
    skipMsg.textContent = "";
    setPhase("done");
    button.onclick = null;
    play.phase = "done";
    stage.querySelector("h1").focus();
  }

  // -- keys --------------------------------------------------------------------------------------

  function onKey(event) {
    if (event.defaultPrevented || event.isComposing) return;
    const tag = event.target.tagName;
    if (event.key === "Enter") {
      if (tag === "A" || (tag === "BUTTON" && event.target !== button) || (tag === "TEXTAREA" && event.shiftKey)) return;
      if (event.target === button) return; // the button's own click handles it
      if (play.phase === "done") { event.preventDefault(); leave(); return; }
      if (!button.hidden && !button.disabled) { event.preventDefault(); primary(); }
      else if (tag === "TEXTAREA") event.preventDefault();
      return;
    }
    if (play.phase === "answering" && play.widget?.key(event)) event.preventDefault();
  }
  function leave() {
    navigate(play.course ? `/course/${play.course.id}` : "/learn");
  }
  button.addEventListener("click", () => { if (play.phase === "done") leave(); });
  const online = () => { if (play.phase === "retry") send(); };
  document.addEventListener("keydown", onKey);
  window.addEventListener("online", online);
  start();
  return () => {
    destroyed = true;
    play.widget?.stop?.();
    document.removeEventListener("keydown", onKey);
    window.removeEventListener("online", online);
  };
}
