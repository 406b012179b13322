// The admin API client: the session token, and errors shown where they happened. (Not "api.js": the
// admin API owns every path that starts with /admin/api.)

import { h } from './dom.js';
import { common } from './i18n.js';

export const API = '/admin/api';
export const TOKEN = 'relay.admin.token';

export class ApiError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

export async function api(method, path, body) {
  const headers = { 'accept': 'application/json' };
  const token = sessionStorage.getItem(TOKEN);
  if (token) headers['authorization'] = 'Bearer ' + token;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(API + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
  if (res.status === 401 && path !== '/login') {
    sessionStorage.removeItem(TOKEN);
    location.hash = '#/login';
    throw new ApiError(401, common('sessionEnded'));
  }
  if (!res.ok) {
    throw new ApiError(res.status, json?.error?.message || `${res.status} ${res.statusText}`);
  }
  return json;
}

/** The site name and icon ({siteName, iconUrl}); readable before login. Cached until {@code fresh}. */
let brandingCache = null;
export function branding(fresh = false) {
  if (fresh || !brandingCache) {
    brandingCache = api('GET', '/branding').catch(() => ({ siteName: 'Relay Cluster', iconUrl: null }));
  }
  return brandingCache;
}

export function errorBox(e) {
  return h('p', { class: 'error', role: 'alert' }, e instanceof ApiError ? e.message : common('error') + ': ' + e.message);
}

/** Runs an action from a button or form; shows its error next to the element instead of failing silently. */
export async function act(anchor, fn) {
  const old = anchor.parentElement?.querySelector(':scope > .error');
  if (old) old.remove();
  try {
    await fn();
  } catch (e) {
    anchor.after(errorBox(e));
  }
}

/** A button that runs an API call (after a confirmation when one is given) and then reloads the page. */
export function button(label, kind, confirmText, call) {
  const b = h('button', { class: kind }, label);
  b.addEventListener('click', () => {
    if (confirmText && !confirm(confirmText)) return;
    act(b, async () => { await call(); reload(); });
  });
  return b;
}

/**
 * A button that downloads a file from the admin API (the session token is a header, so a plain link would not
 * be authorised): fetches it with the token and saves it under {@code name}.
 */
export function downloadButton(label, path, name, attrs = {}) {
  const b = h('button', { class: 'secondary', type: 'button', ...attrs }, label);
  b.addEventListener('click', () => act(b, async () => {
    const res = await fetch(API + path, { headers: { authorization: 'Bearer ' + sessionStorage.getItem(TOKEN) } });
    if (!res.ok) throw new ApiError(res.status, (await res.json().catch(() => null))?.error?.message || res.statusText);
    const url = URL.createObjectURL(await res.blob());
    const a = h('a', { href: url, download: name });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }));
  return b;
}

/** Shows the current page again (after a change). */
export function reload() {
  window.dispatchEvent(new HashChangeEvent('hashchange'));
}
