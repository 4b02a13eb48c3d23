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
  // A colour for each series, told apart also with colour-blindness: the Okabe–Ito colours
  // (orange, sky blue and yellow made darker to stand out 3:1 against white), then wine and
  // grey from Paul Tol's schemes. Lines also differ in dash pattern and marker, so series
  // are told apart without colour, and a chart with more series than colours still has no
  // two alike.
  var PALETTE = [
    "#0072B2", // blue
    "#D55E00", // vermillion
    "#009E73", // bluish green
    "#CC79A7", // reddish purple
    "#B07800", // orange, darkened
    "#000000", // black
    "#2F8AC4", // sky blue, darkened
    "#7F7F26", // yellow, darkened to olive
    "#882255", // wine
    "#666666" // grey
  ];
  var DASHES = [[], [8, 4], [3, 3], [12, 4, 3, 4], [6, 3, 1, 3]];
  var MARKERS = ["circle", "rect", "triangle", "rectRot", "crossRot", "star", "rectRounded", "cross"];
  var TARGET_DASH = [2, 4]; // a target line (spec "dashed"): dotted, without markers
  // Bars signed by value: vermillion below zero, blue above (the table has the minus sign).
  var NEGATIVE = "#D55E00";
  var POSITIVE = "#0072B2";
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
      set.borderWidth = 2;
      set.borderDash = DASHES[index % DASHES.length];
      set.pointStyle = MARKERS[index % MARKERS.length];
      set.pointRadius = 4;
      set.pointHoverRadius = 6;
      set.backgroundColor = colour;
      if (spec.dashed) {
        set.borderDash = TARGET_DASH;
        set.pointStyle = "line";
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
          // Lines: the legend shows each series' marker (and its dash, in the chart).
          legend: {
            display: spec.datasets.length > 1,
            position: "bottom",
            labels: { usePointStyle: spec.type === "line", boxHeight: 8 }
          },
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
