/*
 * Downloads that take more than a moment (workbooks made on request) say so while they are
 * being made. A link with data-progress is fetched here instead of followed: a status line
 * beside it (aria-live) counts the seconds, and the file is then saved under the name the
 * server gives. Without JavaScript, or if anything fails, the link works as a plain link.
 */
(function () {
  "use strict";
  if (!window.fetch || !window.URL || !window.Blob) {
    return;
  }

  function filename(response, fallback) {
    var header = response.headers.get("Content-Disposition") || "";
    var match = /filename="?([^";]+)"?/.exec(header);
    return match ? match[1] : fallback;
  }

  function statusFor(link) {
    var status = link.parentNode.querySelector(".download-status");
    if (!status) {
      status = document.createElement("span");
      status.className = "download-status";
      status.setAttribute("role", "status");
      status.setAttribute("aria-live", "polite");
      link.insertAdjacentElement("afterend", status);
    }
    return status;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-progress]");
    if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey) {
      return;
    }
    if (link.getAttribute("aria-busy") === "true") {
      event.preventDefault();
      return;
    }
    event.preventDefault();
    var status = statusFor(link);
    var started = Date.now();
    link.setAttribute("aria-busy", "true");
    status.textContent = " Skapar filen …";
    var timer = window.setInterval(function () {
      var seconds = Math.round((Date.now() - started) / 1000);
      status.textContent = " Skapar filen … " + seconds + " s";
    }, 1000);
    function done(message) {
      window.clearInterval(timer);
      link.removeAttribute("aria-busy");
      status.textContent = message;
    }
    fetch(link.href, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        var name = filename(response, "fil.xlsx");
        return response.blob().then(function (blob) {
          var url = URL.createObjectURL(blob);
          var save = document.createElement("a");
          save.href = url;
          save.download = name;
          document.body.appendChild(save);
          save.click();
          save.remove();
          window.setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
          done(" Klar: " + name + " är nedladdad.");
        });
      })
      .catch(function () {
        done(" Filen kunde inte skapas här; försöker igen som en vanlig nedladdning.");
        window.location.href = link.href;
      });
  });
})();
