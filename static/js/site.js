// Small behaviours shared by every page; no inline scripts so that a strict Content Security Policy holds.
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target.matches("[data-autosubmit]")) {
    target.form.submit();
  }
});
