// Works without a connection: registers the service worker (/sw.js), keeps a check-in saved offline
// in the outbox (outbox.js) and sends it when the connection returns, and keeps what the person
// tapped across Back/Forward and reloads. Progressive enhancement: without it the form posts as usual.
"use strict";
(function () {
  const script = document.currentScript;
  const outbox = self.FTOutbox;
  if (!outbox || !("serviceWorker" in navigator) || !window.indexedDB) return;

  function register() {
    navigator.serviceWorker.register(script.dataset.sw, { scope: "/" }).then(() => navigator.serviceWorker.ready).then((reg) => {
      // The first visit is not served by the worker yet: ask it to keep this page and its files.
      if (!navigator.serviceWorker.controller && reg.active) {
        const files = Array.from(document.querySelectorAll("script[src], link[rel=stylesheet]"), (el) => el.src || el.href);
        reg.active.postMessage({ type: "remember", page: location.href, files });
      }
    }).catch(() => {});
  }

  // Leaving the account: the check-in pages kept for offline use go with it.
  document.addEventListener("submit", (event) => {
    if (!event.target.matches("form.logout")) return;
    caches.keys().then((keys) => keys.filter((k) => k.startsWith("ft-pages-")).forEach((k) => caches.delete(k)));
    sessionStorage.clear();
  });

  // Choosing on the conflict page settles the outbox entry that opened it (its client id came along).
  document.addEventListener("submit", (event) => {
    if (!event.target.matches("form.conflict")) return;
    const id = event.target.querySelector("input[name=client_id]");
    if (id) outbox.remove(id.value);
  });

  register();
  const form = document.querySelector("form[data-outbox]");
  const status = document.getElementById("outbox-status");
  if (!form || !status) {
    if (navigator.onLine) outbox.flush().catch(() => {});
    return;
  }

  // --- Draft: what the person tapped, kept per day in this tab (sessionStorage) -----------------
  const draftKey = `ft-draft:${form.dataset.outbox}`;
  const SKIP = ["csrfmiddlewaretoken", "client_id"];
  const fields = () => Array.from(new FormData(form).entries()).filter(([name]) => !SKIP.includes(name));

  let filling = false; // what fill() restores is not a new tap
  function saveDraft() {
    if (!filling) sessionStorage.setItem(draftKey, JSON.stringify(fields()));
  }

  function fill(pairs) {
    filling = true;
    try { fillFields(pairs); } finally { filling = false; }
  }

  function fillFields(pairs) {
    const values = new Map();
    for (const [name, value] of pairs) values.set(name, (values.get(name) || []).concat(String(value)));
    for (const el of form.elements) {
      if (!el.name || el.disabled || SKIP.includes(el.name) || el.type === "submit" || el.type === "button") continue;
      const given = values.get(el.name) || [];
      const before = el.type === "checkbox" || el.type === "radio" ? el.checked : el.value;
      if (el.type === "checkbox" || el.type === "radio") el.checked = given.includes(el.value);
      else if (el.tagName === "SELECT" && el.multiple) for (const o of el.options) o.selected = given.includes(o.value);
      else el.value = given.length ? given[0] : "";
      const after = el.type === "checkbox" || el.type === "radio" ? el.checked : el.value;
      // Let the page's other scripts (the body map) redraw what changed.
      if (before !== after) el.dispatchEvent(new Event("change", { bubbles: true }));
    }
  }

  // A save the worker kept (the connection dropped during the post) does not know whose it is; the
  // check-in page it lands on does. Until claimed, an entry is sent for whoever is signed in.
  async function claim() {
    for (const entry of await outbox.all()) {
      if (!entry.owner) await outbox.put({ ...entry, owner: form.dataset.outboxOwner });
    }
  }

  async function restore() {
    const draft = sessionStorage.getItem(draftKey);
    if (draft) { fill(JSON.parse(draft)); return; }
    // A save of this day still waiting: show it, not the older copy of the page.
    const waiting = (await outbox.all()).filter((e) => e.url === absolute(form.dataset.outbox) && e.status !== "failed");
    if (waiting.length) fill(waiting[waiting.length - 1].fields.filter(([name]) => !SKIP.includes(name)));
  }

  const absolute = (url) => new URL(url, location.href).href;
  form.addEventListener("input", saveDraft);
  form.addEventListener("change", saveDraft);

  // --- Saving ----------------------------------------------------------------------------------
  form.addEventListener("submit", (event) => {
    // Always the dated address: a save kept overnight still belongs to the day it was made for.
    form.action = form.dataset.outbox;
    sessionStorage.removeItem(draftKey);
    if (navigator.onLine) return; // the server answers; if the connection is gone, the worker keeps it
    event.preventDefault();
    event.stopPropagation(); // app.js would mark the form as sent and block the next save
    const all = Array.from(new FormData(form).entries());
    outbox.queue(absolute(form.dataset.outbox), all, form.dataset.outboxOwner).then(() => {
      say("saved");
      navigator.serviceWorker.ready.then((reg) => reg.sync && reg.sync.register("fibrotrack-outbox")).catch(() => {});
    }).catch(() => form.submit());
  });

  // --- What the person sees ------------------------------------------------------------------
  let last = "";
  let news = ""; // the last thing worth saying: "saved", "sent" or "login"
  async function say(event) {
    if (["saved", "queued", "sent", "login"].includes(event)) news = event === "queued" ? "saved" : event;
    const entries = await outbox.all();
    const waiting = entries.filter((e) => e.status === "waiting");
    const parts = [];
    if (waiting.length) {
      parts.push(news === "login" ? line(status.dataset.login, "error") : line(status.dataset.saved));
      parts.push(line(`${status.dataset.waiting} ${waiting.length}`));
    } else if (news === "sent") {
      parts.push(line(status.dataset.sent, "success"));
    }
    for (const entry of entries) {
      if (entry.status === "conflict") parts.push(conflictLine(entry));
      if (entry.status === "failed") parts.push(failedLine(entry));
    }
    const text = parts.map((p) => p.textContent).join("|");
    if (text === last && event !== "saved") return; // nothing new to announce
    last = text;
    status.replaceChildren(...parts);
  }

  function line(text, kind, tag) {
    const p = document.createElement(tag || "p"); // a div when it holds a form or a button
    p.className = `message message-${kind || "info"}`;
    p.textContent = text;
    return p;
  }

  function dayOf(entry) {
    const match = /(\d{4})-(\d{2})-(\d{2})/.exec(entry.url);
    if (!match) return entry.url;
    const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
    return date.toLocaleDateString(document.documentElement.lang || undefined, { weekday: "long", day: "numeric", month: "long" });
  }

  function conflictLine(entry) {
    const p = line(status.dataset.conflict.replace("%(day)s", dayOf(entry)), "error", "div");
    // Sending the kept form as a normal page load lets the server show both versions.
    const choose = document.createElement("form");
    choose.method = "post";
    choose.action = entry.url;
    for (const [name, value] of entry.fields) {
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      input.value = value;
      choose.append(input);
    }
    const button = document.createElement("button");
    button.type = "submit";
    button.className = "button primary";
    button.textContent = status.dataset.choose;
    choose.append(button);
    p.append(" ", choose);
    return p;
  }

  function failedLine(entry) {
    const p = line(`${status.dataset.failed.replace("%(day)s", dayOf(entry))} ${entry.message}`, "error", "div");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "button small";
    button.textContent = status.dataset.dismiss;
    button.addEventListener("click", () => outbox.remove(entry.id).then(() => say("removed")));
    p.append(" ", button);
    return p;
  }

  async function send() {
    if (!navigator.onLine) return say("offline");
    const results = await outbox.flush().catch(() => []);
    return say(results.includes("login") ? "login" : results.includes("sent") ? "sent" : "checked");
  }

  // This day was just saved from the outbox (by this page or the worker): take the page's new version,
  // so that the next save from this page is not taken for a stale one (it shows the sent answers).
  async function refreshVersion(url) {
    if (url !== absolute(form.dataset.outbox)) return; // another day: this form's version still holds
    if (sessionStorage.getItem(draftKey)) return; // unsaved taps: a save asks if the day moved
    try {
      const text = await (await fetch(form.dataset.outbox, { credentials: "same-origin", cache: "no-store" })).text();
      for (const name of ["version", "loaded", "client_id", "csrfmiddlewaretoken"]) {
        const found = new RegExp(`name="${name}" value="([^"]*)"`).exec(text) || new RegExp(`value="([^"]*)" name="${name}"`).exec(text);
        const input = form.querySelector(`input[name=${name}]`);
        if (found && input) input.value = found[1].replace(/&quot;/g, '"').replace(/&amp;/g, "&");
      }
    } catch (error) { /* offline again: a later save shows the conflict page if the day moved */ }
  }

  if (window.BroadcastChannel) {
    new BroadcastChannel(outbox.CHANNEL).onmessage = async (event) => {
      const data = event.data || {};
      if (data.type === "sent") await refreshVersion(data.url);
      say(data.type);
    };
  }
  window.addEventListener("online", send);
  window.addEventListener("offline", () => say("offline"));
  window.addEventListener("pageshow", (event) => {
    // A page brought back by Back/Forward, or a copy kept by the worker, may hold the client id of a
    // save already sent: the server would take the next save for that one again and keep nothing new.
    const clientId = form.querySelector("input[name=client_id]");
    if (clientId) clientId.value = outbox.newId();
    if (event.persisted) {
      // Back/Forward brought the page back as it was: let the Save button work again (app.js).
      delete form.dataset.sent;
      for (const button of form.querySelectorAll("button[type=submit]")) button.removeAttribute("aria-disabled");
    }
    claim().then(restore).then(send).catch(() => {});
  });
})();
