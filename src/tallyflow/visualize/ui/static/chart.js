/* tallyflow charts: time series in Graphite's JSON shape drawn with uPlot (shipped in
   static/vendor). tfChart(container, series, options) -> the uPlot instance or null.
   series: [{target: "name", datapoints: [[value, epochSeconds], ...]}, ...]
   options: {unit: "percent" | "short" | ..., decimals: number, height: pixels,
             label: what the chart shows (for screen readers),
             onZoom: function (fromSeconds, untilSeconds), called when the user drags across the
             chart to pick a time range (without it, dragging zooms this chart alone)}
   The container gets data-series (the JSON list of series names) and, while a chart is drawn,
   tfPlot (the uPlot instance). A chart is keyboard accessible: focus it, then the arrow keys,
   Home and End move the cursor (the legend shows the values, and a live region reads them).
   tfChart.clear(container) removes a chart and its listeners. */
(function () {
  "use strict";
  var PALETTE = ["#36c", "#d33", "#14866d", "#ac6600", "#6b4ba1", "#00af89", "#fc3",
                 "#72777d", "#b32424", "#447ff5", "#e85fa8", "#2a4b8d"];
  var DARK_PALETTE = ["#88a3e8", "#fd7865", "#3fb68b", "#e4b400", "#b79ce5", "#5ee0b8",
                      "#fde29b", "#a2a9b1", "#ff9e9e", "#7fb2ff", "#f59fcf", "#9db4f0"];

  function palette() {
    var dark = window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
    return dark ? DARK_PALETTE : PALETTE;
  }

  function format(value, options) {
    if (value === null || value === undefined || Number.isNaN(value)) return "–";
    var decimals = options.decimals !== undefined && options.decimals !== null ? options.decimals
      : (Math.abs(value) >= 100 || Number.isInteger(value) ? 0 : 2);
    var text = value.toLocaleString("en", {maximumFractionDigits: decimals,
                                           minimumFractionDigits: 0});
    return options.unit === "percent" ? text + " %" : text;
  }

  /* Axis labels: as many decimals as the tick spacing needs (the panel's decimals are for
     values, and two ticks 0.004 apart must not both read 0.05). */
  function axisValues(options) {
    return function (u, ticks) {
      var step = ticks.length > 1 ? Math.abs(ticks[1] - ticks[0]) : 1;
      var decimals = step > 0 ? Math.max(0, Math.min(10, -Math.floor(Math.log10(step) + 1e-9))) : 0;
      return ticks.map(function (v) {
        return format(v, {unit: options.unit, decimals: decimals});
      });
    };
  }

  /* "#36c" or "#3366cc" with an alpha (0-1) as "#rrggbbaa". */
  function withAlpha(color, alpha) {
    var hex = color.length === 4
      ? color.slice(1).split("").map(function (c) { return c + c; }).join("") : color.slice(1);
    return "#" + hex + Math.round(alpha * 255).toString(16).padStart(2, "0");
  }

  function median(values) {
    var sorted = values.slice().sort(function (a, b) { return a - b; });
    return sorted[Math.floor(sorted.length / 2)];
  }

  /* Missing values between two known ones that are closer than 1.5 times the series' usual
     spacing become undefined, which uPlot connects; longer runs stay null, which it draws as a
     gap. So daily values read from an hourly archive draw as a line, and a missing day does
     not. */
  function connectShortGaps(xs, ys) {
    var known = [];
    ys.forEach(function (y, i) { if (y !== null) known.push(i); });
    if (known.length < 2) return ys;
    var spacings = [];
    for (var k = 1; k < known.length; k++) spacings.push(xs[known[k]] - xs[known[k - 1]]);
    var limit = 1.5 * median(spacings);
    for (k = 1; k < known.length; k++) {
      var a = known[k - 1], b = known[k];
      if (b - a > 1 && xs[b] - xs[a] <= limit) {
        for (var i = a + 1; i < b; i++) ys[i] = undefined;
      }
    }
    return ys;
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
      return connectShortGaps(xs, ys);
    });
    return [xs].concat(columns);
  }

  function hasValues(series) {
    return series.some(function (s) {
      return s.datapoints.some(function (p) { return p[0] !== null; });
    });
  }

  function clear(container) {
    if (container.tfObserver) container.tfObserver.disconnect();
    if (container.tfPlot) container.tfPlot.destroy();
    container.tfObserver = null;
    container.tfPlot = null;
    container.onkeydown = null;
    container.removeAttribute("tabindex");
    container.removeAttribute("role");
    container.removeAttribute("aria-label");
    container.textContent = "";
  }

  function utc(ts) {
    return new Date(ts * 1e3).toISOString().replace("T", " ").replace(/:00\.000Z$/, " UTC");
  }

  /* Arrow keys, Home and End move the cursor over the points; Escape hides it. */
  function keyboard(container, plot, series, options, live) {
    container.tabIndex = 0;
    container.setAttribute("role", "group");
    container.setAttribute("aria-label", (options.label ? options.label + ": " : "") +
      "chart of " + series.length + " series; arrow keys read the values at each time");
    container.onkeydown = function (event) {
      var xs = plot.data[0];
      var idx = plot.cursor.idx;
      var last = xs.length - 1;
      var moves = {ArrowLeft: -1, ArrowRight: 1, Home: -Infinity, End: Infinity};
      if (event.key === "Escape") {
        plot.setCursor({left: -10, top: -10});
        live.textContent = "";
        return;
      }
      if (!(event.key in moves)) return;
      event.preventDefault();
      if (idx === null || idx === undefined) idx = moves[event.key] > 0 ? -1 : last + 1;
      idx = Math.max(0, Math.min(last, idx + moves[event.key]));
      plot.setCursor({left: plot.valToPos(xs[idx], "x"), top: plot.over.clientHeight / 2});
      live.textContent = utc(xs[idx]) + ": " + series.map(function (s, i) {
        return s.target + " " + format(plot.data[i + 1][idx], options);
      }).join(", ");
    };
  }

  function tfChart(container, series, options) {
    options = options || {};
    clear(container);
    container.dataset.series = JSON.stringify(series.map(function (s) { return s.target; }));
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
        var colors = palette();
        var color = colors[i % colors.length];
        return {label: s.target, stroke: color, width: 1.5, fill: withAlpha(color, 0.08),
                spanGaps: false, points: {size: 4},
                value: function (u, v) { return format(v, options); }};
      })),
      axes: [Object.assign({}, axis),
             Object.assign({}, axis, {size: 60, values: axisValues(options)})],
      legend: {live: true},
      cursor: {focus: {prox: 16}},
      hooks: {},
    };
    if (options.onZoom) {
      opts.cursor.drag = {x: true, y: false, setScale: false};
      opts.hooks.setSelect = [function (u) {
        if (u.select.width < 3) return;
        var from = Math.floor(u.posToVal(u.select.left, "x"));
        var until = Math.ceil(u.posToVal(u.select.left + u.select.width, "x"));
        u.setSelect({left: 0, top: 0, width: 0, height: 0}, false);
        options.onZoom(from, until);
      }];
    }
    var plot = new uPlot(opts, align(series), container);
    var live = document.createElement("p");
    live.className = "visually-hidden";
    live.setAttribute("aria-live", "polite");
    container.appendChild(live);
    keyboard(container, plot, series, options, live);
    container.tfPlot = plot;
    if (window.ResizeObserver) {
      container.tfObserver = new ResizeObserver(function () {
        var width = Math.max(200, container.clientWidth);
        if (Math.abs(width - plot.width) > 2) plot.setSize({width: width, height: opts.height});
      });
      container.tfObserver.observe(container);
    }
    return plot;
  }

  tfChart.clear = clear;
  tfChart.format = format;
  window.tfChart = tfChart;
})();
