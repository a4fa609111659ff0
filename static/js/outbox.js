// The outbox: check-ins saved without a connection wait here (IndexedDB) until they can be sent.
// Loaded by every page and by the service worker (importScripts), so it uses only what both have.
// An entry is {id, url, fields: [[name, value], ...], owner, status, message, savedAt}; its id is
// the form's client_id, so sending it twice (the answer was lost) is still one save on the server.
"use strict";
(function (root) {
  const DB = "fibrotrack-outbox";
  const STORE = "outbox";
  const LOCK = "fibrotrack-outbox";
  const NOT_SENT = ["csrfmiddlewaretoken"];

  function open() {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open(DB, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "id" });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  async function run(mode, work) {
    const db = await open();
    return new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const request = work(tx.objectStore(STORE));
      tx.oncomplete = () => { db.close(); resolve(request ? request.result : undefined); };
      tx.onerror = () => { db.close(); reject(tx.error); };
    });
  }

  const all = () => run("readonly", (store) => store.getAll());
  const put = (entry) => run("readwrite", (store) => store.put(entry));
  const remove = (id) => run("readwrite", (store) => store.delete(id)).then(() => changed({ type: "removed", id }));

  function changed(detail) {
    // Tells every page (and the worker) of this site that the outbox changed.
    if (root.BroadcastChannel) new BroadcastChannel(LOCK).postMessage(detail);
  }

  function newId() {
    if (root.crypto && crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  // Keeps a save of one day. A newer save of the same day replaces the one still waiting (it holds every
  // answer; two saves from one old version would otherwise ask the person to choose between their own).
  // The entry gets a client id of its own: the form may come from a cached copy whose id was already sent.
  async function queue(url, fields, owner) {
    const waiting = (await all()).filter((e) => e.url === url && e.status === "waiting");
    const id = newId();
    const kept = fields.filter(([name]) => name !== "client_id");
    kept.push(["client_id", id]);
    const entry = { id, url, fields: kept, owner: owner || "", status: "waiting", message: "", savedAt: Date.now() };
    await put(entry);
    for (const old of waiting) await run("readwrite", (store) => store.delete(old.id));
    changed({ type: "queued", id });
    return entry;
  }

  function unescapeHtml(text) {
    const named = { amp: "&", lt: "<", gt: ">", quot: '"', "#x27": "'", "#39": "'" };
    return text.replace(/&(amp|lt|gt|quot|#x27|#39);/g, (_, name) => named[name]);
  }

  // A fresh copy of the day's page: its CSRF token, and whose check-in form it is.
  async function freshPage(url) {
    const response = await fetch(url, { credentials: "same-origin", cache: "no-store" });
    const text = response.ok ? await response.text() : "";
    const token = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(text);
    const owner = /data-outbox-owner="([^"]*)"/.exec(text);
    // Sent somewhere else (the login page): nobody is signed in.
    const away = response.redirected && new URL(response.url).pathname !== new URL(url, response.url).pathname;
    return { token: token ? token[1] : "", owner: owner ? owner[1] : null, away, ok: response.ok };
  }

  function serverMessage(text) {
    const found = /class="message message-error">([^<]*)</.exec(text) || /class="error"[^>]*>([^<]*)</.exec(text);
    return found ? unescapeHtml(found[1]).trim() : "";
  }

  // Sends one entry; resolves to its new status: "sent", "waiting", "conflict", "failed" or "login".
  async function send(entry) {
    let page;
    try {
      page = await freshPage(entry.url);
    } catch (error) {
      return "waiting"; // still no connection
    }
    if (page.away) return "login";
    if (!page.ok) return "waiting"; // the server has a problem: try again later
    // Someone else is signed in on this phone: their account never gets this entry.
    if (entry.owner && page.owner !== null && page.owner !== entry.owner) return "waiting";
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const body = new URLSearchParams();
      for (const [name, value] of entry.fields) if (!NOT_SENT.includes(name)) body.append(name, value);
      body.append("csrfmiddlewaretoken", page.token);
      let response;
      try {
        response = await fetch(entry.url, { method: "POST", body, credentials: "same-origin", redirect: "follow" });
      } catch (error) {
        return "waiting";
      }
      const path = new URL(response.url).pathname;
      if (response.ok && response.redirected && path === new URL(entry.url, response.url).pathname) {
        await remove(entry.id);
        changed({ type: "sent", id: entry.id, url: entry.url });
        return "sent";
      }
      if (response.status === 409) {
        // Changed elsewhere: nothing is overwritten. The person opens the conflict page and chooses.
        entry.fields = entry.fields.filter(([name]) => !NOT_SENT.includes(name));
        entry.fields.push(["csrfmiddlewaretoken", page.token]);
        return mark(entry, "conflict", "");
      }
      if (response.status === 400) {
        // Refused whole (a client id used for another day, an answer out of range): never retried.
        return mark(entry, "failed", serverMessage(await response.text()));
      }
      if (response.status === 403 && attempt === 0) {
        // The session changed since the page was fetched: one more try with a newer token.
        try { page = await freshPage(entry.url); } catch (error) { return "waiting"; }
        continue;
      }
      if (response.redirected) return "login";
      return "waiting"; // a server error: try again later
    }
    return "waiting";
  }

  async function mark(entry, status, message) {
    entry.status = status;
    entry.message = message;
    await put(entry);
    changed({ type: status, id: entry.id });
    return status;
  }

  // Sends everything waiting, one at a time; the lock keeps a page and the worker from sending together.
  async function flush() {
    const work = async () => {
      const results = [];
      for (const entry of await all()) {
        if (entry.status === "waiting") results.push(await send(entry));
      }
      return results;
    };
    if (root.navigator && navigator.locks) return navigator.locks.request(LOCK, work);
    return work();
  }

  root.FTOutbox = { all, put, queue, flush, send, remove, newId, CHANNEL: LOCK };
})(self);
