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
