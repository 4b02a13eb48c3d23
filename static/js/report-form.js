/*
 * The report form (templates/followup/report.html): the deviations and the committee's sums
 * are recalculated while the controller types, before the report is saved.
 *
 * Amounts are read as the server reads them (budget.money.parse_amount and
 * followup.reports.forms.SwedishAmountField): a decimal comma, spaces, no-break spaces or
 * thin spaces between thousands, a true minus, a hyphen-minus or an en dash, at most five
 * decimals in tkr (öre), less than 10^12 tkr. Anything else is not read: the figures that
 * depend on it show "–", never a wrong number.
 *
 * The exact figures in kronor (budget, budget to date, and the saved outcome and forecast)
 * are in each row's data- attributes; a field the controller has not changed counts with
 * its saved exact value, not with the rounded one the field shows. Arithmetic is exact
 * (BigInt), and rounding to tkr is half away from zero, as budget.money.format_tkr does.
 *
 * Without JavaScript the server's figures stay until the report is saved.
 */
(function () {
  "use strict";

  var MINUS = "\u2212";
  var NBSP = "\u00a0";
  var INVALID = { invalid: true };
  // The whitespace both Python's str.strip() and JavaScript's \s know.
  var EDGE_SPACE = /^[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g;
  // budget.money._SWEDISH: digits in groups of three after the first when spaced.
  var SWEDISH = /^([-+]?)([0-9]{1,3}(?:[ \u00a0\u202f][0-9]{3})+|[0-9]+)(?:,([0-9]+))?$/;
  // A Decimal as Python writes it (str()): "-436083.3333333333333333333333", "1.2E+7", "0E-20".
  var PLAIN = /^([-+]?)([0-9]+)(?:\.([0-9]+))?(?:[eE]([-+]?[0-9]+))?$/;
  var MAX_TKR_DECIMALS = 5; // öre: SwedishAmountField refuses more
  var TOO_LARGE = 12; // digits: SwedishAmountField refuses 10^12 tkr and more

  /* An exact decimal: n / 10^s, n a BigInt, s >= 0. */
  function decimal(sign, integer, fraction, exponent) {
    var s = fraction.length - exponent;
    var n = BigInt(sign + (integer + fraction || "0"));
    if (s < 0) {
      n *= BigInt(10) ** BigInt(-s);
      s = 0;
    }
    return { n: n, s: s };
  }

  function scaled(a, s) {
    return a.n * BigInt(10) ** BigInt(s - a.s);
  }

  function add(a, b) {
    var s = Math.max(a.s, b.s);
    return { n: scaled(a, s) + scaled(b, s), s: s };
  }

  function negate(a) {
    return { n: -a.n, s: a.s };
  }

  /* An exact figure from a data- attribute (kronor); null when there is none. */
  function exact(text) {
    if (text === undefined || text === null || text === "") {
      return null;
    }
    var match = PLAIN.exec(text);
    if (!match) {
      return INVALID;
    }
    return decimal(match[1] === "-" ? "-" : "", match[2], match[3] || "", Number(match[4] || 0));
  }

  /* A typed amount in tkr: an exact decimal, null for an empty field, INVALID otherwise. */
  function typed(text) {
    if (text === "") {
      return null;
    }
    // Spaces alone are not an empty field to the server: "Beloppet saknas."
    var cleaned = String(text).replace(EDGE_SPACE, "").replace(/[\u2212\u2013]/g, "-");
    var match = SWEDISH.exec(cleaned);
    if (!match) {
      return INVALID;
    }
    var integer = match[2].replace(/[^0-9]/g, "").replace(/^0+/, "");
    var fraction = (match[3] || "").replace(/0+$/, "");
    if (fraction.length > MAX_TKR_DECIMALS || integer.length > TOO_LARGE) {
      return INVALID;
    }
    return decimal(match[1] === "-" ? "-" : "", integer, fraction, 0);
  }

  function text(value) {
    if (value === null) {
      return "";
    }
    if (value === INVALID) {
      return null;
    }
    var digits = (value.n < 0 ? -value.n : value.n).toString().padStart(value.s + 1, "0");
    var point = digits.length - value.s;
    var fraction = digits.slice(point).replace(/0+$/, "");
    return (value.n < 0 ? "-" : "") + digits.slice(0, point) + (fraction ? "." + fraction : "");
  }

  /* Kronor in tkr without decimals, Swedish: "−1 207" (budget.money.format_tkr). */
  function tkr(kronor) {
    var unit = BigInt(10) ** BigInt(kronor.s + 3);
    var negative = kronor.n < 0;
    var whole = negative ? -kronor.n : kronor.n;
    var rounded = whole / unit;
    if (BigInt(2) * (whole % unit) >= unit) {
      rounded += BigInt(1);
    }
    var grouped = rounded.toString().replace(/\B(?=([0-9]{3})+$)/g, NBSP);
    return negative && rounded > BigInt(0) ? MINUS + grouped : grouped;
  }

  /* a − b: null when either is missing, INVALID when either cannot be read. */
  function minus(a, b) {
    if (a === INVALID || b === INVALID) {
      return INVALID;
    }
    return a === null || b === null ? null : add(a, negate(b));
  }

  /* budget.money.sum_present: the sum of the amounts that are there, null when none is. */
  function sumPresent(values) {
    var total = null;
    for (var i = 0; i < values.length; i += 1) {
      if (values[i] === INVALID) {
        return INVALID;
      }
      if (values[i] !== null) {
        total = total === null ? values[i] : add(total, values[i]);
      }
    }
    return total;
  }

  // For tests in the browser: readAmount("−1 207,5") is "-1207.5" (tkr), "" for an empty
  // field, null for text the server refuses; formatTkr("-1207499.99") is "−1 207".
  window.reportForm = {
    readAmount: function (value) {
      return text(typed(value));
    },
    formatTkr: function (kronor) {
      var value = exact(kronor);
      return value === null || value === INVALID ? "" : tkr(value);
    }
  };

  var form = document.querySelector("form[data-report-form]");
  if (!form) {
    return;
  }
  var table = form.querySelector("table");
  var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr:not(.total)"));
  var total = table.querySelector("tbody tr.total");
  // Re-shown after an error: the fields hold what was typed, not what is saved.
  var retyped = form.hasAttribute("data-unsaved");
  var announce = form.querySelector("[data-report-announce]");
  var hint = form.querySelector("[data-report-recalculated]");
  var asksForecast = Boolean(table.querySelector('[data-figure="deviation"]'));
  var THOUSAND = { n: BigInt(1000), s: 0 };

  function times(a, b) {
    return { n: a.n * b.n, s: a.s + b.s };
  }

  /* A row's outcome or forecast in kronor: the saved exact figure while its field is
   * unchanged, else what is typed in it. */
  function figure(row, kind) {
    var field = row.querySelector('input[name^="' + kind + '_"]');
    if (!field || (!retyped && field.value === field.defaultValue)) {
      return exact(row.getAttribute("data-" + kind));
    }
    var value = typed(field.value);
    return value === null || value === INVALID ? value : times(value, THOUSAND);
  }

  function show(cell, value) {
    if (!cell) {
      return;
    }
    cell.textContent = "";
    if (value === INVALID) {
      var dash = document.createElement("span");
      dash.setAttribute("aria-hidden", "true");
      dash.textContent = "–";
      var words = document.createElement("span");
      words.className = "visually-hidden";
      words.textContent = "kan inte räknas, ett belopp går inte att läsa";
      cell.appendChild(dash);
      cell.appendChild(words);
    } else {
      cell.textContent = value === null ? "" : tkr(value);
    }
  }

  function cell(row, name) {
    return row.querySelector('[data-figure="' + name + '"]');
  }

  function recalculate() {
    var sums = { outcome: [], forecast: [], budget: [], budgetToDate: [] };
    rows.forEach(function (row) {
      var budget = exact(row.getAttribute("data-budget"));
      var budgetToDate = exact(row.getAttribute("data-budget-to-date"));
      var outcome = figure(row, "outcome");
      var forecast = figure(row, "forecast");
      show(cell(row, "outcome-deviation"), minus(outcome, budgetToDate));
      show(cell(row, "deviation"), minus(forecast, budget));
      sums.outcome.push(outcome);
      sums.forecast.push(forecast);
      sums.budget.push(budget);
      sums.budgetToDate.push(budgetToDate);
    });
    var result = {
      outcome: sumPresent(sums.outcome),
      forecast: sumPresent(sums.forecast)
    };
    result.outcomeDeviation = minus(result.outcome, sumPresent(sums.budgetToDate));
    result.deviation = minus(result.forecast, sumPresent(sums.budget));
    if (total) {
      show(cell(total, "outcome"), result.outcome);
      show(cell(total, "outcome-deviation"), result.outcomeDeviation);
      show(cell(total, "forecast"), result.forecast);
      show(cell(total, "deviation"), result.deviation);
    }
    return result;
  }

  /* After a pause in typing, the committee's new deviation is read out once. */
  var said = "";
  var pause = null;

  function say(result) {
    if (!announce) {
      return;
    }
    var label = asksForecast ? "Nämndens avvikelse helår" : "Nämndens avvikelse mot periodens budget";
    var value = asksForecast ? result.deviation : result.outcomeDeviation;
    var message;
    if (value === INVALID) {
      message = label + " kan inte räknas: ett belopp går inte att läsa.";
    } else if (value === null) {
      message = "";
    } else {
      message = label + ": " + tkr(value) + " tkr (inte sparat).";
    }
    if (message !== said) {
      said = message;
      announce.textContent = message;
    }
  }

  form.addEventListener("input", function (event) {
    var name = event.target.name || "";
    if (!/^(outcome|forecast)_/.test(name)) {
      return;
    }
    var result = recalculate();
    window.clearTimeout(pause);
    pause = window.setTimeout(function () {
      say(result);
    }, 1200);
  });

  if (hint) {
    hint.hidden = false;
  }
})();
