// kgtool report: highlight a network node's neighbours on hover, and find nodes by name. No network access.
(function () {
  "use strict";
  var svg = document.getElementById("network-svg");
  if (!svg) { return; }
  var nodes = Array.prototype.slice.call(svg.querySelectorAll(".node"));
  var edges = Array.prototype.slice.call(svg.querySelectorAll(".edge"));
  var byKey = {};
  nodes.forEach(function (node) { byKey[node.getAttribute("data-key")] = node; });

  function clear() {
    svg.classList.remove("focus");
    svg.querySelectorAll(".lit").forEach(function (element) { element.classList.remove("lit"); });
  }

  function light(node) {
    var key = node.getAttribute("data-key");
    svg.classList.add("focus");
    node.classList.add("lit");
    edges.forEach(function (edge) {
      var source = edge.getAttribute("data-source"), target = edge.getAttribute("data-target");
      if (source === key || target === key) {
        edge.classList.add("lit");
        var other = byKey[source === key ? target : source];
        if (other) { other.classList.add("lit"); }
      }
    });
  }

  nodes.forEach(function (node) {
    node.addEventListener("mouseenter", function () { clear(); light(node); });
    node.addEventListener("mouseleave", clear);
  });

  var search = document.getElementById("network-search");
  if (search) {
    search.addEventListener("input", function () {
      var wanted = search.value.trim().toLowerCase();
      var matches = 0;
      nodes.forEach(function (node) {
        var hit = wanted !== "" && node.getAttribute("data-name").toLowerCase().indexOf(wanted) !== -1;
        node.classList.toggle("match", hit);
        if (hit) { matches += 1; }
      });
      svg.classList.toggle("searching", wanted !== "");
      var count = document.getElementById("network-matches");
      if (count) { count.textContent = wanted === "" ? "" : String(matches); }
    });
  }
})();

// The alliance cards: the first page is in the HTML; every card is in the JSON island #report-data, drawn here
// as parts.html.j2 draws it, a page at a time, found by name (the alliance's or a partner's), filtered by
// strategy and legitimacy type. A link to a card not drawn (#alliance-…) brings its page.
(function () {
  "use strict";
  var island = document.getElementById("report-data");
  var holder = document.getElementById("cards");
  var tools = document.getElementById("card-tools");
  if (!island || !holder || !tools) { return; }
  var data = JSON.parse(island.textContent);
  var words = data.words;
  var SVG = "http://www.w3.org/2000/svg";
  var NONE = "-";
  var FIELDS = ["needs", "objectives", "benefits", "resources", "sought", "preferred"];
  var search = document.getElementById("card-search");
  var strategy = document.getElementById("card-strategy");
  var type = document.getElementById("card-type");
  var status = document.getElementById("card-status");
  var previous = document.getElementById("card-previous");
  var next = document.getElementById("card-next");
  var byAnchor = Object.create(null);  // no inherited names: #constructor is no card
  var names = data.cards.map(function (card, index) {
    byAnchor[card[0]] = index;
    var parts = card[9].map(function (part) { return data.actors[part[0]][1]; });
    return [card[3]].concat(parts).join("\n").toLowerCase();
  });
  var matching = data.cards.map(function (_, index) { return index; });
  var page = 0;

  function el(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    (children || []).forEach(function (child) {
      if (child !== null && child !== undefined) {
        node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
      }
    });
    return node;
  }

  function swatch(colour, square) {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("class", "swatch");
    svg.setAttribute("width", "14");
    svg.setAttribute("height", "14");
    var shape = document.createElementNS(SVG, square ? "rect" : "circle");
    var at = square ? {x: "1", y: "1", width: "12", height: "12"} : {cx: "7", cy: "7", r: "6"};
    Object.keys(at).forEach(function (name) { shape.setAttribute(name, at[name]); });
    shape.setAttribute("fill", colour);
    svg.appendChild(shape);
    return svg;
  }

  function cites(sources) {
    if (!sources.length) { return null; }
    var span = el("span", {class: "cites"}, [(sources.length > 1 ? words.sources : words.sources_of) + ": "]);
    sources.forEach(function (index, position) {
      var source = data.sources[index];
      span.appendChild(el("a", {href: "#" + source[0]}, [source[1]]));
      if (position < sources.length - 1) { span.appendChild(document.createTextNode(", ")); }
    });
    return span;
  }

  function badges(refs, coloured) {
    if (!refs.length) { return [el("span", {class: "muted"}, [words.none])]; }
    return refs.map(function (ref) {
      return el("span", {class: "badge"}, [coloured && ref[2] ? swatch(ref[2]) : null, ref[1]]);
    });
  }

  function actor(part) {
    var who = data.actors[part[0]];
    return el("span", {class: "actor", "data-actor": who[0], "data-role": part[1] ? "operator" : "partner"}, [
      swatch(who[3], true), " ", el("strong", {}, [who[1]]), " ",
      el("span", {class: "sector"}, ["(" + (who[2] || words.sector_unknown) + ")"]),
      part[1] ? " " : null, part[1] ? el("span", {class: "badge"}, [words.operator]) : null,
    ]);
  }

  function partners(card, into) {
    into.push(el("h4", {}, [words.partners]));
    var stated = [], namedOnly = [];
    card[9].forEach(function (part) {
      var says = FIELDS.some(function (_, index) { return part[2 + index].length; });
      (says || part[8].length || part[1] ? stated : namedOnly).push(part);
    });
    if (!stated.length && !namedOnly.length) {
      into.push(el("p", {class: "muted"}, [words.no_partners]));
    } else {
      var list = el("ul", {class: "parts"});
      stated.forEach(function (part) {
        var item = el("li", {class: "part"}, [actor(part)]);
        var fields = el("dl");
        FIELDS.forEach(function (name, index) {
          if (!part[2 + index].length) { return; }
          fields.appendChild(el("dt", {}, [words[name]]));
          part[2 + index].forEach(function (value) { fields.appendChild(el("dd", {}, [value])); });
        });
        if (fields.childNodes.length) { item.appendChild(fields); }
        else if (!part[1]) { item.appendChild(el("p", {class: "muted"}, [words.nothing_stated])); }
        var cited = cites(part[8]);
        if (cited) { item.appendChild(cited); }
        list.appendChild(item);
      });
      if (namedOnly.length) {
        var named = el("li", {class: "part named-only"}, [words.named_only + ": "]);
        namedOnly.forEach(function (part, index) {
          named.appendChild(actor(part));
          if (index < namedOnly.length - 1) { named.appendChild(document.createTextNode("; ")); }
        });
        list.appendChild(named);
      }
      into.push(list);
    }
    if (card[5]) { into.push(el("p", {class: "note"}, [words.unidentified])); }
  }

  function attributions(card, into) {
    if (!card[10].length) { return; }
    into.push(el("h4", {}, [words.attributions]));
    into.push(el("ul", {}, card[10].map(function (item) {
      var kind = data.types[item[0]];
      var holderText = item[1] === null
        ? [" — ", el("span", {class: "muted"}, [words.holder_unknown])]
        : [" — " + words.holder + " ", el("strong", {}, [item[1]])];
      return el("li", {class: "attribution", "data-type": kind[0]}, badges([kind], true).concat(holderText, [
        item[2] ? ", " + words.audiences + " " + item[2] : null,
        item[3] ? el("blockquote", {}, [item[3]]) : null,
        cites(item[4]),
      ]));
    })));
  }

  function projects(card, into) {
    into.push(el("h4", {}, [words.projects]));
    var through = {}, order = [];
    card[9].forEach(function (part) {
      data.actorProjects[part[0]].forEach(function (index) {
        if (!through[index]) { through[index] = {}; order.push(index); }
        through[index][part[0]] = true;
      });
    });
    if (!order.length) { into.push(el("p", {class: "muted"}, [words.no_projects])); return; }
    var byLabel = function (a, b) { return a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0; };
    var listed = order.map(function (index) { return [index, data.projects[index][1], data.projects[index][0]]; });
    listed.sort(function (a, b) { return byLabel([a[2], a[1]], [b[2], b[1]]); });
    into.push(el("p", {class: "muted"}, [words.projects_note]));
    into.push(el("ul", {}, listed.map(function (entry) {
      var project = data.projects[entry[0]];
      var actors = Object.keys(through[entry[0]]).map(function (index) { return data.actors[index]; });
      actors.sort(function (a, b) { return byLabel([a[0], a[1]], [b[0], b[1]]); });
      return el("li", {class: "project", "data-iri": project[0]}, [
        project[1] + " ",
        el("span", {class: "muted"}, ["(" + words.via + " " + actors.map(function (a) { return a[1]; }).join(", ") + ")"]),
        " ", cites(project[2]),
      ]);
    })));
  }

  function assessments(card, into) {
    into.push(el("h4", {}, [words.assessments]));
    if (!card[11].length) { into.push(el("p", {class: "muted"}, [words.no_assessments])); return; }
    var head = ["principle", "date", "rating", "assessor", "evidence", "sources"].map(function (key) {
      return el("th", {}, [words[key]]);
    });
    into.push(el("table", {}, [el("thead", {}, [el("tr", {}, head)]), el("tbody", {}, card[11].map(function (item) {
      return el("tr", {class: "assessment"}, item.slice(0, 5).map(function (text) { return el("td", {}, [text]); })
        .concat([el("td", {}, [cites(item[5])])]));
    }))]));
  }

  function draw(card) {
    var body = [el("h3", {}, [card[3]]), el("p", {class: "iri"}, [el("code", {}, [card[2]])])];
    if (card[4] || card[8].length) {
      body.push(el("p", {class: "definition"}, [card[4] + " ", cites(card[8])]));
    }
    body.push(el("dl", {class: "facets"}, [
      el("dt", {}, [words.strategy]),
      el("dd", {}, badges(card[6].map(function (index) { return data.strategies[index]; }), false)),
      el("dt", {}, [words.legitimacy]),
      el("dd", {}, badges(card[7].map(function (index) { return data.types[index]; }), true)),
    ]));
    partners(card, body);
    attributions(card, body);
    projects(card, body);
    assessments(card, body);
    return el("article", {class: "card", id: card[0], "data-iri": card[1]}, body);
  }

  function show() {
    var size = data.pageSize, pages = Math.max(1, Math.ceil(matching.length / size));
    page = Math.min(Math.max(page, 0), pages - 1);
    var shown = matching.slice(page * size, (page + 1) * size);
    holder.textContent = "";
    shown.forEach(function (index) { holder.appendChild(draw(data.cards[index])); });
    status.textContent = matching.length
      ? words.cards_shown.replace("{first}", String(page * size + 1))
        .replace("{last}", String(page * size + shown.length)).replace("{count}", String(matching.length))
      : words.cards_none;
    previous.disabled = page === 0;
    next.disabled = page >= pages - 1;
  }

  function refilter() {
    var wanted = search.value.trim().toLowerCase(), s = strategy.value, t = type.value;
    matching = [];
    data.cards.forEach(function (card, index) {
      if (wanted && names[index].indexOf(wanted) === -1) { return; }
      if (s && (s === NONE ? card[6].length : card[6].indexOf(Number(s)) === -1)) { return; }
      if (t && (t === NONE ? card[7].length : card[7].indexOf(Number(t)) === -1)) { return; }
      matching.push(index);
    });
    page = 0;
    show();
  }

  function options(select, rows) {
    rows.forEach(function (row, index) { select.appendChild(el("option", {value: String(index)}, [row[1]])); });
    select.appendChild(el("option", {value: NONE}, [words.none]));
  }

  function reveal() {
    var anchor;
    try { anchor = decodeURIComponent(location.hash.slice(1)); } catch (error) { return; }  // a malformed escape
    if (!(anchor in byAnchor) || document.getElementById(anchor)) { return; }
    search.value = ""; strategy.value = ""; type.value = "";
    matching = data.cards.map(function (_, index) { return index; });
    page = Math.floor(byAnchor[anchor] / data.pageSize);
    show();
    document.getElementById(anchor).scrollIntoView();
  }

  options(strategy, data.strategies);
  options(type, data.types);
  search.addEventListener("input", refilter);
  strategy.addEventListener("change", refilter);
  type.addEventListener("change", refilter);
  previous.addEventListener("click", function () { page -= 1; show(); holder.scrollIntoView(); });
  next.addEventListener("click", function () { page += 1; show(); holder.scrollIntoView(); });
  window.addEventListener("hashchange", reveal);
  tools.hidden = false;
  status.textContent = !data.cards.length ? words.cards_none : words.cards_shown.replace("{first}", "1")
    .replace("{last}", String(Math.min(data.pageSize, data.cards.length))).replace("{count}", String(data.cards.length));
  next.disabled = data.cards.length <= data.pageSize;
  previous.disabled = true;
  reveal();
})();
