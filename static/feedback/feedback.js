// Evaluation pages. The answer form: a question answered loses its red mark at once (the server checks again).
document.addEventListener("change", function (event) {
  var target = event.target;
  if (!target.matches(".answer-item input[type=radio]")) {
    return;
  }
  var item = target.closest(".answer-item");
  if (item) {
    item.classList.remove("has-error");
    item.querySelectorAll(".answer-error").forEach(function (error) { error.remove(); });
  }
});

// Printed slips: the print button opens the browser's print dialog.
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
