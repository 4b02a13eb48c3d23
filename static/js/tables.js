/*
 * Long tables keep their header and sum row in view (static/css/app.css, 10. Tables).
 *
 * Every table sits in a wrapper (.table-wrap, .table-container) that scrolls sideways when
 * the table is wider than the screen. A wrapper whose table fits gets the class
 * table-fits: it then does not scroll at all, so the table's header sticks to the top of
 * the window and its sum row to the bottom while the table passes by. Checked again when a
 * wrapper changes size. Without JavaScript every row is still on the page; the header and
 * sum row just scroll with it.
 */
(function () {
  "use strict";
  var wraps = document.querySelectorAll(".table-wrap, .table-container");
  if (!wraps.length) {
    return;
  }

  function check(wrap) {
    var table = wrap.querySelector("table");
    if (!table) {
      return;
    }
    var fits = table.getBoundingClientRect().width <= wrap.clientWidth + 1;
    wrap.classList.toggle("table-fits", fits);
  }

  function checkAll() {
    wraps.forEach(check);
  }

  checkAll();
  if (window.ResizeObserver) {
    var observer = new window.ResizeObserver(function (entries) {
      entries.forEach(function (entry) { check(entry.target); });
    });
    wraps.forEach(function (wrap) { observer.observe(wrap); });
  } else {
    window.addEventListener("resize", checkAll);
  }
})();
