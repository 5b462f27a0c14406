/* Autocomplete for the search boxes: progressive enhancement of <input data-autocomplete-url="...">.
   Without this script the box is a plain search form. With it, the box becomes a combobox (WAI-ARIA 1.2 pattern):
   up to 8 suggestions in a listbox below it; arrow keys move, Enter opens the chosen one, Escape closes the list.
   The suggestions come from /search/autocomplete/?q=... as {"results": [{"title", "url", "kind", "kind_label"}]}. */
(function () {
    "use strict";

    var MIN_LENGTH = 2;
    // What screen readers hear, in the page's language (<html lang>): the list's name and the live status.
    var TEXTS = {
        da: {list: "Forslag", none: "Ingen forslag.", one: "1 forslag. Brug pil op og ned.", many: " forslag. Brug pil op og ned."},
        en: {list: "Suggestions", none: "No suggestions.", one: "1 suggestion. Use the up and down arrows.", many: " suggestions. Use the up and down arrows."}
    };
    var TEXT = TEXTS[(document.documentElement.lang || "da").slice(0, 2)] || TEXTS.da;
    var DELAY = 200;
    var counter = 0;

    function enhance(input) {
        var url = input.getAttribute("data-autocomplete-url");
        if (!url || !window.fetch) {
            return;
        }
        counter += 1;
        var listId = "autocomplete-list-" + counter;

        var wrapper = document.createElement("div");
        wrapper.className = "autocomplete";
        input.parentNode.insertBefore(wrapper, input);
        wrapper.appendChild(input);

        var list = document.createElement("ul");
        list.id = listId;
        list.className = "autocomplete__list";
        list.setAttribute("role", "listbox");
        list.setAttribute("aria-label", TEXT.list);
        list.hidden = true;
        wrapper.appendChild(list);

        var status = document.createElement("div");
        status.className = "visually-hidden";
        status.setAttribute("role", "status");
        status.setAttribute("aria-live", "polite");
        wrapper.appendChild(status);

        input.setAttribute("role", "combobox");
        input.setAttribute("aria-autocomplete", "list");
        input.setAttribute("aria-expanded", "false");
        input.setAttribute("aria-controls", listId);
        input.setAttribute("autocomplete", "off");

        var items = [];
        var active = -1;
        var timer = null;
        var controller = null;
        var lastQuery = "";

        function close() {
            list.hidden = true;
            input.setAttribute("aria-expanded", "false");
            input.removeAttribute("aria-activedescendant");
            active = -1;
        }

        function setActive(index) {
            var options = list.querySelectorAll("[role=option]");
            active = index;
            for (var i = 0; i < options.length; i += 1) {
                options[i].setAttribute("aria-selected", i === index ? "true" : "false");
            }
            if (index >= 0 && options[index]) {
                input.setAttribute("aria-activedescendant", options[index].id);
                options[index].scrollIntoView({block: "nearest"});
            } else {
                input.removeAttribute("aria-activedescendant");
            }
        }

        function go(index) {
            if (items[index]) {
                window.location.href = items[index].url;
            }
        }

        function render(results) {
            items = results;
            list.textContent = "";
            active = -1;
            if (!results.length) {
                close();
                status.textContent = lastQuery ? TEXT.none : "";
                return;
            }
            results.forEach(function (item, index) {
                var option = document.createElement("li");
                option.id = listId + "-" + index;
                option.className = "autocomplete__option";
                option.setAttribute("role", "option");
                option.setAttribute("aria-selected", "false");
                var title = document.createElement("span");
                title.textContent = item.title;
                option.appendChild(title);
                if (item.kind_label) {
                    var kind = document.createElement("span");
                    kind.className = "autocomplete__kind";
                    kind.textContent = item.kind_label;
                    option.appendChild(kind);
                }
                option.addEventListener("mousedown", function (event) {
                    event.preventDefault(); // keep focus in the box until we navigate
                    go(index);
                });
                list.appendChild(option);
            });
            list.hidden = false;
            input.setAttribute("aria-expanded", "true");
            status.textContent = results.length === 1 ? TEXT.one : results.length + TEXT.many;
        }

        function fetchSuggestions() {
            var query = input.value.trim();
            lastQuery = query;
            if (query.length < MIN_LENGTH) {
                render([]);
                return;
            }
            if (controller) {
                controller.abort();
            }
            controller = window.AbortController ? new AbortController() : null;
            var address = url + (url.indexOf("?") === -1 ? "?" : "&") + "q=" + encodeURIComponent(query);
            fetch(address, {headers: {"Accept": "application/json"}, signal: controller ? controller.signal : undefined})
                .then(function (response) { return response.ok ? response.json() : {results: []}; })
                .then(function (data) {
                    if (input.value.trim() === query) {
                        render(Array.isArray(data.results) ? data.results.slice(0, 8) : []);
                    }
                })
                .catch(function () { /* the plain form still works */ });
        }

        input.addEventListener("input", function () {
            window.clearTimeout(timer);
            timer = window.setTimeout(fetchSuggestions, DELAY);
        });

        input.addEventListener("keydown", function (event) {
            var open = !list.hidden;
            if (event.key === "ArrowDown") {
                if (!open && items.length) {
                    list.hidden = false;
                    input.setAttribute("aria-expanded", "true");
                }
                if (items.length) {
                    event.preventDefault();
                    setActive((active + 1) % items.length);
                }
            } else if (event.key === "ArrowUp") {
                if (open && items.length) {
                    event.preventDefault();
                    setActive(active <= 0 ? items.length - 1 : active - 1);
                }
            } else if (event.key === "Enter") {
                if (open && active >= 0) {
                    event.preventDefault();
                    go(active);
                }
            } else if (event.key === "Escape") {
                if (open) {
                    event.preventDefault();
                    close();
                }
            } else if (event.key === "Tab") {
                close();
            }
        });

        input.addEventListener("blur", function () {
            window.setTimeout(close, 150);
        });
    }

    function init() {
        var inputs = document.querySelectorAll("input[data-autocomplete-url]");
        for (var i = 0; i < inputs.length; i += 1) {
            enhance(inputs[i]);
        }
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", init);
    } else {
        init();
    }
}());
