/* tallyflow charts: time series in Graphite's JSON shape drawn with uPlot (shipped in
   static/vendor). tfChart(container, series, options) -> the uPlot instance or null.
   series: [{target: "name", datapoints: [[value, epochSeconds], ...]}, ...]
   options: {unit: "percent" | "short" | ..., decimals: number, height: pixels} */
(function () {
  "use strict";
  var PALETTE = ["#36c", "#d33", "#14866d", "#ac6600", "#6b4ba1", "#00af89", "#fc3",
                 "#72777d", "#b32424", "#447ff5", "#e85fa8", "#2a4b8d"];

  function format(value, options) {
    if (value === null || value === undefined || Number.isNaN(value)) return "–";
    var decimals = options.decimals !== undefined ? options.decimals
      : (Math.abs(value) >= 100 || Number.isInteger(value) ? 0 : 2);
    var text = value.toLocaleString("en", {maximumFractionDigits: decimals,
                                           minimumFractionDigits: 0});
    return options.unit === "percent" ? text + " %" : text;
  }

  /* Align every series on one sorted time axis (uPlot's data layout). */
  function align(series) {
    var times = new Set();
    series.forEach(function (s) { s.datapoints.forEach(function (p) { times.add(p[1]); }); });
    var xs = Array.from(times).sort(function (a, b) { return a - b; });
    var index = new Map(xs.map(function (t, i) { return [t, i]; }));
    var columns = series.map(function (s) {
      var ys = new Array(xs.length).fill(null);
      s.datapoints.forEach(function (p) { ys[index.get(p[1])] = p[0]; });
      return ys;
    });
    return [xs].concat(columns);
  }

  function hasValues(series) {
    return series.some(function (s) {
      return s.datapoints.some(function (p) { return p[0] !== null; });
    });
  }

  window.tfChart = function (container, series, options) {
    options = options || {};
    container.textContent = "";
    if (!series.length || !hasValues(series)) {
      var empty = document.createElement("p");
      empty.className = "empty";
      empty.textContent = "No data in this time range.";
      container.appendChild(empty);
      return null;
    }
    var style = getComputedStyle(document.documentElement);
    var fg = style.getPropertyValue("--muted").trim() || "#54595d";
    var grid = style.getPropertyValue("--line").trim() || "#c8ccd1";
    var axis = {stroke: fg, grid: {stroke: grid, width: 1}, ticks: {stroke: grid, width: 1}};
    var opts = {
      width: Math.max(200, container.clientWidth || 400),
      height: options.height || 220,
      tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1e3), "Etc/UTC"); },
      series: [{label: "time (UTC)"}].concat(series.map(function (s, i) {
        var color = PALETTE[i % PALETTE.length];
        return {label: s.target, stroke: color, width: 1.5, fill: color + "22",
                spanGaps: false, points: {show: false},
                value: function (u, v) { return format(v, options); }};
      })),
      axes: [Object.assign({}, axis),
             Object.assign({}, axis, {size: 60, values: function (u, vals) {
               return vals.map(function (v) { return format(v, options); });
             }})],
      legend: {live: true},
      cursor: {focus: {prox: 16}},
    };
    var plot = new uPlot(opts, align(series), container);
    container.dataset.series = JSON.stringify(series.map(function (s) { return s.target; }));
    if (window.ResizeObserver) {
      new ResizeObserver(function () {
        var width = Math.max(200, container.clientWidth);
        if (Math.abs(width - plot.width) > 2) plot.setSize({width: width, height: opts.height});
      }).observe(container);
    }
    return plot;
  };
})();
