// The demo shop's own behaviour: the bag counter, and "Add to bag" telling the stylist.
(function () {
  "use strict";
  var KEY = "atelier:bag";

  function bag() {
    try { return JSON.parse(localStorage.getItem(KEY)) || []; } catch (e) { return []; }
  }

  function showCount() {
    var count = document.getElementById("bag-count");
    if (count) count.textContent = String(bag().length);
  }

  function addToBag(articleId) {
    var items = bag();
    items.push(articleId);
    localStorage.setItem(KEY, JSON.stringify(items));
    showCount();
  }

  // The widget announces adds made from its cards; the page's own button adds and tells the widget.
  document.addEventListener("fashionchat:add-to-bag", function (event) { addToBag(event.detail.articleId); });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".add-to-bag");
    if (!button) return;
    var articleId = button.getAttribute("data-article-id");
    addToBag(articleId);
    var note = document.querySelector(".added");
    if (note) note.hidden = false;
    if (window.FashionChat) window.FashionChat.addToBag(articleId, button.getAttribute("data-title"), { fromPage: true });
  });

  showCount();
})();
