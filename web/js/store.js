// A small store: one state object, "change" events carrying the keys that changed.
// Views subscribe with store.on(keys, fn) and get an unsubscribe function back.

export class Store extends EventTarget {
  constructor(initial = {}) {
    super();
    this.state = { ...initial };
  }
  get(key) {
    return this.state[key];
  }
  set(patch) {
    const changed = Object.keys(patch).filter((key) => this.state[key] !== patch[key]);
    if (!changed.length) return;
    Object.assign(this.state, patch);
    this.dispatchEvent(new CustomEvent("change", { detail: { keys: changed } }));
  }
  on(keys, fn) {
    const wanted = new Set(Array.isArray(keys) ? keys : [keys]);
    const listener = (event) => {
      if (event.detail.keys.some((key) => wanted.has(key))) fn(this.state);
    };
    this.addEventListener("change", listener);
    return () => this.removeEventListener("change", listener);
  }
}

export const store = new Store({
  user: null, // GET /users/me
  progress: null, // GET /users/me/progress (hearts, streak, xp)
  online: navigator.onLine,
});
