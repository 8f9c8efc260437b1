// The live page's client, what it does to the page: places, shows and removes updates, keeps the
// key events, header, status and "N new updates" current, and announces what arrived, keeping the
// reader's place. live.js follows the story and hands each change to `window.newsroomLive.apply`.
// A page of a long story holds the updates numbered from `floor` up to `ceiling` (its `before`;
// none on the newest page, which alone shows the pinned update and new posts): a change to an
// update outside them is left to the page that holds it. "Show older updates" loads the next
// older page into this one; `#update-N` of an update on an older page goes to the page holding it.
// No framework, no build step, no inline code (CSP).
(function () {
  "use strict";

  // Bidi embeddings, overrides and isolates are left out of text shown, as the server's renderers
  // leave them out (infrastructure/rendering/bidi.py); the JSON keeps the words as stored.
  var BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

  var blog = document.getElementById("live-blog");
  if (!blog || blog.getAttribute("data-archived")) {
    return;
  }
  var zone = blog.getAttribute("data-zone") || "UTC";
  var keyEventsOnly = blog.getAttribute("data-filter") === "key-events";
  var list = document.getElementById("updates");
  var button = document.getElementById("new-updates");
  var announcer = document.getElementById("announcer");
  var baseTitle = document.title;
  var pending = [];
  var floor = parseInt(blog.getAttribute("data-floor") || "0", 10);
  var ceiling = blog.hasAttribute("data-before") ? parseInt(blog.getAttribute("data-before"), 10) : Infinity;
  var newest = ceiling === Infinity;

  // The one object the two scripts share: what live.js needs to follow the story, and `apply`.
  var live = window.newsroomLive = {
    slug: blog.getAttribute("data-slug"),
    // The kinds of change readers may see, as the server's event meanings name them: the stream's
    // event names. A kind this page has no case for shows its update, or (naming none) the header.
    kinds: (blog.getAttribute("data-kinds") || "").split(" ").filter(Boolean),
    // The version applied so far: changes are asked for after it, and each is applied once.
    version: parseInt(blog.getAttribute("data-version"), 10),
    // Once the story has ended live.js stops following it; a reopened story is followed on reload.
    ended: blog.getAttribute("data-status") === "closed",
    apply: apply
  };

  function shown(text) {
    return String(text || "").replace(BIDI_CONTROLS, "");
  }

  function parse(html) {
    var template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content.firstElementChild;
  }

  function articleOf(number) {
    return document.getElementById("update-" + number);
  }

  // Whether update `number` (not pinned) belongs on this page as loaded so far.
  function onPage(number) {
    return number >= floor && number < ceiling;
  }

  // The page that shows update `number`, at its anchor (as the server links it: paging.py).
  function contextUrl(number, pinned) {
    var page = "/stories/" + live.slug + (pinned ? "" : "?before=" + (number + 1));
    return page + "#update-" + number;
  }

  function atTop() {
    return list.getBoundingClientRect().top >= -10;
  }

  // Runs `change` without moving what the reader is looking at.
  function keepingPlace(change) {
    if (atTop()) {
      change();
      return;
    }
    var anchor = null;
    var children = list.children;
    for (var i = 0; i < children.length; i++) {
      if (children[i].getBoundingClientRect().bottom > 0) {
        anchor = children[i];
        break;
      }
    }
    var before = anchor ? anchor.getBoundingClientRect().top : 0;
    change();
    if (anchor && anchor.isConnected) {
      window.scrollBy(0, anchor.getBoundingClientRect().top - before);
    }
  }

  // Puts an article where the page would show it: the pinned one first, then newest first.
  function place(article, item) {
    var next = null;
    var children = list.children;
    for (var i = 0; i < children.length; i++) {
      var child = children[i];
      if (child === article) {
        continue;
      }
      var pinned = child.classList.contains("pinned");
      var number = parseInt(child.getAttribute("data-number"), 10);
      if (item.pinned || (!pinned && number < item.number)) {
        next = child;
        break;
      }
    }
    list.insertBefore(article, next);
    var empty = document.getElementById("no-updates");
    if (empty) {
      empty.remove();
    }
  }

  function show(change, fresh) {
    if (keyEventsOnly && !change.item.key_event) {
      remove(change.update);
      return;
    }
    if (!keyEventsOnly && (change.item.pinned ? !newest : !onPage(change.update))) {
      remove(change.update); // it is shown on another page (a pin moves an update to the newest)
      return;
    }
    var article = parse(change.html);
    if (fresh) {
      article.classList.add("fresh");
    }
    keepingPlace(function () {
      var old = articleOf(change.update);
      if (old) {
        old.replaceWith(article);
      }
      place(article, change.item);
    });
  }

  function remove(number) {
    var old = articleOf(number);
    if (old) {
      keepingPlace(function () { old.remove(); });
    }
  }

  function keyEvents(change) {
    var nav = document.getElementById("key-events");
    var items = document.getElementById("key-events-list");
    if (!nav || !items || change.update === null) {
      return;
    }
    var old = items.querySelector('li[data-number="' + change.update + '"]');
    if (old) {
      old.remove();
    }
    if (change.item && change.item.key_event) {
      var li = document.createElement("li");
      li.setAttribute("data-number", String(change.update));
      var link = document.createElement("a");
      link.href = articleOf(change.update) ? "#update-" + change.update : contextUrl(change.update, change.item.pinned);
      var time = parse(change.html).querySelector("time");
      if (time) {
        link.appendChild(time);
        link.appendChild(document.createTextNode(" "));
      }
      link.appendChild(document.createTextNode(shown(change.item.title)));
      li.appendChild(link);
      var next = null;
      var entries = items.children;
      for (var i = 0; i < entries.length; i++) {
        if (parseInt(entries[i].getAttribute("data-number"), 10) < change.update) {
          next = entries[i];
          break;
        }
      }
      items.insertBefore(li, next);
    }
    nav.hidden = items.children.length === 0;
  }

  function header(change) {
    var item = change.item;
    var headline = document.getElementById("headline");
    if (headline && item) {
      headline.textContent = shown(item.headline);
      baseTitle = shown(item.headline);
      title();
    }
    var standfirst = document.getElementById("standfirst");
    if (standfirst && item) {
      standfirst.textContent = "";
      shown(item.standfirst).split(/\n\s*\n/).forEach(function (text) {
        if (text.trim()) {
          var p = document.createElement("p");
          p.textContent = text.trim();
          standfirst.appendChild(p);
        }
      });
    }
  }

  function status(closed) {
    var badge = document.getElementById("status-badge");
    if (badge) {
      badge.textContent = closed ? "Ended" : "Live";
      badge.className = "badge " + (closed ? "ended" : "live");
    }
    var note = document.getElementById("ended");
    if (closed && !note) {
      note = document.createElement("p");
      note.id = "ended";
      note.className = "ended";
      note.textContent = "This live coverage has ended.";
      document.getElementById("status").after(note);
    } else if (!closed && note) {
      note.remove();
    }
    blog.setAttribute("data-status", closed ? "closed" : "live");
  }

  function machineTime(at) {
    return at.replace(/(\.\d{3})\d+/, "$1");
  }

  function stamp(at) {
    var time = document.getElementById("updated-at");
    if (!time) {
      return;
    }
    time.setAttribute("datetime", machineTime(at));
    try {
      var parts = {};
      new Intl.DateTimeFormat("en-GB", {
        timeZone: zone, day: "numeric", month: "long", year: "numeric",
        hour: "2-digit", minute: "2-digit", hourCycle: "h23"
      }).formatToParts(new Date(at)).forEach(function (part) { parts[part.type] = part.value; });
      time.textContent = parts.day + " " + parts.month + " " + parts.year + " " + parts.hour + ":" + parts.minute;
    } catch (error) {
      time.textContent = machineTime(at);
    }
  }

  function title() {
    document.title = pending.length ? "(" + pending.length + ") " + baseTitle : baseTitle;
  }

  function announce(text) {
    if (announcer) {
      announcer.textContent = text;
    }
  }

  function showPending() {
    button.textContent = pending.length === 1 ? "1 new update" : pending.length + " new updates";
    button.hidden = pending.length === 0;
    title();
  }

  function releasePending() {
    var changes = pending;
    pending = [];
    changes.forEach(function (change) { show(change, true); });
    showPending();
    list.scrollIntoView({ block: "start" });
  }

  function pendingIndex(number) {
    for (var i = 0; i < pending.length; i++) {
      if (pending[i].update === number) {
        return i;
      }
    }
    return -1;
  }

  // Applies a change once, by version: the page rendered at a version already shows it.
  function apply(change) {
    if (change.version <= live.version) {
      return;
    }
    live.version = change.version;
    blog.setAttribute("data-version", String(live.version));
    var held = change.update === null ? -1 : pendingIndex(change.update);
    switch (change.kind) {
      case "posted":
        if ((keyEventsOnly && !change.item.key_event) || !newest) {
          break; // a new update is on the newest page
        }
        if (atTop() && pending.length === 0) {
          show(change, true);
          announce("New update: " + shown(change.item.title));
        } else {
          pending.push(change);
          showPending();
          announce(pending.length === 1 ? "1 new update" : pending.length + " new updates");
        }
        break;
      case "retracted":
        if (held >= 0) {
          pending.splice(held, 1);
          showPending();
        }
        remove(change.update);
        break;
      case "closed":
        status(true);
        live.ended = true;
        break;
      case "reopened":
        status(false);
        break;
      default:
        if (change.update === null) {
          header(change);
        } else if (held >= 0) {
          pending[held] = change;
        } else if (change.item) {
          show(change, false);
        }
    }
    if (change.update !== null && held < 0) {
      keyEvents(change);
    }
    stamp(change.at);
  }

  // "Show older updates": the next older page's updates, added below, each once.
  function showOlder(event) {
    var older = event.currentTarget;
    event.preventDefault();
    if (older.getAttribute("aria-busy") === "true") {
      return;
    }
    older.setAttribute("aria-busy", "true");
    fetch(older.href, { headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("older updates: " + response.status);
        }
        return response.text();
      })
      .then(function (html) {
        var fetched = new DOMParser().parseFromString(html, "text/html");
        var added = 0;
        var loaded = {};
        fetched.querySelectorAll("#updates > article").forEach(function (article) {
          var number = parseInt(article.getAttribute("data-number"), 10);
          if (!articleOf(number) && number < floor && !article.classList.contains("pinned")) {
            place(document.importNode(article, true), { number: number, pinned: false });
            loaded[number] = true;
            added += 1;
          }
        });
        var other = fetched.getElementById("live-blog");
        var version = other ? parseInt(other.getAttribute("data-version"), 10) : live.version;
        if (version < live.version) {
          replay(version, loaded);
        }
        floor = other ? parseInt(other.getAttribute("data-floor") || "0", 10) : 0;
        blog.setAttribute("data-floor", String(floor));
        var next = fetched.getElementById("older-updates");
        if (next) {
          older.href = next.getAttribute("href");
          older.removeAttribute("aria-busy");
        } else {
          older.remove();
        }
        announce(added === 1 ? "1 older update shown" : added + " older updates shown");
      })
      .catch(function () {
        window.location.href = older.href; // the plain link still works
      });
  }

  // An older page from a cache may be behind the changes applied here: the updates it brought get
  // the changes made since its version, up to the one applied (the stream brings those after).
  function replay(after, numbers) {
    fetch("/api/stories/" + live.slug + "/changes?after=" + after + "&limit=1000", { headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("changes: " + response.status);
        }
        return response.json();
      })
      .then(function (answer) {
        answer.changes.forEach(function (change) {
          if (change.version <= live.version && change.update !== null && numbers[change.update]) {
            if (change.item && change.html) {
              show(change, false);
            } else {
              remove(change.update);
            }
          }
        });
        if (answer.has_more && answer.version < live.version) {
          replay(answer.version, numbers);
        }
      })
      .catch(function () {
        setTimeout(function () { replay(after, numbers); }, 2000);
      });
  }

  // An anchor of an update that is not on this page: go to the page that holds it.
  function followAnchor() {
    var found = /^#update-(\d+)$/.exec(window.location.hash);
    if (!found || !newest) {
      return;
    }
    var number = parseInt(found[1], 10);
    if (!articleOf(number) && number < floor) {
      window.location.replace(contextUrl(number, false));
    }
  }

  var olderLink = document.getElementById("older-updates");
  if (olderLink && !keyEventsOnly) {
    olderLink.addEventListener("click", showOlder);
  }
  // A key event shown here (loaded with the older updates, say) is scrolled to, not fetched again.
  var keyEventsList = document.getElementById("key-events-list");
  if (keyEventsList) {
    keyEventsList.addEventListener("click", function (event) {
      var link = event.target.closest ? event.target.closest("a") : null;
      var item = link ? link.closest("li") : null;
      if (item && articleOf(item.getAttribute("data-number"))) {
        event.preventDefault();
        window.location.hash = "update-" + item.getAttribute("data-number");
      }
    });
  }
  window.addEventListener("hashchange", followAnchor);
  followAnchor();
  button.addEventListener("click", releasePending);
}());
