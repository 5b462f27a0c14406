// "Udskriv kursusgangen" on a course page: go to the day (its :target makes the print stylesheet leave out all but
// that day), print, then go back to the day's heading, so printing the page later prints all of it again.
// Without JavaScript the link only goes to the day, and the browser's own print still prints just that day.
document.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-print-step]");
    if (!link) {
        return;
    }
    event.preventDefault();
    window.location.hash = link.hash;
    window.addEventListener("afterprint", () => window.location.replace(link.dataset.return), { once: true });
    window.print();
});
