// A websocket that reconnects with exponential backoff (and jitter) and re-sends its
// subscriptions after every reconnect. onMessage gets {type, payload}.
import "app/strings/common.js";
import { t } from "app/lib/i18n.js";

export function liveSocket(path, { onMessage, onStatus } = {}) {
  const subscriptions = new Map();
  let socket = null;
  let attempt = 0;
  let closed = false;

  function url() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    return `${scheme}://${location.host}${path}`;
  }

  function open() {
    socket = new WebSocket(url());
    socket.onopen = () => {
      attempt = 0;
      onStatus && onStatus("open");
      subscriptions.forEach((message) => socket.send(JSON.stringify(message)));
    };
    socket.onmessage = (event) => {
      try { onMessage && onMessage(JSON.parse(event.data)); } catch (err) { console.error(err); }
    };
    socket.onclose = (event) => {
      if (closed || event.code === 4401 || event.code === 4403) return;
      onStatus && onStatus("reconnecting", t("ws.reconnecting"));
      const delay = Math.min(30000, 500 * 2 ** attempt) * (0.5 + Math.random() / 2);
      attempt += 1;
      setTimeout(open, delay);
    };
  }

  open();
  return {
    send(message) { socket && socket.readyState === 1 && socket.send(JSON.stringify(message)); },
    subscribe(key, message) { subscriptions.set(key, message); this.send(message); },
    unsubscribe(key) { subscriptions.delete(key); },
    close() { closed = true; socket && socket.close(); },
  };
}
