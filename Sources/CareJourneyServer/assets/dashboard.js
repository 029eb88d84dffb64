// Live updates without reload: the server's committed-event stream (server-sent events) tells the page that
// something changed; the page fetches itself again and swaps in the parts marked data-live, leaving forms and
// focus alone. Without JavaScript every page still works; it is just not live.
(function () {
  "use strict";
  var status = document.getElementById("live-status");
  var regions = document.querySelectorAll("[data-live]");
  if (!window.EventSource || regions.length === 0) { return; }
  var caseFilter = document.body.getAttribute("data-case");
  var pending = false;
  var lastRefresh = 0;

  function say(text) { if (status) { status.textContent = text; } }

  function refresh() {
    pending = false;
    lastRefresh = Date.now();
    fetch(window.location.href, { headers: { "Accept": "text/html" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
      .then(function (text) {
        var fresh = new DOMParser().parseFromString(text, "text/html");
        document.querySelectorAll("[data-live]").forEach(function (region) {
          var replacement = fresh.getElementById(region.id);
          if (replacement) { region.replaceWith(document.importNode(replacement, true)); }
        });
        say("Updated at " + new Date().toLocaleTimeString("en-GB"));
      })
      .catch(function () { say("Live updates paused: the page could not be fetched."); });
  }

  function schedule() {
    if (pending) { return; }
    pending = true;
    // At most one refresh a second however busy the service is.
    window.setTimeout(refresh, Math.max(0, 1000 - (Date.now() - lastRefresh)));
  }

  var source = null;

  function listen() {
    source = new EventSource("/live");
    source.addEventListener("case", function (message) {
      if (caseFilter) {
        try { if (JSON.parse(message.data).case !== caseFilter) { return; } } catch (e) { return; }
      }
      schedule();
    });
    source.onopen = function () { say("Live: updates appear as they happen."); };
    source.onerror = function () { say("Live updates reconnecting…"); };
  }

  // A page left (or kept in the back-forward cache) gives its connection back: browsers allow only a few per
  // server, and an open stream would hold one.
  window.addEventListener("pagehide", function () { if (source) { source.close(); source = null; } });
  window.addEventListener("pageshow", function () { if (!source) { listen(); schedule(); } });
  listen();
})();
