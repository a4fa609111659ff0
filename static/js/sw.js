// The service worker's body. /sw.js (fibrotrack/lib/pwa.py) defines self.FT, then imports outbox.js,
// this file and sw-push.js. Static files have hashed names, so they are served from the cache first;
// the check-in pages come from the network first, with the last good copy when there is none.
"use strict";
/* global FT, FTOutbox */
const STATIC_CACHE = `ft-static-${FT.version}`;
const PAGE_CACHE = `ft-pages-${FT.version}`;
const SYNC_TAG = "fibrotrack-outbox";

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(STATIC_CACHE).then((cache) => cache.addAll(FT.shell)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  // Caches of older versions reference files a deploy removed: drop them.
  const keep = [STATIC_CACHE, PAGE_CACHE];
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("ft-") && !keep.includes(k)).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

const CHECKIN = new RegExp(FT.checkin);
const KEEP_PAGES = 20; // the most recent days opened; older copies go

function isPage(url) {
  return url.origin === self.location.origin && CHECKIN.test(url.pathname);
}

async function remember(request, response) {
  // Only a real copy of the page: never a redirect to the login page or an error.
  if (response.ok && !response.redirected && response.type === "basic") {
    const cache = await caches.open(PAGE_CACHE);
    await cache.put(request, response.clone());
    // Today's page (/diary/) saves to its dated address: keep the copy under that one too, so that
    // the page shown after a save kept offline is the same day's.
    const dated = /data-outbox="([^"]+)"/.exec(await response.clone().text());
    if (dated && new URL(dated[1], request.url).href !== request.url) {
      await cache.put(new URL(dated[1], request.url).href, response.clone());
    }
    const kept = await cache.keys();
    await Promise.all(kept.slice(0, Math.max(0, kept.length - KEEP_PAGES)).map((old) => cache.delete(old)));
  }
  return response;
}

async function networkFirst(request) {
  try {
    return await remember(request, await fetch(request));
  } catch (error) {
    const copy = await caches.match(request, { ignoreVary: true, ignoreSearch: true });
    return copy || (await caches.match(FT.offline)) || Response.error();
  }
}

async function cacheFirst(request) {
  const copy = await caches.match(request);
  if (copy) return copy;
  const response = await fetch(request);
  if (response.ok && response.type === "basic") (await caches.open(STATIC_CACHE)).put(request, response.clone());
  return response;
}

// A save sent while the phone thinks it is online, but the connection is gone: keep it in the outbox
// and show the day again (from the cache), instead of the browser's error page and a lost check-in.
async function postOrKeep(event) {
  const copy = event.request.clone();
  try {
    return await fetch(event.request);
  } catch (error) {
    const form = await copy.formData();
    await FTOutbox.queue(event.request.url, Array.from(form.entries()), "");
    if (self.registration.sync) self.registration.sync.register(SYNC_TAG).catch(() => {});
    return Response.redirect(event.request.url, 303);
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && request.mode === "navigate" && isPage(url)) {
    event.respondWith(postOrKeep(event));
  } else if (request.method !== "GET") {
    return;
  } else if (url.pathname.startsWith(FT.static)) {
    event.respondWith(cacheFirst(request));
  } else if (request.mode === "navigate") {
    event.respondWith(isPage(url) ? networkFirst(request) : fetch(request).catch(() => caches.match(FT.offline)));
  } else if (isPage(url)) {
    event.respondWith(networkFirst(request)); // the outbox's fresh copy of a day's page
  }
});

// A page that loaded before this worker controlled it asks for itself and its files to be kept.
self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type !== "remember") return;
  event.waitUntil((async () => {
    const urls = (data.files || []).filter((u) => new URL(u).pathname.startsWith(FT.static));
    const cache = await caches.open(STATIC_CACHE);
    await Promise.all(urls.map((u) => cache.match(u).then((hit) => hit || cache.add(u)).catch(() => {})));
    const page = new URL(data.page);
    if (!isPage(page)) return;
    try {
      await remember(new Request(page.href), await fetch(page.href, { credentials: "same-origin" }));
    } catch (error) { /* offline again: the next visit keeps it */ }
  })());
});

self.addEventListener("sync", (event) => {
  if (event.tag === SYNC_TAG) event.waitUntil(FTOutbox.flush());
});
