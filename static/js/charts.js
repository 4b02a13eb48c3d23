/*
 * Draws the page's charts with the vendored Chart.js (see docs/decisions/0013-charts.md).
 *
 * Each <canvas data-chart="ID"> is drawn from the JSON in <script type="application/json"
 * id="ID"> (Django's json_script): {type, unit, labels, datasets: [{label, data, signed,
 * dashed}]}. Amounts arrive as strings of mkr with one decimal, rounded on the server as
 * in the table beside the chart; they become numbers here only to be drawn.
 */
(function () {
  "use strict";
  if (typeof window.Chart === "undefined") {
    return; // the tables beside the charts hold the same figures
  }
  var PALETTE = ["#1d4f91", "#b35c00", "#2e7d32", "#6a1b9a", "#00838f", "#ad1457", "#5d4037", "#455a64"];
  var NEGATIVE = "#b3261e";
  var POSITIVE = "#1d4f91";
  var format = new Intl.NumberFormat("sv-SE", { minimumFractionDigits: 1, maximumFractionDigits: 1 });

  function number(value) {
    return value === null || value === undefined ? null : Number(value);
  }

  function dataset(spec, index, type) {
    var data = spec.data.map(number);
    var colour = PALETTE[index % PALETTE.length];
    var set = { label: spec.label, data: data, borderColor: colour, backgroundColor: colour };
    if (type === "bar" && spec.signed) {
      set.backgroundColor = data.map(function (v) { return v !== null && v < 0 ? NEGATIVE : POSITIVE; });
      set.borderColor = set.backgroundColor;
    }
    if (type === "line") {
      set.tension = 0;
      set.spanGaps = true;
      set.pointRadius = 4;
      set.borderWidth = 2;
      if (spec.dashed) {
        set.borderDash = [6, 4];
        set.pointRadius = 0;
      }
    }
    return set;
  }

  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source) {
      return;
    }
    var spec = JSON.parse(source.textContent);
    var unit = spec.unit ? " " + spec.unit : "";
    new window.Chart(canvas, {
      type: spec.type,
      data: {
        labels: spec.labels,
        datasets: spec.datasets.map(function (s, i) { return dataset(s, i, spec.type); })
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        locale: "sv-SE",
        plugins: {
          legend: { display: spec.datasets.length > 1, position: "bottom" },
          tooltip: {
            callbacks: {
              label: function (ctx) {
                var v = ctx.parsed.y;
                return ctx.dataset.label + ": " + (v === null ? "–" : format.format(v).replace("-", "\u2212") + unit);
              }
            }
          }
        },
        scales: {
          y: {
            ticks: {
              callback: function (v) { return format.format(v).replace("-", "\u2212"); }
            },
            title: { display: Boolean(spec.unit), text: spec.unit }
          }
        }
      }
    });
    canvas.dataset.drawn = "true";
  }

  document.querySelectorAll("canvas[data-chart]").forEach(draw);
})();
