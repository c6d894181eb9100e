/* meute's service worker, served at /sw.js (scope "/") by web.pwa.views.service_worker.

   - Static files (/static/…): served from the cache, refreshed from the network.
   - Pages: always from the network. A page the server marks "X-Meute-Offline: keep" (a personal
     speed-meeting schedule with its QR code, a group meeting's agenda) is copied into the
     "meute-personal" cache; when the network is down, a visited page is read from there, any
     other page gets the offline notice.
   - Nothing personal outlives its owner: every page names its viewer (X-Meute-Viewer, an opaque
     per-person key, empty when logged out); when it changes — logout, session expiry, another
     person logging in — the personal cache is deleted before anything is stored again. The
     logout form also deletes it, and the logout answer carries Clear-Site-Data. */
"use strict";

var STATIC_CACHE = "meute-static-v1";
var PERSONAL_CACHE = "meute-personal";
var OFFLINE_URL = "/offline/";
var VIEWER_KEY = "/__meute_viewer__";

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(STATIC_CACHE).then(function (cache) {
    return cache.addAll([OFFLINE_URL]);
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("meute-static-") === 0 && name !== STATIC_CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("message", function (event) {
  if (event.data && event.data.type === "logout") {
    event.waitUntil(caches.delete(PERSONAL_CACHE));
  }
});

function sameViewer(viewer) {
  return caches.open(PERSONAL_CACHE).then(function (cache) {
    return cache.match(VIEWER_KEY).then(function (stored) {
      return stored ? stored.text() : null;
    }).then(function (previous) {
      if (previous === viewer) { return cache; }
      return caches.delete(PERSONAL_CACHE).then(function () {
        if (!viewer) { return null; }
        return caches.open(PERSONAL_CACHE).then(function (fresh) {
          return fresh.put(VIEWER_KEY, new Response(viewer)).then(function () { return fresh; });
        });
      });
    });
  });
}

function remember(request, response) {
  var viewer = response.headers.get("X-Meute-Viewer") || "";
  return sameViewer(viewer).then(function (cache) {
    if (cache && viewer && response.ok && !response.redirected &&
        response.headers.get("X-Meute-Offline") === "keep") {
      return cache.put(request, response);
    }
    return null;
  });
}

function page(event) {
  var request = event.request;
  return fetch(request).then(function (response) {
    event.waitUntil(remember(request, response.clone()));
    return response;
  }, function () {
    return caches.open(PERSONAL_CACHE).then(function (cache) {
      return cache.match(request, {ignoreVary: true, ignoreSearch: false});
    }).then(function (kept) {
      return kept || caches.match(OFFLINE_URL, {cacheName: STATIC_CACHE});
    });
  });
}

function staticFile(request) {
  return caches.open(STATIC_CACHE).then(function (cache) {
    return cache.match(request).then(function (cached) {
      var fresh = fetch(request).then(function (response) {
        if (response.ok) { cache.put(request, response.clone()); }
        return response;
      }, function (error) {
        if (cached) { return cached; }
        throw error;
      });
      return cached || fresh;
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) { return; }
  if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(staticFile(request));
  } else if (request.mode === "navigate") {
    event.respondWith(page(event));
  }
});
