// Registration form: "Tilføj flere deltagere" adds a row in place instead of reloading the page.
// Without JavaScript the link reloads the form with more rows, so nothing depends on this file.
(function () {
  "use strict";
  var form = document.querySelector("[data-registration-form]");
  if (!form) return;
  var rows = form.querySelector("[data-participant-rows]");
  var template = form.querySelector("[data-participant-template]");
  var link = form.querySelector("[data-add-participant]");
  var total = form.querySelector('input[name="participants-TOTAL_FORMS"]');
  var max = form.querySelector('input[name="participants-MAX_NUM_FORMS"]');
  if (!rows || !template || !link || !total) return;
  link.addEventListener("click", function (event) {
    var count = parseInt(total.value, 10);
    if (max && count >= parseInt(max.value, 10)) return;
    event.preventDefault();
    var html = template.innerHTML.replace(/__prefix__/g, String(count)).replace(/__n__/g, String(count + 1));
    rows.insertAdjacentHTML("beforeend", html);
    total.value = String(count + 1);
    var added = rows.lastElementChild.querySelector("input");
    if (added) added.focus();
  });
  // The library list: a search box that narrows the 98 options as you type.
  var select = form.querySelector('select[name="library"]');
  if (select) {
    var search = document.createElement("input");
    search.type = "search";
    search.className = "library-search";
    search.setAttribute("aria-label", select.getAttribute("data-search-label") || "Søg bibliotek");
    search.setAttribute("aria-controls", select.id);
    search.placeholder = select.getAttribute("data-search-placeholder") || "";
    select.parentNode.insertBefore(search, select);
    search.addEventListener("input", function () {
      var term = search.value.trim().toLowerCase();
      var first = null;
      Array.prototype.forEach.call(select.options, function (option) {
        var match = !option.value || option.text.toLowerCase().indexOf(term) !== -1;
        option.hidden = !match;
        if (match && option.value && !first) first = option;
      });
      if (term && first) select.value = first.value;
    });
  }
})();

// The error summary (registration form and manage page): focused on load, so it is read first; a link in it focuses
// its field and scrolls the field's label into view too (a plain jump to the id would scroll the label off screen).
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (!summary) return;
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest('a[href^="#"]');
    if (!link) return;
    var field = document.getElementById(link.getAttribute("href").slice(1));
    if (!field) return;
    event.preventDefault();
    var label = document.querySelector('label[for="' + field.id + '"]');
    (label || field).scrollIntoView();
    field.focus({ preventScroll: true });
  });
})();
