/* tallyflow dashboards: draws the panels of one dashboard page from the Graphite API.
   Input: the page's #dashboard-config (variables, default time range, each time-series
   panel's Graphite targets, unit and decimals) and the URL, Grafana-style:
   ?from=now-7d&to=now&var-editor=wikitext_2010&var-wiki=All&refresh=30s.
   Output: every panel fetches <graphite>/render?target=...&from=...&until=...&format=json&
   maxDataPoints=<its width in pixels>, with the template variables substituted as Grafana does
   for Graphite (one value -> value, several -> {a,b}, All -> the all value), and draws it with
   tfChart; a panel's error shows in that panel. Dragging across a chart sets the time range.
   Query variables get their values from <graphite>/metrics/find. Changes are written to the
   URL (history), so links are shareable. body[data-dashboard=ready] marks the first drawing. */
(function () {
  "use strict";
  var ALL = "$__all";
  var REFRESH = {"10s": 10000, "30s": 30000, "1m": 60000};
  var UNITS = {m: "minute", h: "hour", d: "day", w: "week", M: "month", y: "year"};
  var VARIABLE = /\$(\w+)|\$\{(\w+)\}|\[\[(\w+)\]\]/g;

  var config = JSON.parse(document.getElementById("dashboard-config").textContent);
  var form = document.getElementById("dashboard-controls");
  var timeSelect = document.getElementById("time-from");
  var refreshSelect = document.getElementById("refresh");
  var variables = {};
  config.variables.forEach(function (v) {
    variables[v.name] = v;
    v.select = form.querySelector('select[data-variable="' + v.name + '"]');
    v.status = v.select.parentNode.querySelector(".variable-status");
  });
  var panels = {};
  config.panels.forEach(function (panel) { panels[panel.index] = panel; });
  var state = {from: config.time.from, to: config.time.to, refresh: "", vars: {}};
  var controllers = {};
  var timer = null;

  function unique(values) {
    return values.filter(function (v, i) { return values.indexOf(v) === i; });
  }

  function readURL() {
    var query = new URLSearchParams(location.search);
    state.from = query.get("from") || config.time.from;
    state.to = query.get("to") || config.time.to;
    state.refresh = REFRESH[query.get("refresh")] ? query.get("refresh") : "";
    config.variables.forEach(function (v) {
      var values = query.getAll("var-" + v.name).map(function (value) {
        return value === "All" ? ALL : value;
      });
      if (values.indexOf(ALL) >= 0 && !v.include_all) values = [];
      if (!v.multi) values = values.slice(0, 1);
      if (!values.length) values = v.include_all ? [ALL] : optionValues(v).slice(0, 1);
      state.vars[v.name] = unique(values);
    });
  }

  function writeURL() {
    var query = new URLSearchParams();
    query.set("from", state.from);
    query.set("to", state.to);
    config.variables.forEach(function (v) {
      state.vars[v.name].forEach(function (value) {
        query.append("var-" + v.name, value === ALL ? "All" : value);
      });
    });
    if (state.refresh) query.set("refresh", state.refresh);
    var search = "?" + query.toString();
    if (search !== location.search) history.pushState(null, "", location.pathname + search);
  }

  /* The values a variable offers (its options but All). */
  function optionValues(v) {
    return Array.from(v.select.options).map(function (o) { return o.value; })
      .filter(function (value) { return value !== ALL; });
  }

  function addOption(select, value, text) {
    var option = document.createElement("option");
    option.value = value;
    option.textContent = text || value;
    select.appendChild(option);
    return option;
  }

  function utc(milliseconds) {
    return new Date(Number(milliseconds)).toISOString().slice(0, 16).replace("T", " ");
  }

  function timeLabel(text, to) {
    if (/^\d{12,}$/.test(text)) {
      return utc(text) + " to " + (/^\d{12,}$/.test(to) ? utc(to) + " UTC" : to);
    }
    var match = /^now-(\d+)([mhdwMy])$/.exec(text);
    if (!match) return text;
    var unit = UNITS[match[2]] + (match[1] === "1" ? "" : "s");
    return "Last " + match[1] + " " + unit;
  }

  /* The form shows the state (options are added for values that are not listed). */
  function showState() {
    if (!Array.from(timeSelect.options).some(function (o) { return o.value === state.from; })) {
      addOption(timeSelect, state.from, timeLabel(state.from, state.to));
    }
    timeSelect.value = state.from;
    refreshSelect.value = state.refresh;
    config.variables.forEach(function (v) {
      var values = state.vars[v.name];
      values.forEach(function (value) {
        if (value !== ALL && optionValues(v).indexOf(value) < 0) addOption(v.select, value);
      });
      Array.from(v.select.options).forEach(function (o) {
        o.selected = values.indexOf(o.value) >= 0;
      });
    });
  }

  /* A Grafana time ("now-7d", "now", epoch milliseconds) as a Graphite one. */
  function graphiteTime(text) {
    if (/^\d{12,}$/.test(text)) return String(Math.floor(Number(text) / 1000));
    var match = /^now(-\d+[a-zA-Z]+)$/.exec(text);
    return match ? match[1] : text;
  }

  function allValue(v) {
    if (v.all_value) return v.all_value;
    var values = optionValues(v);
    if (!values.length) return "*";
    return values.length === 1 ? values[0] : "{" + values.join(",") + "}";
  }

  /* Grafana's Graphite interpolation: $name, ${name} and [[name]]. */
  function substitute(text) {
    return text.replace(VARIABLE, function (match, a, b, c) {
      var v = variables[a || b || c];
      if (!v) return match;
      var values = state.vars[v.name];
      if (!values.length || values.indexOf(ALL) >= 0) return allValue(v);
      return values.length === 1 ? values[0] : "{" + values.join(",") + "}";
    });
  }

  function checked(response) {
    if (response.ok) return response.json();
    return response.text().then(function (text) {
      throw new Error(text.trim() || response.status + " " + response.statusText);
    });
  }

  /* A query variable's values: the names that its query finds in the series store. */
  function loadValues(v) {
    var query = new URLSearchParams({query: substitute(v.query)});
    v.status.textContent = "";
    return fetch(config.graphite + "/metrics/find?" + query).then(checked).then(function (nodes) {
      var found = unique(nodes.map(function (node) { return node.text; }));
      Array.from(v.select.options).forEach(function (o) {
        if (o.value !== ALL) o.remove();
      });
      found.forEach(function (value) { addOption(v.select, value); });
      if (!found.length) v.status.textContent = "no values in the store yet";
    }).catch(function (error) {
      v.status.textContent = "values could not be loaded: " + error.message;
    });
  }

  function showError(section, chart, message) {
    tfChart.clear(chart);
    delete chart.dataset.series;
    var box = document.createElement("div");
    box.className = "panel-error";
    box.setAttribute("role", "alert");
    var title = document.createElement("p");
    title.className = "error-message";
    title.textContent = "This panel could not be drawn:";
    var text = document.createElement("pre");
    text.textContent = message;
    box.appendChild(title);
    box.appendChild(text);
    chart.appendChild(box);
    section.dataset.state = "error";
  }

  function loadPanel(section) {
    var panel = panels[section.dataset.panel];
    var chart = section.querySelector(".chart");
    if (controllers[panel.index]) controllers[panel.index].abort();
    var controller = new AbortController();
    controllers[panel.index] = controller;
    if (!panel.targets.length) {
      showError(section, chart, "The panel has no Graphite target.");
      return Promise.resolve();
    }
    var query = new URLSearchParams();
    panel.targets.forEach(function (target) { query.append("target", substitute(target)); });
    query.set("from", graphiteTime(state.from));
    query.set("until", graphiteTime(state.to));
    query.set("format", "json");
    query.set("maxDataPoints", String(Math.max(50, Math.round(chart.clientWidth || 600))));
    section.dataset.state = "loading";
    chart.setAttribute("aria-busy", "true");
    return fetch(config.graphite + "/render?" + query, {signal: controller.signal})
      .then(checked)
      .then(function (series) {
        var plot = tfChart(chart, series, {
          unit: panel.unit, decimals: panel.decimals, height: Math.max(120, panel.height - 40),
          label: panel.title, onZoom: zoom,
        });
        section.dataset.state = plot ? "data" : "empty";
      })
      .catch(function (error) {
        if (error.name !== "AbortError") showError(section, chart, error.message);
      })
      .finally(function () {
        if (controllers[panel.index] === controller) chart.removeAttribute("aria-busy");
      });
  }

  /* Dragging across a chart sets the dashboard's time range, as in Grafana (epoch ms). */
  function zoom(from, until) {
    state.from = String(from * 1000);
    state.to = String(until * 1000);
    showState();
    writeURL();
    loadPanels();
  }

  function loadPanels() {
    return Promise.all(Array.from(document.querySelectorAll("section[data-panel]")).map(loadPanel));
  }

  function schedule() {
    if (timer) clearInterval(timer);
    timer = state.refresh ? setInterval(loadPanels, REFRESH[state.refresh]) : null;
  }

  /* A multi-select with All: picking All drops the others, picking another value drops All,
     and an empty selection is All (as in Grafana). */
  function picked(v) {
    var chosen = Array.from(v.select.selectedOptions).map(function (o) { return o.value; });
    if (chosen.indexOf(ALL) >= 0 && chosen.length > 1) {
      chosen = state.vars[v.name].indexOf(ALL) >= 0
        ? chosen.filter(function (value) { return value !== ALL; }) : [ALL];
    }
    if (!chosen.length && v.include_all) chosen = [ALL];
    return chosen;
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.addEventListener("change", function (event) {
    var target = event.target;
    if (target === refreshSelect) {
      state.refresh = target.value;
      schedule();
      writeURL();
      return;
    }
    if (target === timeSelect) {
      state.from = target.value;
      state.to = "now";
    }
    else if (target.dataset.variable) state.vars[target.dataset.variable] = picked(variables[target.dataset.variable]);
    else return;
    showState();
    writeURL();
    loadPanels();
  });
  document.getElementById("reload").addEventListener("click", loadPanels);
  window.addEventListener("popstate", function () {
    readURL();
    showState();
    schedule();
    loadPanels();
  });

  var queries = config.variables.filter(function (v) { return v.type === "query"; });
  readURL();
  showState();
  Promise.all(queries.map(loadValues)).then(function () {
    readURL();
    showState();
    schedule();
    return loadPanels();
  }).then(function () {
    document.body.dataset.dashboard = "ready";
  });
})();
