// Reminder settings: turn push notifications on or off for this device.
// The service worker (/sw.js) imports sw-push.js, which shows the messages.
(function () {
  "use strict";
  var section = document.getElementById("push");
  if (!section) return;
  var status = section.querySelector("[data-push-status]");
  var onRow = section.querySelector("[data-push-on]");
  var offRow = section.querySelector("[data-push-off]");
  var on = onRow.querySelector("button");
  var off = offRow.querySelector("button");

  function say(key) {
    var t = section.querySelector('template[data-text="' + key + '"]');
    if (t) status.textContent = t.content.textContent;
  }
  function csrf() {
    var m = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return m ? decodeURIComponent(m[1]) : field ? field.value : "";
  }
  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify(body),
    }).then(function (r) { if (!r.ok) throw new Error(r.status); return r; });
  }
  function keyBytes(base64url) {
    var pad = "=".repeat((4 - (base64url.length % 4)) % 4);
    var raw = atob((base64url + pad).replace(/-/g, "+").replace(/_/g, "/"));
    var out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out;
  }
  function show(subscribed) {
    onRow.hidden = subscribed;
    offRow.hidden = !subscribed;
    say(subscribed ? "on" : "off");
  }
  function registration() {
    return navigator.serviceWorker.register("/sw.js").then(function () { return navigator.serviceWorker.ready; });
  }

  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    say("unsupported");
    return;
  }
  registration().then(function (reg) {
    return reg.pushManager.getSubscription();
  }).then(function (sub) { show(!!sub); }).catch(function () { say("unsupported"); });

  on.addEventListener("click", function () {
    on.disabled = true;
    Notification.requestPermission().then(function (permission) {
      if (permission !== "granted") { say("denied"); return null; }
      return registration().then(function (reg) {
        return reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(section.dataset.pushKey) });
      }).then(function (sub) {
        return post(section.dataset.subscribeUrl, sub.toJSON()).then(function () { show(true); });
      });
    }).catch(function () { say("failed"); }).then(function () { on.disabled = false; });
  });

  off.addEventListener("click", function () {
    off.disabled = true;
    registration().then(function (reg) { return reg.pushManager.getSubscription(); }).then(function (sub) {
      if (!sub) { show(false); return null; }
      return post(section.dataset.unsubscribeUrl, { endpoint: sub.endpoint }).catch(function () { return null; })
        .then(function () { return sub.unsubscribe(); }).then(function () { show(false); });
    }).catch(function () { say("failed"); }).then(function () { off.disabled = false; });
  });
})();
