/* themecoder review pack: the supervisor's side. No network, no libraries; every project
   text goes into the page through textContent, never as HTML. */
(function () {
  "use strict";
  var started = performance.now();
  var D = JSON.parse(document.getElementById("pack-data").textContent);
  var S = D.strings;
  var STORE_KEY = "themecoder.review-pack:" + D.project.id + ":" + (D.reviewer || "");
  var STATUSES = ["proposed", "approved", "needs-revision"];

  function fmt(s, v) {
    return s.replace(/\{(\w+)\}/g, function (m, k) { return Object.prototype.hasOwnProperty.call(v, k) ? String(v[k]) : m; });
  }
  function el(tag, attrs, kids) {
    var e = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v === null || v === undefined || v === false) return;
        if (k === "text") e.textContent = v;
        else if (k === "cls") e.className = v;
        else if (k === "hidden") e.hidden = true;
        else e.setAttribute(k, v === true ? "" : v);
      });
    }
    (kids || []).forEach(function (c) { if (c) e.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return e;
  }
  function $(id) { return document.getElementById(id); }
  function nowIso() { return new Date().toISOString().replace("Z", "+00:00"); }
  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  // -- the supervisor's work, kept in local storage ------------------------------------------
  var items = D.items, byKey = {}, knownComments = {};
  items.forEach(function (it) {
    byKey[it.key] = it;
    it.threads.forEach(function (th) { th.comments.forEach(function (c) { knownComments[c.id] = true; }); });
  });
  var storageOk = true;
  function blank() { return { name: D.reviewer || "", statuses: {}, comments: [], ids: {} }; }
  function load() {
    var st = blank();
    try {
      var raw = window.localStorage.getItem(STORE_KEY);
      if (raw) {
        var got = JSON.parse(raw);
        st.name = typeof got.name === "string" ? got.name : st.name;
        st.ids = got.ids || {};
        // Work the project already has (imported since this browser kept it) is dropped.
        Object.keys(got.statuses || {}).forEach(function (k) {
          var s = got.statuses[k], it = byKey[k];
          if (it && STATUSES.indexOf(s.status) >= 0 && !(it.status_set && s.set <= it.status_set)) st.statuses[k] = s;
        });
        st.comments = (got.comments || []).filter(function (c) { return byKey[c.key] && !knownComments[c.id]; });
      }
    } catch (e) { storageOk = false; }
    return st;
  }
  var state = load();
  function persist() {
    try { window.localStorage.setItem(STORE_KEY, JSON.stringify(state)); }
    catch (e) { storageOk = false; say(S.no_storage); }
  }
  function say(text) { $("message").textContent = text; }

  function statusOf(it) { var s = state.statuses[it.key]; return s ? s.status : it.status; }
  function isOpen(it) { return statusOf(it) === "proposed"; }

  // -- rendering -------------------------------------------------------------------------------
  var themeById = {}, children = {}, articles = {}, themeLis = {}, n = 0;
  D.themes.forEach(function (t) { themeById[t.id] = t; });
  D.themes.forEach(function (t) {
    var p = t.parent && themeById[t.parent] ? t.parent : "";
    (children[p] = children[p] || []).push(t);
  });

  function heading(level, id, kind, name, it) {
    var h = el("h" + Math.min(6, level), { id: id });
    h.appendChild(el("span", { cls: "kind", text: kind }));
    h.appendChild(document.createTextNode(name));
    h.appendChild(el("span", { cls: "badge status" }));
    if (it.changed) h.appendChild(el("span", { cls: "badge changed", text: S.changed }));
    return h;
  }
  function quoteLi(q, isKey) {
    var li = el("li", { cls: isKey ? "key" : null });
    if (isKey) li.appendChild(el("span", { cls: "key-mark", text: S.key_quote }));
    li.appendChild(el("blockquote", { text: q.text }));
    li.appendChild(el("span", { cls: "cite", text: "— " + q.who + (q.where ? ", " + q.where : "") }));
    return li;
  }
  function commentLi(c, isNew) {
    var meta = el("span", { cls: "comment-meta", text: (c.author || state.name || "?") + ", " + (c.created || "").slice(0, 10) });
    var li = el("li", { "data-comment": c.id }, [meta]);
    if (isNew) li.appendChild(el("span", { cls: "badge comment-new", text: S["new"] }));
    li.appendChild(el("p", { text: c.text }));
    if (isNew) {
      // a comment not yet saved into the project can still be taken back
      var del = el("button", { type: "button", cls: "secondary delete", "aria-label": S.delete_label, text: S["delete"] });
      del.addEventListener("click", function () {
        var art = li.closest("article.item");
        state.comments = state.comments.filter(function (x) { return x.id !== c.id; });
        persist();
        li.remove();
        if (art) art.focus();
      });
      li.appendChild(del);
    }
    return li;
  }

  function statusFieldset(it, idx) {
    var fs = el("fieldset", { cls: "status" }, [el("legend", { text: S.status })]);
    STATUSES.forEach(function (s) {
      var id = "st-" + idx + "-" + s;
      var input = el("input", { type: "radio", name: "st-" + idx, id: id, value: s });
      input.addEventListener("change", function () { if (input.checked) setStatus(it, s); });
      fs.appendChild(el("label", { "for": id }, [input, " " + S[s]]));
    });
    return fs;
  }

  function threadList(it, art) {
    var ul = el("ul", { cls: "threads", "aria-label": S.threads });
    it.threads.forEach(function (th) {
      var root = th.comments[0];
      var li = commentLi(root, false);
      if (th.resolved) li.appendChild(el("span", { cls: "badge", text: S.resolved }));
      var replies = el("ul");
      th.comments.slice(1).forEach(function (c) { replies.appendChild(commentLi(c, false)); });
      li.appendChild(replies);
      li.appendChild(replyBox(it, root.id, replies, art));
      ul.appendChild(li);
    });
    state.comments.forEach(function (c) {
      if (c.key !== it.key) return;
      if (c.parent) {
        var host = ul.querySelector('[data-comment="' + c.parent + '"] > ul');
        if (host) host.appendChild(commentLi(c, true));
      } else {
        ul.appendChild(commentLi(c, true));
      }
    });
    return ul;
  }

  function replyBox(it, rootId, host, art) {
    var idx = ++n;
    var wrap = el("div", { cls: "comment-box" });
    var toggle = el("button", { type: "button", cls: "secondary", "aria-expanded": "false", text: S.reply });
    var box = el("div", { hidden: true });
    var ta = el("textarea", { id: "reply-" + idx, rows: "2" });
    var send = el("button", { type: "button", text: S.reply });
    box.appendChild(el("label", { "for": "reply-" + idx, text: S.reply_label }));
    box.appendChild(ta);
    box.appendChild(send);
    toggle.addEventListener("click", function () {
      box.hidden = !box.hidden;
      toggle.setAttribute("aria-expanded", String(!box.hidden));
      if (!box.hidden) ta.focus();
    });
    send.addEventListener("click", function () {
      var c = addComment(it, ta.value, rootId);
      if (c) { host.appendChild(commentLi(c, true)); ta.value = ""; box.hidden = true; toggle.setAttribute("aria-expanded", "false"); art.focus(); }
    });
    wrap.appendChild(toggle);
    wrap.appendChild(box);
    return wrap;
  }

  function commentBox(it, idx, threads) {
    var id = "c-" + idx;
    var ta = el("textarea", { id: id, rows: "3", cls: "comment-input" });
    var btn = el("button", { type: "button", cls: "add-comment", text: S.add_comment });
    btn.addEventListener("click", function () {
      var c = addComment(it, ta.value, null);
      if (c) { threads.appendChild(commentLi(c, true)); ta.value = ""; }
    });
    return el("div", { cls: "comment-box" }, [el("label", { "for": id, text: S.comment }), ta, btn]);
  }

  function article(it, level) {
    var idx = ++n, hid = "h-" + idx;
    var theme = themeById[it.theme_id];
    var art = el("article", { cls: "item " + (it.target === "theme" ? "theme" : "mapping"), id: "item-" + idx,
                              tabindex: "-1", "aria-labelledby": hid, "data-key": it.key });
    if (it.changed) art.classList.add("changed");
    if (it.target === "theme") {
      art.appendChild(heading(level, hid, S.theme, theme.name, it));
      var dl = el("dl", { cls: "texts" });
      [["description", theme.description], ["analytic_text", theme.analytic_text], ["condensate", theme.condensate]]
        .forEach(function (p) { if (p[1]) { dl.appendChild(el("dt", { text: S[p[0]] })); dl.appendChild(el("dd", { text: p[1] })); } });
      if (dl.firstChild) art.appendChild(dl);
      if (theme.key_quote) art.appendChild(el("ul", { cls: "quotes key-quote" }, [quoteLi(theme.key_quote, true)]));
      if (!theme.codes.length) art.appendChild(el("p", { cls: "muted", text: S.no_codes }));
    } else {
      var code = D.codes[it.code_id];
      art.appendChild(heading(level, hid, S.code + " · " + fmt(S.code_in, { theme: theme.name }), code.label, it));
      if (code.description) art.appendChild(el("p", { cls: "muted", text: code.description }));
      if (code.quotes.length) {
        art.appendChild(el("p", { cls: "quotes-label", text: S.quotes + " (" + code.quotes.length + ")" }));
        var ul = el("ul", { cls: "quotes" });
        code.quotes.forEach(function (q, i) {
          var li = quoteLi(q, q.id === theme.key_coding);
          if (i >= 3) li.hidden = true;
          ul.appendChild(li);
        });
        art.appendChild(ul);
        if (code.quotes.length > 3) {
          var more = el("button", { type: "button", cls: "secondary more", text: fmt(S.more, { n: code.quotes.length - 3 }) });
          more.addEventListener("click", function () {
            Array.prototype.forEach.call(ul.children, function (li) { li.hidden = false; });
            more.remove();
            art.focus();
          });
          art.appendChild(more);
        }
      }
    }
    art.appendChild(statusFieldset(it, idx));
    var threads = threadList(it, art);
    art.appendChild(threads);
    art.appendChild(commentBox(it, idx, threads));
    art.addEventListener("focusin", function () { current = art; });
    articles[it.key] = art;
    paint(it);
    return art;
  }

  function themeNode(t) {
    var li = el("li", { cls: "theme-node", "data-theme": t.id });
    themeLis[t.id] = li;
    li.appendChild(article(byKey["theme|" + t.id + "|"], 3 + t.depth));
    if (t.codes.length) {
      var ul = el("ul", { cls: "codes" });
      t.codes.forEach(function (cid) {
        ul.appendChild(el("li", { "data-key": "mapping|" + t.id + "|" + cid }, [article(byKey["mapping|" + t.id + "|" + cid], 4 + t.depth)]));
      });
      li.appendChild(ul);
    }
    var kids = children[t.id] || [];
    if (kids.length) {
      var ol = el("ol");
      kids.forEach(function (k) { ol.appendChild(themeNode(k)); });
      li.appendChild(ol);
    }
    return li;
  }

  function paint(it) {
    var art = articles[it.key], s = statusOf(it);
    STATUSES.forEach(function (x) { art.classList.toggle("s-" + x, x === s); });
    art.querySelector(".badge.status").textContent = S[s];
    var radio = art.querySelector('input[type="radio"][value="' + s + '"]');
    if (radio) radio.checked = true;
  }

  // -- actions ---------------------------------------------------------------------------------
  function setStatus(it, s) {
    if (!it) return;
    state.statuses[it.key] = { status: s, set: nowIso() };
    persist();
    paint(it);
    count();
  }
  function addComment(it, text, parent) {
    text = (text || "").trim();
    if (!text) return null;
    var c = { id: uuid(), key: it.key, parent: parent, text: text, created: nowIso() };
    state.comments.push(c);
    persist();
    return c;
  }
  function count() {
    var left = items.filter(isOpen).length;
    $("counter").textContent = fmt(S.left, { left: left, total: items.length });
  }

  function itemId(key) {
    var it = byKey[key];
    if (it.item_id) return it.item_id;
    if (!state.ids[key]) { state.ids[key] = uuid(); persist(); }
    return state.ids[key];
  }
  function review(name) {
    var keys = [];
    Object.keys(state.statuses).forEach(function (k) { if (keys.indexOf(k) < 0) keys.push(k); });
    state.comments.forEach(function (c) { if (keys.indexOf(c.key) < 0) keys.push(c.key); });
    var outItems = keys.map(function (k) {
      var it = byKey[k], st = state.statuses[k];
      var first = state.comments.filter(function (c) { return c.key === k; })[0];
      return {
        id: itemId(k), target: it.target,
        theme: { id: it.theme_id, name: it.theme_name },
        code: it.target === "mapping" ? { id: it.code_id, label: it.code_label } : null,
        mapping_id: it.mapping_id,
        status: st ? st.status : null, status_by: st ? name : null, status_set: st ? st.set : null,
        created: it.created || (st ? st.set : first.created)
      };
    });
    var comments = state.comments.map(function (c) {
      return { id: c.id, item_id: itemId(c.key), parent_id: c.parent || null, author: name, text: c.text,
               created: c.created, resolved: null, resolved_by: null };
    });
    return {
      format: D.review_format.format, version: D.review_format.version, review_id: uuid(),
      project: D.project, exported: nowIso(), exported_by: name, reviewers: [name],
      base_action: D.base_action, items: outItems, comments: comments
    };
  }
  function saveReview() {
    var name = $("reviewer").value.trim();
    if (!name) { say(S.need_name); $("reviewer").focus(); return; }
    state.name = name;
    persist();
    var data = review(name);
    var file = name.replace(/[^\p{L}\p{N}._-]+/gu, "-").replace(/^[-.]+|-+$/g, "") + ".review.json";
    if (file === ".review.json") file = "review.review.json";
    var blob = new Blob([JSON.stringify(data, null, 2) + "\n"], { type: "application/json" });
    var a = el("a", { href: URL.createObjectURL(blob), download: file, hidden: true });
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 2000);
    say(fmt(S.saved, { file: file }));
  }

  // -- filters and keyboard --------------------------------------------------------------------
  function subtree(id) {
    var out = {};
    (function walk(t) { out[t] = true; (children[t] || []).forEach(function (k) { walk(k.id); }); })(id);
    return out;
  }
  function applyFilters() {
    var openOnly = $("open-only").checked, changedOnly = $("changed-only").checked;
    var tf = $("theme-filter").value, inTheme = tf ? subtree(tf) : null;
    function shows(it) {
      return (!openOnly || isOpen(it)) && (!changedOnly || it.changed) && (!inTheme || inTheme[it.theme_id]);
    }
    var any = false;
    (function walk(list) {
      var seen = false;
      list.forEach(function (t) {
        var li = themeLis[t.id];
        var own = shows(byKey["theme|" + t.id + "|"]), codes = false;
        t.codes.forEach(function (cid) {
          var key = "mapping|" + t.id + "|" + cid, v = shows(byKey[key]);
          var host = articles[key].parentNode;
          if (host.hidden !== !v) host.hidden = !v;
          codes = codes || v;
        });
        var sub = walk(children[t.id] || []);
        var visible = own || codes || sub;
        if (li.hidden !== !visible) li.hidden = !visible;
        seen = seen || visible;
      });
      any = any || seen;
      return seen;
    })(children[""] || []);
    $("nothing").hidden = any;
  }
  var current = null;
  function visibleArticles() {
    return Array.prototype.filter.call(document.querySelectorAll("article.item"), function (a) { return !a.closest("[hidden]"); });
  }
  function move(d) {
    var list = visibleArticles();
    if (!list.length) return;
    var i = list.indexOf(current);
    var next = list[i < 0 ? 0 : Math.max(0, Math.min(list.length - 1, i + d))];
    next.focus();
    next.scrollIntoView({ block: "nearest" });
  }
  function currentItem() {
    var art = (document.activeElement && document.activeElement.closest && document.activeElement.closest("article.item")) || current;
    return art ? byKey[art.getAttribute("data-key")] : null;
  }
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target, tag = t.tagName || "";
    if (tag === "TEXTAREA" || tag === "SELECT" || (tag === "INPUT" && t.type === "text")) {
      if (e.key === "Escape" && t.closest("article.item")) { t.closest("article.item").focus(); e.preventDefault(); }
      return;
    }
    var radio = tag === "INPUT" && t.type === "radio";
    var it = currentItem();
    if (e.key === "j" || (e.key === "ArrowDown" && !radio)) move(1);
    else if (e.key === "k" || (e.key === "ArrowUp" && !radio)) move(-1);
    else if (e.key === "a" && it) setStatus(it, "approved");
    else if (e.key === "r" && it) { setStatus(it, "needs-revision"); articles[it.key].querySelector(".comment-input").focus(); }
    else if (e.key === "c" && it) articles[it.key].querySelector(".comment-input").focus();
    else return;
    e.preventDefault();
  });

  // -- the page --------------------------------------------------------------------------------
  $("skip").textContent = S.skip;
  $("intro").textContent = S.intro;
  $("generated").textContent = fmt(S.generated, { date: D.generated.slice(0, 10) });
  $("reviewer-label").textContent = S.reviewer;
  $("reviewer").value = state.name;
  $("reviewer").addEventListener("input", function () { state.name = $("reviewer").value; persist(); });
  $("save").textContent = S.save;
  $("save").addEventListener("click", saveReview);
  $("filters-legend").textContent = S.filters;
  $("open-only-label").textContent = S.open_only;
  $("changed-only-label").textContent = S.changed_only;
  $("theme-filter-label").textContent = S.theme_filter;
  var sel = $("theme-filter");
  sel.appendChild(el("option", { value: "", text: S.all_themes }));
  D.themes.forEach(function (t) { sel.appendChild(el("option", { value: t.id, text: "\u2003".repeat(t.depth) + t.name })); });
  ["open-only", "changed-only", "theme-filter"].forEach(function (id) { $(id).addEventListener("change", applyFilters); });
  $("keys").textContent = S.keys;
  $("changes-heading").textContent = S.changes;
  $("changes-since").textContent = D.changes.since ? fmt(S.changes_since, D.changes.since) : S.no_review;
  var cl = $("changes-list");
  D.changes.lines.forEach(function (line) { cl.appendChild(el("li", { text: line })); });
  if (D.changes.since && !D.changes.lines.length) cl.appendChild(el("li", { text: S.no_changes }));
  $("tree-heading").textContent = S.themes;
  $("nothing").textContent = S.nothing;
  var tree = $("tree");
  (children[""] || []).forEach(function (t) { tree.appendChild(themeNode(t)); });
  count();
  applyFilters();
  if (!storageOk) say(S.no_storage);
  window.themecoderPack = { renderMs: performance.now() - started, items: items.length };
  document.documentElement.setAttribute("data-ready", "1");
})();
