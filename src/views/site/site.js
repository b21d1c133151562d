// hftlist site: search, filters, sort and the "cite" control for index.html.
//
// The page lists every paper without this script. The script reads its data from the
// <script type="application/json" id="f_data"> block (filter facts, venue options, title rank)
// and bibtex.js, never from the network, so it works from file:// and offline. The filters mean what
// `hftlist query`'s do; which papers each venue option selects was computed by hftlist itself.
// The state lives in the query string, so a filtered view can be linked and Back works.
(function () {
  "use strict";

  function $(id) {
    return document.getElementById(id);
  }

  var dataBlock = $("f_data");
  if (!dataBlock) {
    return;
  }
  var data = JSON.parse(dataBlock.textContent);
  var q = $("f_q");
  var kind = $("f_kind");
  var stage = $("f_stage");
  var from = $("f_from");
  var to = $("f_to");
  var venue = $("f_venue");
  var pub = $("f_pub");
  var code = $("f_code");
  var sort = $("f_sort");
  var count = $("f_count");

  // Sections, outermost first, each with the element holding its count.
  var sections = Array.prototype.map.call(document.querySelectorAll("section.sec"), function (el) {
    var heading = el.querySelector("h2,h3,h4,h5,h6");
    var tocLink = document.querySelector('nav.toc a[href="#' + el.getAttribute("aria-labelledby") + '"]');
    return {
      el: el,
      count: heading ? heading.querySelector(".cnt") : null,
      toc: tocLink ? tocLink.parentNode.querySelector(".cnt") : null,
      n: 0,
      shown: true,
    };
  });
  var sectionIndex = new Map();
  sections.forEach(function (s, i) {
    sectionIndex.set(s.el, i);
  });

  var byId = new Map();
  var papers = [];
  data.papers.forEach(function (p, i) {
    var el = $(p.id);
    if (!el) {
      return;
    }
    var parts = [];
    el.querySelectorAll(".t,.a,.v,.n,.g").forEach(function (e) {
      parts.push(e.textContent);
    });
    var secs = [];
    for (var s = el.parentNode; s && s !== document.body; s = s.parentNode) {
      if (sectionIndex.has(s)) {
        secs.push(sectionIndex.get(s));
      }
    }
    p.el = el;
    p.i = i;
    p.text = parts.join("\n").toLowerCase();
    p.secs = secs;
    p.shown = true;
    papers.push(p);
    byId.set(p.id, p);
  });
  // A section's papers come in lists of at most 50, so that the browser can skip the lists off
  // screen (content-visibility: auto). Each list keeps its number of slots when re-sorted.
  var groups = new Map();
  var lists = [];
  document.querySelectorAll("ol.papers").forEach(function (ol) {
    var group = groups.get(ol.parentNode);
    if (!group) {
      group = { lists: [], papers: [] };
      groups.set(ol.parentNode, group);
    }
    var list = { ol: ol, size: ol.children.length, n: -1 };
    group.lists.push(list);
    lists.push(list);
    Array.prototype.forEach.call(ol.children, function (li) {
      var p = byId.get(li.getAttribute("data-id"));
      if (p) {
        group.papers.push(p);
        p.list = list;
      }
    });
  });
  // The height of a paper, to size the lists off screen; measured once the page is laid out.
  var paperHeight = 110;
  var currentSort = "newest";

  function selectValue(select, value) {
    var ok = Array.prototype.some.call(select.options, function (o) {
      return o.value === value;
    });
    select.value = ok ? value : "";
  }

  function yearValue(value) {
    return /^[0-9]{4}$/.test(value || "") ? value : "";
  }

  // The controls from a query string; unknown values are dropped.
  function readQuery(search) {
    var u = new URLSearchParams(search);
    q.value = u.get("q") || "";
    selectValue(kind, u.get("kind") || "");
    selectValue(stage, u.get("stage") || "");
    from.value = yearValue(u.get("from"));
    to.value = yearValue(u.get("to"));
    selectValue(venue, u.get("venue") || "");
    selectValue(pub, u.get("pub") || "");
    code.checked = u.get("code") === "1";
    selectValue(sort, u.get("sort") || "newest");
    if (!sort.value) {
      sort.value = "newest";
    }
  }

  // The query string for the controls' state.
  function writeQuery() {
    var u = new URLSearchParams();
    if (q.value.trim()) {
      u.set("q", q.value);
    }
    [["kind", kind], ["stage", stage], ["from", from], ["to", to], ["venue", venue], ["pub", pub]].forEach(
      function (f) {
        if (f[1].value) {
          u.set(f[0], f[1].value);
        }
      }
    );
    if (code.checked) {
      u.set("code", "1");
    }
    if (sort.value !== "newest") {
      u.set("sort", sort.value);
    }
    var s = u.toString();
    return s ? "?" + s : location.pathname;
  }

  function matcher() {
    var words = q.value.toLowerCase().split(/\s+/).filter(Boolean);
    var k = kind.value;
    var st = stage.value;
    var lo = from.value ? parseInt(from.value, 10) : NaN;
    var hi = to.value ? parseInt(to.value, 10) : NaN;
    var v = venue.value ? data.venues.indexOf(venue.value) : -1;
    var noVenue = venue.value !== "" && v < 0;
    var pb = pub.value;
    var c = code.checked;
    return function (p) {
      if ((k && p.k !== k) || (st && p.s !== st)) {
        return false;
      }
      if ((!isNaN(lo) && p.y < lo) || (!isNaN(hi) && p.y > hi)) {
        return false;
      }
      if (noVenue || (v >= 0 && p.o.indexOf(v) < 0)) {
        return false;
      }
      if ((pb === "published" && p.p !== 1) || (pb === "preprint" && p.p !== 0)) {
        return false;
      }
      if (c && p.c !== 1) {
        return false;
      }
      for (var w = 0; w < words.length; w++) {
        if (p.text.indexOf(words[w]) < 0) {
          return false;
        }
      }
      return true;
    };
  }

  function reorder() {
    if (sort.value === currentSort) {
      return;
    }
    currentSort = sort.value;
    var key = {
      newest: function (p) {
        return -p.i;
      },
      date: function (p) {
        return p.i;
      },
      title: function (p) {
        return p.r;
      },
    }[currentSort];
    groups.forEach(function (group) {
      var sorted = group.papers.slice().sort(function (a, b) {
        return key(a) - key(b);
      });
      var at = 0;
      group.lists.forEach(function (l) {
        var frag = document.createDocumentFragment();
        sorted.slice(at, at + l.size).forEach(function (p) {
          frag.appendChild(p.el);
          p.list = l;
        });
        at += l.size;
        l.ol.appendChild(frag);
      });
    });
    countLists();
    sizeLists(true);
  }

  function countLists() {
    lists.forEach(function (l) {
      l.seen = 0;
    });
    papers.forEach(function (p) {
      if (p.shown) {
        p.list.seen++;
      }
    });
  }

  // Hides empty lists and sizes the others for when they are off screen.
  function sizeLists(all) {
    lists.forEach(function (l) {
      if (!all && l.seen === l.n) {
        return;
      }
      l.n = l.seen;
      l.ol.hidden = l.n === 0;
      l.ol.style.containIntrinsicBlockSize = Math.round(l.n * paperHeight) + "px";
    });
  }

  // Shows the papers that pass every filter; only elements whose state changes are touched.
  function apply() {
    var ok = matcher();
    var shown = 0;
    sections.forEach(function (s) {
      s.n = 0;
    });
    lists.forEach(function (l) {
      l.seen = 0;
    });
    for (var i = 0; i < papers.length; i++) {
      var p = papers[i];
      var pass = ok(p);
      if (pass !== p.shown) {
        p.el.hidden = !pass;
        p.shown = pass;
      }
      if (pass) {
        shown++;
        p.list.seen++;
        for (var j = 0; j < p.secs.length; j++) {
          sections[p.secs[j]].n++;
        }
      }
    }
    sections.forEach(function (s) {
      var text = String(s.n);
      if (s.count && s.count.textContent !== text) {
        s.count.textContent = text;
      }
      if (s.toc && s.toc.textContent !== text) {
        s.toc.textContent = text;
      }
      if ((s.n > 0) !== s.shown) {
        s.shown = s.n > 0;
        s.el.hidden = !s.shown;
        if (s.toc) {
          s.toc.parentNode.hidden = !s.shown;
        }
      }
    });
    sizeLists(false);
    reorder();
    count.textContent =
      shown === papers.length ? papers.length + " papers" : shown + " of " + papers.length + " papers";
  }

  // Typing in a box replaces the history entry its first key added, so Back undoes the whole
  // word; any other change adds an entry.
  var typingIn = null;
  function changed(box) {
    apply();
    var url = writeQuery();
    if (url === location.search || (url === location.pathname && !location.search)) {
      return;
    }
    if (box && typingIn === box) {
      history.replaceState(null, "", url);
    } else {
      history.pushState(null, "", url);
    }
    typingIn = box;
  }

  $("f_form").addEventListener("submit", function (e) {
    e.preventDefault();
  });
  [q, from, to].forEach(function (box) {
    box.addEventListener("input", function () {
      changed(box);
    });
  });
  [kind, stage, venue, pub, code, sort].forEach(function (el) {
    el.addEventListener("change", function () {
      changed(null);
    });
  });
  $("f_clear").addEventListener("click", function () {
    readQuery("");
    changed(null);
  });
  window.addEventListener("popstate", function () {
    typingIn = null;
    readQuery(location.search);
    apply();
  });

  function copied(button, text) {
    button.textContent = text;
    setTimeout(function () {
      button.textContent = "cite";
    }, 2000);
  }

  // The BibTeX of every paper, from bibtex.js, loaded on the first "cite" (a third of the
  // page's weight otherwise). A script element, not fetch: fetch is refused from file://.
  var bibtexWaiting = null;
  function withBibtex(done) {
    if (window.hftlistBibtex) {
      done(window.hftlistBibtex);
      return;
    }
    if (bibtexWaiting) {
      bibtexWaiting.push(done);
      return;
    }
    bibtexWaiting = [done];
    var s = document.createElement("script");
    s.src = "bibtex.js";
    s.onload = s.onerror = function () {
      var waiting = bibtexWaiting;
      bibtexWaiting = null;
      waiting.forEach(function (f) {
        f(window.hftlistBibtex || null);
      });
    };
    document.head.appendChild(s);
  }

  function say(button, text) {
    button.textContent = text;
    setTimeout(function () {
      button.textContent = "cite";
    }, 2500);
  }

  // "cite": shows the paper's BibTeX under it and copies it; where the clipboard is refused,
  // the text is selected for Ctrl+C instead.
  function cite(button, p, bib) {
    if (!bib) {
      say(button, "BibTeX not found");
      return;
    }
    var pre = p.el.querySelector("pre.bib");
    if (!pre) {
      pre = document.createElement("pre");
      pre.className = "bib";
      pre.textContent = bib;
      p.el.appendChild(pre);
    }
    pre.hidden = false;
    function fallback() {
      var range = document.createRange();
      range.selectNodeContents(pre);
      var sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
      say(button, "selected: press Ctrl+C");
    }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(bib).then(function () {
        say(button, "copied");
      }, fallback);
    } else {
      fallback();
    }
  }

  document.addEventListener("click", function (e) {
    var button = e.target.closest ? e.target.closest("button.cite") : null;
    if (!button) {
      return;
    }
    var p = byId.get(button.getAttribute("data-cite"));
    if (!p) {
      return;
    }
    withBibtex(function (all) {
      cite(button, p, all && Object.prototype.hasOwnProperty.call(all, p.id) ? all[p.id] : null);
    });
  });

  document.documentElement.classList.remove("nojs");
  readQuery(location.search);
  apply();
  // The first list with papers is on screen, hence laid out: its height gives a paper's.
  for (var l = 0; l < lists.length; l++) {
    if (lists[l].n > 0) {
      var h = lists[l].ol.getBoundingClientRect().height / lists[l].n;
      if (h > 20 && h < 1000) {
        paperHeight = h;
        sizeLists(true);
      }
      break;
    }
  }
  // The controls just appeared above the list: bring a linked paper (#id) back into view.
  var target = location.hash ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
  if (target) {
    target.scrollIntoView();
  }
})();
