// "Add a row": copy the formset's hidden empty row with the next index and count it in TOTAL_FORMS.
document.querySelectorAll("[data-add-row]").forEach(function (button) {
  button.addEventListener("click", function () {
    var prefix = button.dataset.addRow;
    var box = document.querySelector('[data-formset="' + prefix + '"]');
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var template = box.querySelector("tr.empty-form");
    var row = template.cloneNode(true);
    row.classList.remove("d-none", "empty-form");
    row.innerHTML = row.innerHTML.replace(/__prefix__/g, total.value);
    template.parentNode.appendChild(row);
    total.value = parseInt(total.value, 10) + 1;
  });
});
// The empty row is a template, not a form: keep its inputs out of the submission.
document.getElementById("policy-form").addEventListener("submit", function () {
  document.querySelectorAll("tr.empty-form input, tr.empty-form select, tr.empty-form textarea").forEach(function (el) {
    el.disabled = true;
  });
});
