// The live page's client, how it follows the story: the server-sent-event stream from the version
// the page was rendered at, polling the changes feed when the stream is unavailable, and
// reconnecting. live_page.js, loaded first, applies each change to the page and shares
// `window.newsroomLive`. No framework, no build step, no inline code (CSP).
(function () {
  "use strict";

  var POLL_MS = 1000;
  var RECONNECT_MS = 2000;
  var MAX_RETRY_AFTER_MS = 300000;

  var live = window.newsroomLive;
  if (!live) {
    return;
  }
  var source = null;
  var pollTimer = null;
  var reconnectTimer = null;

  function apply(change) {
    live.apply(change);
    if (live.ended) {
      stop();
    }
  }

  function onEvent(event) {
    apply(JSON.parse(event.data));
  }

  function stop() {
    if (source) {
      source.close();
      source = null;
    }
    if (pollTimer) {
      clearTimeout(pollTimer);
      pollTimer = null;
    }
    if (reconnectTimer) {
      clearTimeout(reconnectTimer);
      reconnectTimer = null;
    }
  }

  function poll() {
    pollTimer = null;
    if (live.ended) {
      return;
    }
    fetch("/api/stories/" + live.slug + "/changes?after=" + live.version, { headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("changes: " + response.status);
        }
        return response.json();
      })
      .then(function (answer) {
        answer.changes.forEach(apply);
        if (!live.ended && !source) {
          pollTimer = setTimeout(poll, answer.has_more ? 0 : POLL_MS);
        }
      })
      .catch(function () {
        if (!live.ended && !source) {
          pollTimer = setTimeout(poll, POLL_MS * 2);
        }
      });
  }

  function startPolling() {
    if (!pollTimer && !live.ended) {
      pollTimer = setTimeout(poll, POLL_MS);
    }
  }

  function streamUrl() {
    return "/stories/" + live.slug + "/live?after=" + live.version;
  }

  // Milliseconds to wait from a Retry-After header (seconds or an HTTP date), within bounds.
  function retryAfterMs(header) {
    var wait = /^\d+$/.test(header || "") ? parseInt(header, 10) * 1000 : Date.parse(header || "") - Date.now();
    if (!(wait > 0)) {
      wait = RECONNECT_MS;
    }
    return Math.min(wait, MAX_RETRY_AFTER_MS);
  }

  function reconnectIn(wait) {
    if (!live.ended && !reconnectTimer) {
      reconnectTimer = setTimeout(connect, wait + Math.random() * wait * 0.5);
    }
  }

  // EventSource does not say why a stream failed. Past the server's cap on streams it is a 503
  // with Retry-After: ask once, poll the changes feed meanwhile, and try the stream again then.
  function retryStream() {
    var controller = typeof AbortController === "function" ? new AbortController() : null;
    fetch(streamUrl(), { cache: "no-store", signal: controller ? controller.signal : undefined })
      .then(function (response) {
        if (controller) {
          controller.abort(); // only the status was wanted, never a second stream
        }
        if (response.status === 204) {
          return;
        }
        reconnectIn(response.status === 503 ? retryAfterMs(response.headers.get("Retry-After")) : RECONNECT_MS);
      })
      .catch(function () {
        reconnectIn(RECONNECT_MS);
      });
  }

  function connect() {
    reconnectTimer = null;
    if (live.ended) {
      return;
    }
    if (typeof window.EventSource !== "function") {
      startPolling();
      return;
    }
    source = new EventSource(streamUrl());
    live.kinds.forEach(function (kind) { source.addEventListener(kind, onEvent); });
    source.onopen = function () {
      if (pollTimer) {
        clearTimeout(pollTimer);
        pollTimer = null;
      }
    };
    source.onerror = function () {
      // While CONNECTING the browser retries by itself, resuming with Last-Event-ID. CLOSED means
      // it gave up: poll meanwhile, and open a new stream from the version applied.
      if (source && source.readyState === EventSource.CLOSED) {
        source = null;
        startPolling();
        if (!live.ended) {
          retryStream();
        }
      }
    };
  }

  connect();
}());
