// Lesson-preparation check form: the school month and the discretionary fine belong to monthly checks only, so
// they are shown only when the round is "monthly" (the server ignores them otherwise).
(function () {
  function sync(form) {
    var round = form.querySelector("[name=round_kind]");
    if (!round) {
      return;
    }
    var monthly = round.value === "monthly";
    form.querySelectorAll("[data-monthly-only]").forEach(function (element) {
      element.classList.toggle("d-none", !monthly);
    });
  }
  document.addEventListener("change", function (event) {
    if (event.target.matches("#check-form [name=round_kind]")) {
      sync(event.target.form);
    }
  });
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("check-form");
    if (form) {
      sync(form);
    }
  });
})();
