/*
 * The shop's chat widget. Embed it with one tag:
 *
 *   <script src="https://<web host>/widget/widget.js" data-bot-url="https://<rasa host>"
 *           data-customer-id="<id of the signed-in customer, if any>" defer></script>
 *
 * It talks to Rasa's socketio channel with the socket.io client from npm (served beside this
 * file), keeps the conversation across page reloads (same Rasa session, transcript in
 * localStorage), and renders text, photos, quick replies and `product_cards` carousels.
 * Everything the bot or shopper wrote is inserted as text (textContent), never as HTML.
 *
 * The page can call window.FashionChat.open(), .send(text) and .addToBag(articleId, title).
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var config = {
    botUrl: (script.getAttribute("data-bot-url") || window.location.origin).replace(/\/+$/, ""),
    socketPath: script.getAttribute("data-socket-path") || "/socket.io/",
    customerId: script.getAttribute("data-customer-id") || null,
    title: script.getAttribute("data-title") || "Stylist",
    greeting: script.getAttribute("data-greeting") || "/greet",
  };
  var base = script.src.replace(/[^/]*$/, "");
  var storageKey = "fashionchat:" + config.botUrl + ":" + (config.customerId || "guest");
  var MAX_KEPT = 200;
  var TYPING_GRACE_MS = 800;
  var SLOW_REPLY_MS = 20000;

  // --- what survives a reload ------------------------------------------------------------------

  function load() {
    try {
      var saved = JSON.parse(window.localStorage.getItem(storageKey));
      if (saved && Array.isArray(saved.transcript)) return saved;
    } catch (e) { /* a corrupt entry starts a fresh conversation */ }
    return { sessionId: null, transcript: [], open: false };
  }

  var state = load();

  function save() {
    state.transcript = state.transcript.slice(-MAX_KEPT);
    try { window.localStorage.setItem(storageKey, JSON.stringify(state)); } catch (e) { /* full: keep going */ }
  }

  // --- small DOM helpers -----------------------------------------------------------------------

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function safeUrl(value) {
    try {
      var url = new URL(String(value), window.location.href);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (e) { return null; }
  }

  function chatIcon() {
    var svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("class", "fc-launcher-icon");
    svg.setAttribute("aria-hidden", "true");
    var path = document.createElementNS("http://www.w3.org/2000/svg", "path");
    path.setAttribute("d", "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z");
    svg.appendChild(path);
    return svg;
  }

  // --- the frame -------------------------------------------------------------------------------

  var root = el("div", "fc-root");
  var launcher = el("button", "fc-launcher");
  launcher.type = "button";
  launcher.setAttribute("aria-controls", "fc-panel");
  launcher.setAttribute("aria-expanded", "false");
  launcher.setAttribute("aria-label", "Chat with our " + config.title);
  launcher.appendChild(chatIcon());
  launcher.appendChild(el("span", "fc-launcher-text", "Ask our stylist"));

  var panel = el("section", "fc-panel");
  panel.id = "fc-panel";
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-labelledby", "fc-title");
  panel.hidden = true;

  var header = el("header", "fc-header");
  var title = el("h2", "fc-title", config.title);
  title.id = "fc-title";
  var status = el("p", "fc-status", "");
  status.setAttribute("role", "status");
  var close = el("button", "fc-close", "×");
  close.type = "button";
  close.setAttribute("aria-label", "Close the chat");
  header.appendChild(title);
  header.appendChild(status);
  header.appendChild(close);

  var log = el("div", "fc-log");
  log.setAttribute("role", "log");
  log.setAttribute("aria-live", "polite");
  log.setAttribute("aria-label", "Conversation");
  log.tabIndex = 0;

  var typing = el("div", "fc-typing");
  typing.setAttribute("aria-label", config.title + " is typing");
  typing.setAttribute("role", "status");
  typing.hidden = true;
  for (var i = 0; i < 3; i++) typing.appendChild(el("span", "fc-dot"));

  var form = el("form", "fc-form");
  var label = el("label", "fc-visually-hidden", "Your message");
  label.setAttribute("for", "fc-input");
  var input = el("input", "fc-input");
  input.id = "fc-input";
  input.type = "text";
  input.autocomplete = "off";
  input.maxLength = 2000;
  input.placeholder = "e.g. a black dress for a wedding";
  var sendButton = el("button", "fc-send", "Send");
  sendButton.type = "submit";
  form.appendChild(label);
  form.appendChild(input);
  form.appendChild(sendButton);

  panel.appendChild(header);
  panel.appendChild(log);
  panel.appendChild(typing);
  panel.appendChild(form);
  root.appendChild(panel);
  root.appendChild(launcher);

  // --- rendering -------------------------------------------------------------------------------

  function scrollToEnd() { log.scrollTop = log.scrollHeight; }

  function renderUser(text) {
    log.appendChild(el("p", "fc-msg fc-user", text));
  }

  function renderButtons(buttons, className) {
    var row = el("div", className || "fc-replies");
    buttons.forEach(function (button) {
      if (!button || !button.title) return;
      var node = el("button", "fc-reply", button.title);
      node.type = "button";
      node.addEventListener("click", function () { send(String(button.payload || button.title), String(button.title)); });
      row.appendChild(node);
    });
    return row;
  }

  function cardButton(card, button) {
    var node = el("button", "fc-card-button", button.title);
    node.type = "button";
    node.setAttribute("aria-label", button.title + ": " + card.title);
    node.addEventListener("click", function () {
      var payload = String(button.payload || "");
      if (payload.indexOf("/add_to_bag") === 0) announceAdd(card.article_id);
      send(payload, button.title + ": " + card.title);
    });
    return node;
  }

  function renderCard(card) {
    var item = el("article", "fc-card");
    item.setAttribute("role", "listitem");
    item.setAttribute("data-article-id", String(card.article_id));
    var src = safeUrl(card.image_url);
    if (src) {
      var img = el("img", "fc-card-photo");
      img.src = src;
      img.alt = card.title || "Product photo";
      img.loading = "lazy";
      img.width = 160;
      img.height = 240;
      item.appendChild(img);
    } else {
      item.appendChild(el("div", "fc-card-photo fc-nophoto", "No photo"));
    }
    var body = el("div", "fc-card-body");
    body.appendChild(el("h3", "fc-card-title", card.title));
    if (card.price) body.appendChild(el("p", "fc-card-price", card.price));
    if (card.reason) body.appendChild(el("p", "fc-card-reason", card.reason));
    var buttons = el("div", "fc-card-buttons");
    (card.buttons || []).forEach(function (button) { if (button && button.title) buttons.appendChild(cardButton(card, button)); });
    body.appendChild(buttons);
    item.appendChild(body);
    return item;
  }

  function renderCards(cards) {
    var wrap = el("div", "fc-carousel");
    var track = el("div", "fc-cards");
    track.setAttribute("role", "list");
    track.setAttribute("aria-label", cards.length + " suggestions");
    track.tabIndex = 0;
    cards.forEach(function (card) { if (card && card.article_id) track.appendChild(renderCard(card)); });
    var previous = el("button", "fc-scroll fc-prev", "‹");
    var next = el("button", "fc-scroll fc-next", "›");
    [previous, next].forEach(function (arrow, index) {
      arrow.type = "button";
      arrow.setAttribute("aria-label", index ? "Next suggestions" : "Previous suggestions");
      arrow.addEventListener("click", function () { track.scrollBy({ left: (index ? 1 : -1) * 180, behavior: "smooth" }); });
    });
    wrap.appendChild(previous);
    wrap.appendChild(track);
    wrap.appendChild(next);
    return wrap;
  }

  function renderBot(message) {
    if (!message || typeof message !== "object") return;
    if (message.type === "product_cards" && Array.isArray(message.cards)) {
      log.appendChild(renderCards(message.cards));
      return;
    }
    if (message.text) log.appendChild(el("p", "fc-msg fc-bot", message.text));
    var attachment = message.attachment;
    if (attachment && attachment.type === "image" && attachment.payload) {
      var src = safeUrl(attachment.payload.src);
      if (src) {
        var img = el("img", "fc-photo");
        img.src = src;
        img.alt = "Photo from " + config.title;
        log.appendChild(img);
      }
    }
    var buttons = message.quick_replies || message.buttons;
    if (Array.isArray(buttons) && buttons.length) log.appendChild(renderButtons(buttons));
  }

  function renderNote(text) {
    log.appendChild(el("p", "fc-msg fc-note", text));
  }

  function render(entry) {
    if (entry.who === "user") renderUser(entry.text);
    else if (entry.who === "bot") renderBot(entry.message);
    else renderNote(entry.text);
  }

  function keep(entry) {
    state.transcript.push(entry);
    save();
    render(entry);
    scrollToEnd();
  }

  // --- the typing indicator --------------------------------------------------------------------

  var typingTimer = null;
  var slowTimer = null;

  function showTyping() {
    typing.hidden = false;
    scrollToEnd();
    clearTimeout(slowTimer);
    slowTimer = setTimeout(function () {
      hideTyping();
      keep({ who: "note", text: "Sorry, I'm taking longer than usual. Please try again in a moment." });
    }, SLOW_REPLY_MS);
  }

  function hideTyping() {
    typing.hidden = true;
    clearTimeout(typingTimer);
    clearTimeout(slowTimer);
  }

  // The bot answers a turn with several messages; keep the dots until they stop coming.
  function botSpoke() {
    clearTimeout(slowTimer);
    clearTimeout(typingTimer);
    typingTimer = setTimeout(hideTyping, TYPING_GRACE_MS);
  }

  // --- the connection --------------------------------------------------------------------------

  var socket = null;
  var confirmed = false;
  var waiting = [];

  function emitMessage(text) {
    var metadata = config.customerId ? { customer_id: config.customerId } : {};
    socket.emit("user_uttered", { message: text, session_id: state.sessionId, metadata: metadata });
  }

  function send(text, display) {
    text = String(text || "").trim();
    if (!text) return;
    if (display !== null) keep({ who: "user", text: display || text });
    showTyping();
    if (confirmed) emitMessage(text);
    else waiting.push(text);
  }

  function connect() {
    socket = window.io(config.botUrl, { path: config.socketPath, transports: ["websocket", "polling"] });
    socket.on("connect", function () {
      status.textContent = "";
      socket.emit("session_request", { session_id: state.sessionId });
    });
    socket.on("session_confirm", function (sessionId) {
      state.sessionId = typeof sessionId === "string" ? sessionId : (sessionId && sessionId.session_id);
      save();
      confirmed = true;
      waiting.splice(0).forEach(emitMessage);
    });
    socket.on("bot_uttered", function (message) {
      botSpoke();
      keep({ who: "bot", message: message });
    });
    socket.on("connect_error", function () {
      confirmed = false;
      status.textContent = "Reconnecting…";
    });
    socket.on("disconnect", function () {
      confirmed = false;
      status.textContent = "Reconnecting…";
    });
  }

  // --- opening, closing, sending ---------------------------------------------------------------

  function show(opened) {
    panel.hidden = !opened;
    launcher.setAttribute("aria-expanded", String(opened));
    root.classList.toggle("fc-open", opened);
    state.open = opened;
    save();
  }

  function open() {
    show(true);
    if (!state.transcript.length) send(config.greeting, null);
    input.focus();
    scrollToEnd();
  }

  function shut() {
    show(false);
    launcher.focus();
  }

  function announceAdd(articleId) {
    document.dispatchEvent(new CustomEvent("fashionchat:add-to-bag", { detail: { articleId: String(articleId) } }));
  }

  launcher.addEventListener("click", function () { if (panel.hidden) open(); else shut(); });
  close.addEventListener("click", shut);
  panel.addEventListener("keydown", function (event) { if (event.key === "Escape") shut(); });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value;
    input.value = "";
    send(text);
  });

  window.FashionChat = {
    open: open,
    send: function (text) { if (panel.hidden) open(); send(text); },
    // The page's own "Add to bag": the stylist answers with what completes the look.
    addToBag: function (articleId, itemTitle) {
      if (panel.hidden) open();
      send("/add_to_bag" + JSON.stringify({ article_id: String(articleId) }),
           "I've added " + (itemTitle || "this piece") + " to my bag");
    },
  };

  function start() {
    document.body.appendChild(root);
    state.transcript.forEach(render);
    if (window.io) connect();
    else status.textContent = "The chat could not connect. Please refresh the page.";
    if (state.open) open();
  }

  function loadScript(src, then) {
    var tag = document.createElement("script");
    tag.src = src;
    tag.onload = then;
    tag.onerror = then;
    document.head.appendChild(tag);
  }

  var stylesheet = document.createElement("link");
  stylesheet.rel = "stylesheet";
  stylesheet.href = base + "widget.css";
  document.head.appendChild(stylesheet);

  function boot() {
    if (window.io) start();
    else loadScript(base + "vendor/socket.io.min.js", start);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
  else boot();
})();
