// Small behaviours shared by every page; no inline scripts so that a strict Content Security Policy holds.
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target.matches("[data-autosubmit]")) {
    target.form.submit();
  }
});

// Observation form: the rubric total as scores are typed.
document.addEventListener("input", function (event) {
  if (!event.target.matches("[data-score]")) {
    return;
  }
  var form = event.target.form;
  var total = 0;
  var scored = false;
  form.querySelectorAll("[data-score]").forEach(function (input) {
    var value = parseFloat(input.value);
    if (!isNaN(value)) {
      total += value;
      scored = true;
    }
  });
  var output = form.querySelector("[data-score-total]");
  if (output) {
    output.textContent = scored ? String(Math.round(total * 10) / 10) : "—";
  }
});

// Forms marked data-submit-once: a second tap while the first submission is on its way does nothing (the
// server also makes one record of a double submit). Coming back to the page (back button) enables them again.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!form.matches("[data-submit-once]")) {
    return;
  }
  if (form.dataset.submitted) {
    event.preventDefault();
    return;
  }
  form.dataset.submitted = "1";
  form.querySelectorAll("button[type=submit]").forEach(function (button) {
    button.classList.add("disabled");
    button.setAttribute("aria-disabled", "true");
  });
});
window.addEventListener("pageshow", function () {
  document.querySelectorAll("form[data-submit-once]").forEach(function (form) {
    delete form.dataset.submitted;
    form.querySelectorAll("button[type=submit]").forEach(function (button) {
      button.classList.remove("disabled");
      button.removeAttribute("aria-disabled");
    });
  });
});
