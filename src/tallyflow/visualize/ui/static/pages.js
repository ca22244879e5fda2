/* Charts of the streams page: each element with data-chart="<id>" is drawn from the JSON in
   the <script type="application/json" id="<id>"> element (graphite-web's series shape). */
(function () {
  "use strict";
  document.querySelectorAll("[data-chart]").forEach(function (container) {
    var source = document.getElementById(container.dataset.chart);
    window.tfChart(container, JSON.parse(source.textContent),
                   {decimals: 0, height: 220, label: container.dataset.label});
  });
})();
