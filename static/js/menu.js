/*
 * The main menu's button on narrow screens (templates/includes/main_nav.html).
 *
 * Without JavaScript the menu is simply open and the button hidden. Here the menu gets the
 * class main-nav--js, which shows the button below 48rem (static/css/app.css), and starts
 * folded: the button's aria-expanded opens and closes it. Escape closes an open menu and
 * puts the focus back on the button. On wider screens the button is not shown and the
 * menu is always open, whatever aria-expanded says.
 */
(function () {
  "use strict";
  var nav = document.querySelector("nav[data-menu]");
  if (!nav) {
    return;
  }
  var button = nav.querySelector("button[aria-controls]");
  var panel = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!panel) {
    return;
  }

  function setOpen(open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
  }

  nav.classList.add("main-nav--js");
  setOpen(false);

  button.addEventListener("click", function () {
    setOpen(button.getAttribute("aria-expanded") !== "true");
  });

  nav.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true" &&
        window.getComputedStyle(button).display !== "none") {
      setOpen(false);
      button.focus();
    }
  });
})();
