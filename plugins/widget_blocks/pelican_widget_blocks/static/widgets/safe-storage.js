// localStorage that never throws. Storage can be blocked (privacy settings,
// sandboxed frames), full, or hold text that is not JSON; none of these may
// break a page. Shared by the site's widgets.
//   load(key) -> [value or undefined, status]   set(key, value) -> status
//   remove(key) -> status
// status is OK, or OFF ("saving off") when nothing can be kept. Unreadable
// JSON loads as undefined with status OK: the next set() overwrites it.
export const OK = "ok";
export const OFF = "saving off";

let store = null;
try {
  store = window.localStorage;
  store.setItem("safe-storage", "1");
  store.removeItem("safe-storage");
} catch {
  store = null;
}

export function load(key) {
  if (!store) return [undefined, OFF];
  let raw;
  try {
    raw = store.getItem(key);
  } catch {
    return [undefined, OFF];
  }
  try {
    return [raw == null ? undefined : JSON.parse(raw), OK];
  } catch {
    return [undefined, OK];
  }
}

export function set(key, value) {
  try {
    store.setItem(key, JSON.stringify(value));
    return OK;
  } catch {
    return OFF;
  }
}

export function remove(key) {
  try {
    store.removeItem(key);
    return OK;
  } catch {
    return OFF;
  }
}
