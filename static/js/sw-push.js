// Push side of the service worker (imported by /sw.js with importScripts).
// A reminder arrives as JSON: {title, body, tag, url, taken?: {url, token, title}}.
// "Taken" records the dose without opening the app: the signed, single-use token is the
// authority (no session), and the server records one dose however often it is tapped.
/* eslint-env serviceworker */
(function () {
  "use strict";

  self.addEventListener("push", function (event) {
    var data = {};
    try { data = event.data ? event.data.json() : {}; } catch (e) { data = { title: event.data.text() }; }
    var options = {
      body: data.body || "",
      tag: data.tag || "fibrotrack-reminder",
      icon: "/static/favicon.svg",
      data: { url: data.url || "/", taken: data.taken || null },
      actions: data.taken ? [{ action: "taken", title: data.taken.title || "Taken" }] : [],
    };
    event.waitUntil(self.registration.showNotification(data.title || "FibroTrack", options));
  });

  self.addEventListener("notificationclick", function (event) {
    var data = event.notification.data || {};
    event.notification.close();
    if (event.action === "taken" && data.taken) {
      event.waitUntil(fetch(data.taken.url, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ token: data.taken.token }),
        credentials: "omit",
      }).catch(function () { return self.clients.openWindow(data.url); }));
      return;
    }
    event.waitUntil(self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (windows) {
      for (var i = 0; i < windows.length; i++) {
        if ("focus" in windows[i]) { windows[i].navigate(data.url); return windows[i].focus(); }
      }
      return self.clients.openWindow(data.url);
    }));
  });
})();
