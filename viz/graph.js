/* Graph view of asielketen-kg.
 *
 * Reads the view's data from <script type="application/json" id="kg-data"> and draws it
 * with vis-network. Every text that comes from the data is put into the page with
 * textContent or createTextNode, never as HTML, so a label can never inject markup.
 */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var S = data.strings;
  var meta = data.meta;
  var CONFLICT = "contradiction";

  // ---------- small DOM helpers (text only) ----------

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function clear(node) {
    while (node.firstChild) { node.removeChild(node.firstChild); }
  }

  function fold(text) {
    // Case- and accent-insensitive form for search ("beëindiging" matches "beeindiging").
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function $(id) { return document.getElementById(id); }

  // ---------- static texts ----------

  var i18n = document.querySelectorAll("[data-i18n]");
  for (var i = 0; i < i18n.length; i++) {
    i18n[i].textContent = S[i18n[i].getAttribute("data-i18n")] || "";
  }
  $("kg-title").textContent = meta.title;
  $("kg-search").placeholder = S.search_placeholder;

  // ---------- indexes ----------

  var classById = {};
  data.classes.forEach(function (c) { classById[c.id] = c; });
  var relById = {};
  data.relations.forEach(function (r) { relById[r.id] = r; });
  var nodeById = {};
  var nodeByIri = {};
  data.nodes.forEach(function (n) { nodeByIri[n.iri] = n.id; });
  data.nodes.forEach(function (n) { nodeById[n.id] = n; n._fold = fold([n.name].concat(n.alt || []).join(" \u0000 ")); });
  var edgeById = {};
  var outgoing = {};
  var incoming = {};
  data.edges.forEach(function (e) {
    edgeById[e.id] = e;
    (outgoing[e.from] = outgoing[e.from] || []).push(e);
    (incoming[e.to] = incoming[e.to] || []).push(e);
  });
  var findingsByNode = {};
  data.findings.forEach(function (f, index) {
    f._index = index;
    [f.a_node, f.b_node, f.pivot_node].forEach(function (id) {
      if (id) { (findingsByNode[id] = findingsByNode[id] || []).push(f); }
    });
  });

  function documentTitle(iri) {
    return data.documents[iri] || iri;
  }

  // ---------- the network ----------

  // vis-network gets only what it draws; names, quotes and the rest stay in data.* for
  // the panels (vis-network deep-copies every field it is given).
  function pick(item, keys) {
    var out = {};
    keys.forEach(function (k) { if (item[k] !== undefined) { out[k] = item[k]; } });
    return out;
  }
  // On a large graph (meta.lazy_labels) labels and arrowheads are given to vis-network only
  // for what is in view once the reader zooms in far enough to see them: measuring thousands
  // of labels and drawing thousands of arrowheads is most of the time to the first frame,
  // and at the overview's scale they cannot be read anyway.
  var lazy = !!meta.lazy_labels;
  var NODE_KEYS = ["id", "group", "shape", "x", "y", "size"].concat(lazy ? [] : ["label"]);
  var EDGE_KEYS = ["id", "from", "to", "color", "width", "dashes", "font", "smooth"]
    .concat(lazy ? [] : ["label", "arrows"]);
  var nodes = new vis.DataSet(data.nodes.map(function (n) { return pick(n, NODE_KEYS); }));
  var edges = new vis.DataSet(data.edges.map(function (e) { return pick(e, EDGE_KEYS); }));
  var options = data.options;
  var network = new vis.Network($("kg-graph"), { nodes: nodes, edges: edges }, options);

  var LABEL_SCALE = 0.35;
  var labelled = {};

  function labelWhatIsInView() {
    if (!lazy || network.getScale() < LABEL_SCALE) { return; }
    var box = $("kg-graph").getBoundingClientRect();
    var low = network.DOMtoCanvas({ x: 0, y: 0 });
    var high = network.DOMtoCanvas({ x: box.width, y: box.height });
    var positions = network.getPositions();
    var inView = {};
    var nodeUpdates = [];
    Object.keys(positions).forEach(function (id) {
      var p = positions[id];
      if (p.x < low.x || p.x > high.x || p.y < low.y || p.y > high.y) { return; }
      inView[id] = true;
      if (!labelled[id]) { labelled[id] = true; nodeUpdates.push({ id: id, label: nodeById[id].label }); }
    });
    var edgeUpdates = [];
    data.edges.forEach(function (e) {
      if (!labelled[e.id] && (inView[e.from] || inView[e.to])) {
        labelled[e.id] = true;
        edgeUpdates.push({ id: e.id, label: e.label, arrows: e.arrows });
      }
    });
    if (nodeUpdates.length) { nodes.update(nodeUpdates); }
    if (edgeUpdates.length) { edges.update(edgeUpdates); }
  }

  if (lazy) {
    network.on("zoom", labelWhatIsInView);
    network.on("dragEnd", labelWhatIsInView);
    network.on("animationFinished", labelWhatIsInView);
  }

  // ---------- filters: class, relation, as-of date ----------

  var classOn = {};
  data.classes.forEach(function (c) { classOn[c.id] = true; });
  var relOn = {};
  data.relations.forEach(function (r) { relOn[r.id] = true; });
  var asOf = meta.as_of || "";
  var hiddenNode = {};
  var hiddenEdge = {};

  function holdsAt(item, date) {
    // valid_from is inclusive, valid_until exclusive; both are ISO dates or null.
    if (!date) { return true; }
    if (item.valid_from && date < item.valid_from) { return false; }
    if (item.valid_until && date >= item.valid_until) { return false; }
    return true;
  }

  function findingOf(edge) {
    return edge.finding === null || edge.finding === undefined ? null : data.findings[edge.finding];
  }

  function applyFilters() {
    var nodeUpdates = [];
    var edgeUpdates = [];
    var shownNodes = 0;
    var shownEdges = 0;
    data.nodes.forEach(function (n) {
      var hide = !classOn[n.group] || !holdsAt(n, asOf);
      if (hide !== !!hiddenNode[n.id]) { nodeUpdates.push({ id: n.id, hidden: hide }); }
      hiddenNode[n.id] = hide;
      if (!hide) { shownNodes++; }
    });
    data.edges.forEach(function (e) {
      var finding = findingOf(e);
      var hide = !relOn[e.rel] || hiddenNode[e.from] || hiddenNode[e.to] ||
        (finding !== null && !holdsAt(finding, asOf));
      if (hide !== !!hiddenEdge[e.id]) { edgeUpdates.push({ id: e.id, hidden: hide }); }
      hiddenEdge[e.id] = hide;
      if (!hide) { shownEdges++; }
    });
    if (nodeUpdates.length) { nodes.update(nodeUpdates); }
    if (edgeUpdates.length) { edges.update(edgeUpdates); }
    $("kg-stats").textContent = shownNodes + " / " + data.nodes.length + " " + S.nodes + ", " +
      shownEdges + " / " + data.edges.length + " " + S.edges + " " + S.shown;
    renderFindingsList();
  }

  function swatch(shape, color, border, ring) {
    var sw = el("span", "swatch shape-" + shape + (ring ? " ring" : ""));
    sw.style.backgroundColor = color;
    if (border) { sw.style.borderColor = border; }
    return sw;
  }

  function filterItem(kind, item, state) {
    var li = el("li");
    var label = el("label");
    var box = el("input");
    box.type = "checkbox";
    box.checked = true;
    box.setAttribute("data-filter", kind);
    box.setAttribute("data-id", item.id);
    box.setAttribute("data-iri", item.iri);
    box.addEventListener("change", function () {
      state[item.id] = box.checked;
      applyFilters();
    });
    label.appendChild(box);
    if (kind === "class") {
      label.appendChild(swatch(item.shape, item.color, item.border, item.ring));
    } else {
      var sw = el("span", "swatch edge" + (item.id === CONFLICT ? " conflict" : ""));
      if (item.id !== CONFLICT) { sw.style.backgroundColor = item.color; }
      label.appendChild(sw);
    }
    label.appendChild(el("span", null, item.label));
    label.appendChild(el("span", "count", "(" + item.count + ")"));
    li.appendChild(label);
    return li;
  }

  data.classes.forEach(function (c) { $("kg-legend").appendChild(filterItem("class", c, classOn)); });
  data.relations.forEach(function (r) { $("kg-relations").appendChild(filterItem("relation", r, relOn)); });

  var toggles = document.querySelectorAll("[data-toggle]");
  for (var t = 0; t < toggles.length; t++) {
    toggles[t].addEventListener("click", function (event) {
      var button = event.currentTarget;
      var kind = button.getAttribute("data-toggle");
      var on = button.getAttribute("data-state") === "all";
      var state = kind === "classes" ? classOn : relOn;
      var list = $(kind === "classes" ? "kg-legend" : "kg-relations");
      Object.keys(state).forEach(function (k) { state[k] = on; });
      var boxes = list.querySelectorAll("input[type=checkbox]");
      for (var b = 0; b < boxes.length; b++) { boxes[b].checked = on; }
      applyFilters();
    });
  }

  var asOfInput = $("kg-asof");
  asOfInput.value = asOf;
  asOfInput.addEventListener("change", function () { asOf = asOfInput.value || ""; applyFilters(); });
  $("kg-asof-clear").addEventListener("click", function () { asOf = ""; asOfInput.value = ""; applyFilters(); });
  $("kg-fit").addEventListener("click", function () { network.fit({ animation: { duration: 300 } }); });

  // ---------- highlight: dim what is not next to the selection ----------

  var DIM_NODE = { background: "#eef0f2", border: "#d5d8dc" };
  var DIM_FONT = { color: "rgba(0, 0, 0, 0.18)", strokeWidth: 0 };
  var DIM_EDGE = { color: "#e3e5e8", highlight: "#e3e5e8" };
  var dimNode = {};
  var dimEdge = {};

  function highlight(ids) {
    // ids: the selected nodes; they, their neighbours and the edges between stay lit.
    // null lights everything again. Only items whose state changes are updated; on a
    // large graph (meta.dim false) vis-network's own selection highlight has to do, as
    // restyling thousands of items takes seconds.
    if (!meta.dim) { return; }
    var lit = null;
    if (ids) {
      lit = {};
      ids.forEach(function (id) {
        lit[id] = true;
        network.getConnectedNodes(id).forEach(function (other) { lit[other] = true; });
      });
    }
    var centre = {};
    (ids || []).forEach(function (id) { centre[id] = true; });
    var nodeUpdates = [];
    var edgeUpdates = [];
    data.nodes.forEach(function (n) {
      var dim = lit !== null && !lit[n.id];
      if (dim === !!dimNode[n.id]) { return; }
      dimNode[n.id] = dim;
      nodeUpdates.push(dim ? { id: n.id, color: DIM_NODE, font: DIM_FONT } : { id: n.id, color: null, font: null });
    });
    data.edges.forEach(function (e) {
      var dim = lit !== null && !(centre[e.from] || centre[e.to]);
      if (dim === !!dimEdge[e.id]) { return; }
      dimEdge[e.id] = dim;
      edgeUpdates.push(dim ? { id: e.id, color: DIM_EDGE, font: DIM_FONT }
        : { id: e.id, color: e.color, font: e.font || null });
    });
    if (nodeUpdates.length) { nodes.update(nodeUpdates); }
    if (edgeUpdates.length) { edges.update(edgeUpdates); }
  }

  // ---------- details panel ----------

  var body = $("kg-details-body");

  function nodeLink(id, fallbackText) {
    var n = nodeById[id];
    if (!n) { return el("span", null, fallbackText || id); }
    var button = el("button", "link", n.name);
    button.type = "button";
    button.addEventListener("click", function () { focusNode(id); });
    return button;
  }

  function iriLink(iri, label) {
    var id = nodeByIri[iri];
    return id ? nodeLink(id) : el("span", null, label || iri);
  }

  function section(title) {
    var wrap = el("section");
    wrap.appendChild(el("h2", null, title));
    body.appendChild(wrap);
    return wrap;
  }

  function quotesSection(quotes) {
    var wrap = section(S.sources);
    if (!quotes || !quotes.length) {
      wrap.appendChild(el("p", "empty", S.no_sources));
      return;
    }
    quotes.forEach(function (q) {
      var box = el("div", "quote");
      box.appendChild(el("blockquote", null, "\u201c" + q.quote + "\u201d"));
      box.appendChild(el("cite", null, documentTitle(q.document)));
      wrap.appendChild(box);
    });
  }

  function addRow(dl, term, value) {
    dl.appendChild(el("dt", null, term));
    var dd = el("dd");
    if (typeof value === "string") { dd.textContent = value; } else { dd.appendChild(value); }
    dl.appendChild(dd);
  }

  function interval(f) {
    if (!f.valid_from && !f.valid_until) { return S.always; }
    var parts = [];
    if (f.valid_from) { parts.push(S.valid_from + " " + f.valid_from); }
    if (f.valid_until) { parts.push(S.valid_until + " " + f.valid_until); }
    return parts.join(" ");
  }

  function findingLine(f) {
    var li = el("li");
    var button = el("button", "link", f.rule_label + ": " + f.a.label + " \u2194 " + f.b.label);
    button.type = "button";
    button.addEventListener("click", function () { showFinding(f._index, true); });
    li.appendChild(button);
    return li;
  }

  function showNode(id) {
    var n = nodeById[id];
    highlight([id]);
    clear(body);
    body.setAttribute("data-kind", "node");
    body.setAttribute("data-id", id);
    var cls = classById[n.group];
    var head = el("div");
    var tag = el("span", "kindtag");
    tag.appendChild(swatch(cls.shape, cls.color, cls.border, cls.ring));
    tag.appendChild(el("span", null, (n.types || [cls.label]).join(", ")));
    head.appendChild(tag);
    head.appendChild(el("h3", null, n.name));
    body.appendChild(head);
    var dl = el("dl");
    if (n.alt && n.alt.length) { addRow(dl, S.other_labels, n.alt.join("; ")); }
    addRow(dl, S.iri, el("code", null, n.iri));
    if (n.valid_from || n.valid_until) { addRow(dl, S.valid, interval(n)); }
    body.appendChild(dl);

    var conflicts = findingsByNode[id] || [];
    if (conflicts.length) {
      var cwrap = section(S.contradictions);
      var cl = el("ul");
      conflicts.forEach(function (f) { cl.appendChild(findingLine(f)); });
      cwrap.appendChild(cl);
    }
    if (n.events && n.events.length) {
      var twrap = section(S.timeline);
      var tl = el("ul");
      n.events.forEach(function (e) {
        var li = el("li");
        li.appendChild(el("span", "rel", e.date + " "));
        li.appendChild(el("span", null, e.type));
        tl.appendChild(li);
      });
      twrap.appendChild(tl);
    }
    [["outgoing", outgoing[id] || [], "to"], ["incoming", incoming[id] || [], "from"]].forEach(function (spec) {
      var list = spec[1].filter(function (e) { return e.rel !== CONFLICT; });
      if (!list.length) { return; }
      var wrap = section(S[spec[0]]);
      var ul = el("ul");
      list.forEach(function (e) {
        var li = el("li");
        li.appendChild(el("span", "rel", relById[e.rel].label + " "));
        li.appendChild(nodeLink(e[spec[2]]));
        ul.appendChild(li);
      });
      wrap.appendChild(ul);
    });
    quotesSection(n.quotes);
  }

  function showEdge(id) {
    var e = edgeById[id];
    if (e.finding !== null && e.finding !== undefined) { showFinding(e.finding, false); return; }
    highlight([e.from, e.to]);
    clear(body);
    body.setAttribute("data-kind", "edge");
    body.setAttribute("data-id", id);
    body.appendChild(el("h3", null, relById[e.rel].label));
    var dl = el("dl");
    addRow(dl, S.from, nodeLink(e.from));
    addRow(dl, S.relation, relById[e.rel].label);
    addRow(dl, S.to, nodeLink(e.to));
    body.appendChild(dl);
    quotesSection(e.quotes);
  }

  function showFinding(index, focus) {
    var f = data.findings[index];
    highlight([f.a_node, f.b_node].concat(f.pivot_node ? [f.pivot_node] : []));
    clear(body);
    body.setAttribute("data-kind", "finding");
    body.setAttribute("data-id", f.id);
    body.appendChild(el("span", "kindtag", S.contradiction));
    body.appendChild(el("h3", "conflict-title", f.rule_label));
    body.appendChild(el("p", null, f.explanation));
    var dl = el("dl");
    addRow(dl, S.side_a, iriLink(f.a.iri, f.a.label));
    addRow(dl, S.side_b, iriLink(f.b.iri, f.b.label));
    if (f.pivot) { addRow(dl, S.pivot, iriLink(f.pivot.iri, f.pivot.label)); }
    addRow(dl, S.origin, f.origin === "asserted" ? S.origin_asserted : S.origin_derived);
    if (f.severity) { addRow(dl, S.severity, f.severity); }
    addRow(dl, S.valid, interval(f));
    addRow(dl, S.rule, el("code", null, f.rule));
    body.appendChild(dl);
    if (f.corroborated_by && f.corroborated_by.length) {
      var wrap = section(S.corroborated_by);
      var ul = el("ul");
      f.corroborated_by.forEach(function (iri) {
        var li = el("li");
        li.appendChild(iriLink(iri, iri));
        ul.appendChild(li);
      });
      wrap.appendChild(ul);
    }
    quotesSection(f.sources);
    var items = $("kg-findings").querySelectorAll("button");
    for (var k = 0; k < items.length; k++) {
      items[k].classList.toggle("active", items[k].getAttribute("data-finding") === String(index));
    }
    if (focus && f.edge && !hiddenEdge[f.edge]) {
      network.selectEdges([f.edge]);
      network.fit({ nodes: [f.a_node, f.b_node].concat(f.pivot_node ? [f.pivot_node] : []),
        animation: { duration: 400 } });
    }
  }

  function renderFindingsList() {
    var list = $("kg-findings");
    clear(list);
    var shown = data.findings.filter(function (f) { return holdsAt(f, asOf); });
    if (!shown.length) {
      list.appendChild(el("li", "empty", S.no_contradictions));
      return;
    }
    shown.forEach(function (f) {
      var li = el("li");
      var button = el("button");
      button.type = "button";
      button.setAttribute("data-finding", String(f._index));
      button.appendChild(el("span", "rule", f.rule_label));
      button.appendChild(el("span", "pair", f.a.label + " \u2194 " + f.b.label));
      if (f.pivot) { button.appendChild(el("span", "pivot", S.pivot + ": " + f.pivot.label)); }
      button.addEventListener("click", function () { showFinding(f._index, true); });
      li.appendChild(button);
      list.appendChild(li);
    });
  }

  network.on("click", function (params) {
    if (params.nodes.length) {
      showNode(params.nodes[0]);
    } else if (params.edges.length) {
      showEdge(params.edges[0]);
    } else {
      highlight(null);
    }
  });

  // ---------- search ----------

  var searchInput = $("kg-search");
  var results = $("kg-search-results");
  var matches = [];
  var active = -1;

  function focusNode(id) {
    var n = nodeById[id];
    if (hiddenNode[id] && !classOn[n.group]) {
      classOn[n.group] = true;
      var box = document.querySelector("input[data-filter=class][data-id='" + n.group + "']");
      if (box) { box.checked = true; }
      applyFilters();
    }
    network.selectNodes([id], true);
    network.focus(id, { scale: Math.max(network.getScale(), 0.9), animation: { duration: 400, easingFunction: "easeInOutQuad" } });
    showNode(id);
  }

  function closeResults() { results.hidden = true; active = -1; }

  function renderResults() {
    clear(results);
    var q = fold(searchInput.value.trim());
    if (!q) { closeResults(); return; }
    matches = [];
    for (var m = 0; m < data.nodes.length && matches.length < 30; m++) {
      var n = data.nodes[m];
      var at = n._fold.indexOf(q);
      if (at >= 0) { matches.push({ n: n, rank: (at === 0 ? 0 : 1) }); }
    }
    matches.sort(function (x, y) { return x.rank - y.rank || x.n.name.length - y.n.name.length; });
    if (!matches.length) {
      results.appendChild(el("li", "empty", S.search_none));
    }
    matches.forEach(function (match, index) {
      var li = el("li");
      li.setAttribute("role", "option");
      li.setAttribute("data-id", match.n.id);
      var cls = classById[match.n.group];
      li.appendChild(swatch(cls.shape, cls.color, cls.border, cls.ring));
      li.appendChild(el("span", null, match.n.name));
      li.appendChild(el("span", "kind", cls.label));
      li.addEventListener("mousedown", function (event) { event.preventDefault(); choose(index); });
      results.appendChild(li);
    });
    active = matches.length ? 0 : -1;
    markActive();
    results.hidden = false;
  }

  function markActive() {
    var items = results.querySelectorAll("li[role=option]");
    for (var r = 0; r < items.length; r++) { items[r].setAttribute("aria-selected", r === active ? "true" : "false"); }
  }

  function choose(index) {
    if (index < 0 || index >= matches.length) { return; }
    var id = matches[index].n.id;
    searchInput.value = matches[index].n.name;
    closeResults();
    focusNode(id);
  }

  searchInput.addEventListener("input", renderResults);
  searchInput.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown") { active = Math.min(active + 1, matches.length - 1); markActive(); event.preventDefault(); }
    else if (event.key === "ArrowUp") { active = Math.max(active - 1, 0); markActive(); event.preventDefault(); }
    else if (event.key === "Enter") { if (results.hidden) { renderResults(); } choose(active); event.preventDefault(); }
    else if (event.key === "Escape") { closeResults(); }
  });
  searchInput.addEventListener("blur", closeResults);

  // ---------- start ----------

  body.appendChild(el("p", "empty", S.details_empty));
  applyFilters();

  // Ready (interactive) at the first frame; then, for a small graph, physics runs until
  // the layout is stable or meta.settle_ms has passed, and the layout is frozen.
  var moved = false;
  network.on("dragStart", function () { moved = true; });
  network.on("zoom", function () { moved = true; });

  function ready() {
    if (document.documentElement.getAttribute("data-ready") === "true") { return; }
    if (window.performance && performance.mark) { performance.mark("kg-interactive"); }
    document.documentElement.setAttribute("data-ready", "true");
    if (meta.focus) { focusNode(meta.focus); }
    if (!meta.settle_ms) { settled(); return; }
    network.once("stabilized", freeze);
    window.setTimeout(freeze, meta.settle_ms);
  }

  function freeze() {
    if (document.documentElement.getAttribute("data-settled") === "true") { return; }
    network.setOptions({ physics: { enabled: false } });
    if (meta.focus) {
      network.focus(meta.focus, { scale: Math.max(network.getScale(), 0.9), animation: false });
    } else if (!moved) {
      network.fit();
    }
    settled();
  }

  function settled() {
    if (window.performance && performance.mark) { performance.mark("kg-settled"); }
    document.documentElement.setAttribute("data-settled", "true");
  }

  network.once("afterDrawing", ready);
  network.redraw();

  // A handle for tests and for readers who open the console; read-only by convention.
  window.kgView = {
    network: network, nodes: nodes, edges: edges, data: data, nodeByIri: nodeByIri,
    node: function (id) { return nodeById[id]; }, edge: function (id) { return edgeById[id]; },
    hiddenNode: hiddenNode, hiddenEdge: hiddenEdge, dimNode: dimNode, focusNode: focusNode,
    labelWhatIsInView: labelWhatIsInView
  };
}());
