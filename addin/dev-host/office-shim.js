/**
 * Office host shim of the Outlook dev host, served where Office.js would load. It implements exactly the
 * Office.js surface the Quorum add-in uses (see addin/office.ts): Office.onReady, the mailbox item's
 * getters/setters for subject, start/end, location, attendees/recipients, from/organizer, body type and
 * insertion at the cursor, item and mailbox event handlers, and Office.auth.getAccessToken. Results are
 * delivered asynchronously through AsyncResult callbacks, as Office does. The page that frames the pane
 * (`/dev/outlook`) holds the item; without it, no item is open.
 */
(() => {
  let host;
  try {
    host = window.parent !== window ? window.parent.outlookDevHost : undefined;
  } catch (_crossOrigin) {
    host = undefined;
  }

  const later = (callback, result) => {
    if (typeof callback === "function") setTimeout(() => callback(result), 0);
  };
  const lastFunction = (args) => {
    for (let i = args.length - 1; i >= 0; i--) if (typeof args[i] === "function") return args[i];
    return undefined;
  };
  const invoke = (op, args, callback) => {
    let result;
    try {
      result = host.call(op, args);
    } catch (error) {
      result = {
        status: "failed",
        value: undefined,
        error: { code: 5001, name: "Internal Error", message: error.message },
      };
    }
    later(callback, result);
  };

  const getter = (name) => ({
    getAsync(...args) {
      invoke(
        `${name}.getAsync`,
        args.filter((a) => typeof a !== "function"),
        lastFunction(args),
      );
    },
  });
  const settable = (name) => ({
    ...getter(name),
    setAsync(value, ...rest) {
      invoke(`${name}.setAsync`, [value, ...rest.filter((a) => typeof a !== "function")], lastFunction(rest));
    },
  });
  const recipients = (name) => ({
    ...settable(name),
    addAsync(list, ...rest) {
      invoke(`${name}.addAsync`, [list], lastFunction(rest));
    },
  });
  const events = (target) => ({
    addHandlerAsync(eventType, handler, ...rest) {
      later(lastFunction(rest), host.addHandler(eventType, handler));
    },
    removeHandlerAsync(eventType, ...rest) {
      later(lastFunction(rest), host.removeHandlers(eventType, target));
    },
  });

  const buildItem = () => {
    if (!host) return null;
    const kind = host.kind();
    const body = {
      getTypeAsync(...args) {
        invoke("body.getTypeAsync", [], lastFunction(args));
      },
      getAsync(coercionType, ...rest) {
        invoke("body.getAsync", [coercionType], lastFunction(rest));
      },
    };
    if (kind.mode === "compose") {
      body.setSelectedDataAsync = (data, ...rest) => {
        const options = rest.find((a) => a && typeof a === "object") || {};
        invoke("body.setSelectedDataAsync", [data, options], lastFunction(rest));
      };
      const item = {
        itemType: kind.type,
        subject: settable("subject"),
        body,
        ...events("item"),
      };
      if (kind.type === "appointment") {
        Object.assign(item, {
          start: settable("start"),
          end: settable("end"),
          location: settable("location"),
          requiredAttendees: recipients("requiredAttendees"),
          optionalAttendees: recipients("optionalAttendees"),
          organizer: getter("from"),
        });
      } else {
        Object.assign(item, { to: recipients("to"), cc: recipients("cc"), from: getter("from") });
      }
      return item;
    }
    const snap = host.snapshot();
    const item = { itemType: kind.type, subject: snap.subject, body, ...events("item") };
    if (kind.type === "appointment") {
      Object.assign(item, {
        start: snap.start,
        end: snap.end,
        location: snap.location,
        requiredAttendees: snap.required,
        optionalAttendees: snap.optional,
        organizer: snap.from || undefined,
      });
    } else {
      Object.assign(item, {
        to: snap.required,
        cc: snap.optional,
        from: snap.from || undefined,
        sender: snap.from || undefined,
      });
    }
    return item;
  };

  const mailbox = {
    item: buildItem(),
    userProfile: host ? host.userProfile() : { emailAddress: "", displayName: "" },
    ...(host
      ? events("mailbox")
      : {
          addHandlerAsync(_t, _h, ...rest) {
            later(lastFunction(rest), { status: "succeeded", value: undefined });
          },
          removeHandlerAsync(_t, ...rest) {
            later(lastFunction(rest), { status: "succeeded", value: undefined });
          },
        }),
  };

  // A pinned pane stays open when the user selects another item: the host swaps the item, then raises
  // ItemChanged on the mailbox.
  if (host) {
    host.attachPane({
      switchItem() {
        mailbox.item = buildItem();
      },
    });
  }

  const readyInfo = { host: host ? "Outlook" : null, platform: host ? "OfficeOnline" : null };
  const Office = {
    AsyncResultStatus: { Succeeded: "succeeded", Failed: "failed" },
    CoercionType: { Html: "html", Text: "text" },
    EventType: {
      ItemChanged: "olkItemSelectedChanged",
      RecipientsChanged: "olkRecipientsChanged",
      AppointmentTimeChanged: "olkAppointmentTimeChanged",
    },
    MailboxEnums: { ItemType: { Message: "message", Appointment: "appointment" } },
    context: { mailbox, displayLanguage: host ? host.displayLanguage() : navigator.language },
    auth: {
      getAccessToken() {
        if (!host) {
          return Promise.reject(
            Object.assign(new Error("Outlook is not available."), { code: 13002, name: "HostNotAvailable" }),
          );
        }
        return host.accessToken();
      },
    },
    onReady(callback) {
      const ready = Promise.resolve(readyInfo);
      if (typeof callback === "function") ready.then(callback);
      return ready;
    },
  };
  window.Office = Office;
})();
