/* The network picture: lays out the nodes and edges the page carries (in #graph-data) with
   d3-force, a fixed number of steps so the same network always looks the same, and draws them
   as SVG. Each node links to a member's page, or to the filters that open a group. */
(function () {
  "use strict";
  var svg = document.getElementById("graph");
  var source = document.getElementById("graph-data");
  if (!svg || !source || !window.d3) { return; }
  var data = JSON.parse(source.textContent);
  var NS = "http://www.w3.org/2000/svg";
  var grouped = data.grouped;
  // Each node is [label, colour, size, flags (1 isolated, 2 bridge), member id or group query].
  var biggest = data.nodes.reduce(function (m, n) { return Math.max(m, n[2]); }, 1);
  var nodes = data.nodes.map(function (a) {
    var n = { l: a[0], c: a[1], s: a[2], i: a[3] & 1, b: a[3] & 2,
              h: a[4] === null ? null : (typeof a[4] === "number" ? "/people/" + a[4] : "/network?" + a[4]) };
    return { n: n, r: grouped ? 8 + 34 * Math.sqrt(n.s / biggest) : (n.b ? 6 : 4.5) };
  });
  var links = data.edges.map(function (e) { return { source: e[0], target: e[1], w: e[2], p: e[3] }; });
  var heaviest = links.reduce(function (m, l) { return Math.max(m, l.w); }, 1);
  var many = nodes.length > 600;
  var simulation = d3.forceSimulation(nodes)
    .force("link", d3.forceLink(links).distance(grouped ? 140 : 24).strength(grouped ? 0.05 : 0.6))
    .force("charge", d3.forceManyBody().strength(grouped ? -900 : (many ? -12 : -40)).distanceMax(grouped ? 800 : 260))
    .force("x", d3.forceX(0).strength(grouped ? 0.02 : 0.06))
    .force("y", d3.forceY(0).strength(grouped ? 0.02 : 0.06))
    .force("collide", d3.forceCollide(function (d) { return d.r + 1.5; }))
    .stop();
  var steps = many ? 140 : 300;
  for (var i = 0; i < steps; i += 1) { simulation.tick(); }

  var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  nodes.forEach(function (d) {
    x0 = Math.min(x0, d.x - d.r); y0 = Math.min(y0, d.y - d.r);
    x1 = Math.max(x1, d.x + d.r); y1 = Math.max(y1, d.y + d.r);
  });
  if (!nodes.length) { x0 = y0 = 0; x1 = y1 = 100; }
  var pad = 12, least = grouped ? 500 : 320;  // a small network is not blown up to fill the frame
  var w = Math.max(x1 - x0 + 2 * pad, least), h = Math.max(y1 - y0 + 2 * pad, least * 0.6);
  svg.setAttribute("viewBox", [(x0 + x1 - w) / 2, (y0 + y1 - h) / 2, w, h].map(Math.round).join(" "));

  function el(name, attrs, parent) {
    var node = document.createElementNS(NS, name);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    parent.appendChild(node);
    return node;
  }
  var edges = el("g", { "class": "edges" }, svg);
  links.forEach(function (l) {
    el("line", {
      x1: l.source.x.toFixed(1), y1: l.source.y.toFixed(1), x2: l.target.x.toFixed(1), y2: l.target.y.toFixed(1),
      "class": l.p ? "edge paired" : "edge",
      "stroke-width": grouped ? (1 + 9 * l.w / heaviest).toFixed(1) : 1
    }, edges);
  });
  var dots = el("g", { "class": "nodes" }, svg);
  nodes.forEach(function (d) {
    var link = d.n.h ? el("a", { href: d.n.h }, dots) : dots;
    var circle = el("circle", {
      cx: d.x.toFixed(1), cy: d.y.toFixed(1), r: d.r.toFixed(1),
      "class": "node c" + d.n.c + (d.n.i ? " isolated" : "") + (d.n.b ? " bridge" : "")
    }, link);
    el("title", {}, circle).textContent = d.n.l + (grouped ? " (" + d.n.s + ")" : "");
    if (grouped) {
      var label = el("text", { x: d.x.toFixed(1), y: (d.y + d.r + 12).toFixed(1), "class": "label" }, link);
      label.textContent = d.n.l;
    }
  });
  svg.setAttribute("data-drawn", String(nodes.length));
})();
