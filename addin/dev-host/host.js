/**
 * The Outlook dev host page: holds the item being composed or read in a simple form and answers the
 * Office shim loaded in the task pane frame (same origin) through `window.outlookDevHost`. Query
 * parameters preselect the item: kind, user, required, optional, subject, start, end (ISO), body
 * (html|text), language.
 */
(() => {
  const $ = (id) => document.getElementById(id);
  const params = new URLSearchParams(location.search);
  const kinds = ["appointment-compose", "message-compose", "message-read", "appointment-read"];
  const state = {
    kind: kinds.includes(params.get("kind")) ? params.get("kind") : "appointment-compose",
    user: params.get("user") || "",
    users: [],
    failNext: "",
    handlers: new Map(),
    pane: null,
    savedRange: null,
  };
  const EVENTS = {
    itemChanged: "olkItemSelectedChanged",
    recipientsChanged: "olkRecipientsChanged",
    timeChanged: "olkAppointmentTimeChanged",
  };

  const log = (text) => {
    const li = document.createElement("li");
    li.textContent = `${new Date().toISOString().slice(11, 19)} ${text}`;
    $("host-log").prepend(li);
    while ($("host-log").children.length > 80) $("host-log").lastElementChild.remove();
  };

  const pad = (n) => String(n).padStart(2, "0");
  const toLocalInput = (date) =>
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
  const fromLocalInput = (value) => (value ? new Date(value) : null);

  const currentUser = () => state.users.find((u) => u.upn === state.user);
  const displayNameOf = (email) => {
    const known = state.users.find((u) => u.upn.toLowerCase() === email.toLowerCase());
    return known ? known.displayName : email;
  };
  const parseRecipients = (text) =>
    text
      .split(/[;,]/)
      .map((s) => s.trim())
      .filter(Boolean)
      .map((entry) => {
        const m = /^(.*)<([^>]+)>$/.exec(entry);
        const email = (m ? m[2] : entry).trim();
        const name = m?.[1].trim() ? m[1].trim() : displayNameOf(email);
        return { emailAddress: email, displayName: name };
      });
  const formatRecipients = (list) =>
    list
      .map((r) =>
        r.displayName && r.displayName !== r.emailAddress && r.displayName !== displayNameOf(r.emailAddress)
          ? `${r.displayName} <${r.emailAddress}>`
          : r.emailAddress,
      )
      .join("; ");

  const type = () => (state.kind.startsWith("appointment") ? "appointment" : "message");
  const mode = () => (state.kind.endsWith("read") ? "read" : "compose");

  const fire = (eventType, args) => {
    const list = state.handlers.get(eventType) || [];
    log(`event ${eventType} -> ${list.length} handler(s)`);
    for (const handler of list) setTimeout(() => handler({ type: eventType, ...args }), 0);
  };

  // --- body editing at the cursor -------------------------------------------------------------------
  const htmlBody = $("item-body-html");
  const textBody = $("item-body-text");
  document.addEventListener("selectionchange", () => {
    const selection = document.getSelection();
    if (selection && selection.rangeCount > 0 && htmlBody.contains(selection.anchorNode)) {
      state.savedRange = selection.getRangeAt(0).cloneRange();
    }
  });
  const insertHtml = (html) => {
    let range = state.savedRange;
    if (!range || !htmlBody.contains(range.startContainer)) {
      range = document.createRange();
      range.selectNodeContents(htmlBody);
      range.collapse(false);
    }
    range.deleteContents();
    const fragment = range.createContextualFragment(html);
    const last = fragment.lastChild;
    range.insertNode(fragment);
    if (last) {
      range.setStartAfter(last);
      range.collapse(true);
    }
    state.savedRange = range;
  };
  const insertText = (text) => {
    const at = textBody.selectionStart ?? textBody.value.length;
    const to = textBody.selectionEnd ?? at;
    textBody.value = textBody.value.slice(0, at) + text + textBody.value.slice(to);
    textBody.selectionStart = textBody.selectionEnd = at + text.length;
  };
  const escapeHtml = (s) =>
    s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");

  // --- the item as Office sees it ---------------------------------------------------------------------
  const recipientField = (name) => {
    if (name === "requiredAttendees" || name === "to") return $("item-required");
    if (name === "optionalAttendees" || name === "cc") return $("item-optional");
    return null;
  };
  const snapshot = () => {
    const from = $("item-from").value.trim();
    return {
      itemType: type(),
      mode: mode(),
      subject: $("item-subject").value,
      start: fromLocalInput($("item-start").value),
      end: fromLocalInput($("item-end").value),
      location: $("item-location").value,
      required: parseRecipients($("item-required").value),
      optional: parseRecipients($("item-optional").value),
      from: from ? { emailAddress: from, displayName: displayNameOf(from) } : null,
    };
  };

  const ok = (value) => ({ status: "succeeded", value });
  const failed = (code, name, message) => ({
    status: "failed",
    value: undefined,
    error: { code, name, message },
  });

  const call = (op, args) => {
    if (state.failNext && state.failNext === op) {
      state.failNext = "";
      $("fail-next").value = "";
      log(`${op} -> failed (injected)`);
      return failed(5001, "Internal Error", "An internal error has occurred.");
    }
    const [target, method] = op.split(".");
    log(op);
    const field = recipientField(target);
    if (field && method === "getAsync") return ok(parseRecipients(field.value));
    if (field && method === "addAsync") {
      const added = args[0] || [];
      field.value = formatRecipients([...parseRecipients(field.value), ...added]);
      fire(EVENTS.recipientsChanged, { changedRecipientFields: { [target]: true } });
      return ok();
    }
    if (field && method === "setAsync") {
      field.value = formatRecipients(args[0] || []);
      fire(EVENTS.recipientsChanged, { changedRecipientFields: { [target]: true } });
      return ok();
    }
    switch (op) {
      case "subject.getAsync":
        return ok($("item-subject").value);
      case "subject.setAsync":
        $("item-subject").value = String(args[0]);
        return ok();
      case "from.getAsync": {
        const user = currentUser();
        return ok(user ? { emailAddress: user.upn, displayName: user.displayName } : null);
      }
      case "start.getAsync":
      case "end.getAsync": {
        const value = fromLocalInput($(`item-${target}`).value);
        return value ? ok(value) : failed(9041, "InvalidTime", `The ${target} time is not set.`);
      }
      case "start.setAsync":
      case "end.setAsync": {
        const date = new Date(args[0]);
        if (Number.isNaN(date.getTime())) return failed(9041, "InvalidTime", "The time is not valid.");
        $(`item-${target}`).value = toLocalInput(date);
        fire(EVENTS.timeChanged, {
          start: fromLocalInput($("item-start").value),
          end: fromLocalInput($("item-end").value),
        });
        return ok();
      }
      case "location.getAsync":
        return ok($("item-location").value);
      case "location.setAsync":
        $("item-location").value = String(args[0]);
        return ok();
      case "body.getTypeAsync":
        return ok($("body-format").value);
      case "body.getAsync":
        return ok(
          args[0] === "html" && $("body-format").value === "html"
            ? htmlBody.innerHTML
            : $("body-format").value === "html"
              ? htmlBody.textContent
              : textBody.value,
        );
      case "body.setSelectedDataAsync": {
        const data = String(args[0]);
        const coercion = args[1]?.coercionType || "text";
        if ($("body-format").value === "html") {
          insertHtml(coercion === "html" ? data : escapeHtml(data).replaceAll("\n", "<br>"));
        } else {
          if (coercion === "html") {
            return failed(
              1000,
              "Invalid coercion type",
              "The specified coercion type is not supported by the body.",
            );
          }
          insertText(data);
        }
        return ok();
      }
      default:
        return failed(5000, "Not supported", `The dev host does not implement ${op}.`);
    }
  };

  window.outlookDevHost = {
    events: EVENTS,
    kind: () => ({ type: type(), mode: mode() }),
    snapshot,
    call,
    displayLanguage: () => $("display-language").value,
    userProfile: () => {
      const user = currentUser();
      return user
        ? {
            emailAddress: user.upn,
            displayName: user.displayName,
            timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
          }
        : { emailAddress: "", displayName: "" };
    },
    addHandler(eventType, handler) {
      if (!Object.values(EVENTS).includes(eventType)) {
        return failed(5000, "Not supported", `The dev host does not raise ${eventType}.`);
      }
      state.handlers.set(eventType, [...(state.handlers.get(eventType) || []), handler]);
      log(`addHandlerAsync ${eventType}`);
      return ok();
    },
    /** The shim of the loaded pane registers itself so a pinned pane can be given another item. */
    attachPane(pane) {
      state.pane = pane;
    },
    removeHandlers(eventType) {
      state.handlers.delete(eventType);
      log(`removeHandlerAsync ${eventType}`);
      return ok();
    },
    async accessToken() {
      if (state.failNext === "auth.getAccessToken") {
        state.failNext = "";
        $("fail-next").value = "";
        log("auth.getAccessToken -> failed (injected)");
        throw Object.assign(new Error("The user could not be signed in."), {
          code: 13001,
          name: "UserNotSignedIn",
        });
      }
      const user = currentUser();
      if (!user) {
        throw Object.assign(new Error("No mailbox user is chosen in the dev host."), {
          code: 13001,
          name: "UserNotSignedIn",
        });
      }
      const res = await fetch("/dev/sso-token", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ tenantId: user.tenantId, upn: user.upn }),
      });
      const body = await res.json();
      if (!res.ok) {
        throw Object.assign(new Error(body?.error ? body.error.message : `HTTP ${res.status}`), {
          code: 13000,
          name: "SsoTokenUnavailable",
        });
      }
      log(`auth.getAccessToken -> token for ${user.upn}`);
      return body.token;
    },
    /** Tests and the form: make the next call of this operation fail with Office error 5001. */
    failNext(op) {
      state.failNext = op;
      $("fail-next").value = op;
    },
  };

  // --- form wiring --------------------------------------------------------------------------------------
  const applyKind = () => {
    const isAppointment = type() === "appointment";
    for (const el of document.querySelectorAll("[data-appointment]")) el.hidden = !isAppointment;
    for (const el of document.querySelectorAll("[data-read-only]")) el.hidden = mode() !== "read";
    $("label-required").textContent = isAppointment ? "Required" : "To";
    $("label-optional").textContent = isAppointment ? "Optional" : "Cc";
  };
  const applyBodyFormat = () => {
    const html = $("body-format").value === "html";
    htmlBody.hidden = !html;
    textBody.hidden = html;
  };
  const syncUrl = () => {
    const q = new URLSearchParams(location.search);
    q.set("kind", state.kind);
    if (state.user) q.set("user", state.user);
    history.replaceState(null, "", `${location.pathname}?${q.toString()}`);
  };
  const loadPane = () => {
    syncUrl();
    state.pane = null;
    state.handlers.clear();
    applyKind();
    $("pane-frame").src = "/addin/index.html";
  };

  const defaults = () => {
    const start = params.get("start") ? new Date(params.get("start")) : null;
    const tomorrow = new Date();
    tomorrow.setDate(tomorrow.getDate() + 1);
    tomorrow.setHours(10, 0, 0, 0);
    const s = start || tomorrow;
    const e = params.get("end") ? new Date(params.get("end")) : new Date(s.getTime() + 30 * 60000);
    $("item-start").value = toLocalInput(s);
    $("item-end").value = toLocalInput(e);
    $("item-subject").value =
      params.get("subject") || (type() === "appointment" ? "Project sync" : "Next steps");
    $("item-required").value = (params.get("required") || "").split(",").filter(Boolean).join("; ");
    $("item-optional").value = (params.get("optional") || "").split(",").filter(Boolean).join("; ");
    $("item-from").value = params.get("from") || "";
    $("body-format").value = params.get("body") === "text" ? "text" : "html";
    if (params.get("language")) $("display-language").value = params.get("language");
    htmlBody.innerHTML = "<p>Hi all,</p><p></p><p>Thanks!</p>";
    textBody.value = "Hi all,\n\n\nThanks!";
    applyBodyFormat();
  };

  $("item-kind").value = state.kind;
  // Another item in a pinned pane: the item's own handlers go with the old item, the mailbox's
  // ItemChanged handlers are told; a pane that is not loaded yet is (re)loaded instead.
  $("item-kind").addEventListener("change", (e) => {
    state.kind = e.target.value;
    log(`item changed to ${state.kind}`);
    if (!state.pane) {
      loadPane();
      return;
    }
    syncUrl();
    applyKind();
    state.handlers.delete(EVENTS.recipientsChanged);
    state.handlers.delete(EVENTS.timeChanged);
    state.pane.switchItem();
    fire(EVENTS.itemChanged, {});
  });
  $("mailbox-user").addEventListener("change", (e) => {
    state.user = e.target.value;
    loadPane();
  });
  $("display-language").addEventListener("change", loadPane);
  $("body-format").addEventListener("change", applyBodyFormat);
  $("fail-next").addEventListener("change", (e) => {
    state.failNext = e.target.value;
  });
  for (const id of ["item-required", "item-optional"]) {
    $(id).addEventListener("change", () =>
      fire(EVENTS.recipientsChanged, {
        changedRecipientFields: {
          [type() === "appointment"
            ? id === "item-required"
              ? "requiredAttendees"
              : "optionalAttendees"
            : id === "item-required"
              ? "to"
              : "cc"]: true,
        },
      }),
    );
  }
  for (const id of ["item-start", "item-end"]) {
    $(id).addEventListener("change", () =>
      fire(EVENTS.timeChanged, {
        start: fromLocalInput($("item-start").value),
        end: fromLocalInput($("item-end").value),
      }),
    );
  }

  defaults();
  fetch("/dev/users")
    .then(async (res) => {
      const body = await res.json();
      if (!res.ok) throw new Error(body?.error ? body.error.message : `HTTP ${res.status}`);
      state.users = body.users;
      const select = $("mailbox-user");
      select.replaceChildren();
      for (const u of state.users) {
        const option = document.createElement("option");
        option.value = u.upn;
        option.textContent = `${u.displayName} (${u.upn})`;
        select.append(option);
      }
      if (!currentUser() && state.users.length > 0) state.user = state.users[0].upn;
      select.value = state.user;
      loadPane();
    })
    .catch((error) => {
      log(`loading the demo users failed: ${error.message}`);
      loadPane();
    });
})();
