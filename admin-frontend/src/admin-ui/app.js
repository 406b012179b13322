// Relay Cluster admin UI: a small hash-routed single page over the admin API (/admin/api/...).
// No build step and no dependencies; each page is a module under views/.

import { api, ApiError, errorBox, TOKEN } from './client.js';
import { h, show } from './dom.js';
import * as login from './views/login.js';
import * as dashboard from './views/dashboard.js';
import * as keys from './views/keys.js';
import * as accounts from './views/accounts.js';
import * as usage from './views/usage.js';
import * as webhooks from './views/webhooks.js';
import * as cluster from './views/cluster.js';

const views = { ...login, ...dashboard, ...keys, ...accounts, ...usage, ...webhooks, ...cluster };

const NAV = [['dashboard', 'Dashboard'], ['keys', 'Keys'], ['accounts', 'Accounts'], ['usage', 'Usage'], ['webhooks', 'Alerts'], ['cluster', 'Cluster']];

async function route() {
  const [name, arg] = ((location.hash.replace(/^#\/?/, '') || 'dashboard').split('?')[0] || 'dashboard').split('/');
  if (!sessionStorage.getItem(TOKEN) && name !== 'login') {
    location.hash = '#/login';
    return;
  }
  if (name === 'login') return views.login();
  document.getElementById('top').hidden = false;
  document.getElementById('nav').replaceChildren(...NAV.map(([id, label]) =>
    h('a', { href: '#/' + id, class: name === id ? 'active' : '' }, label)));
  const view = name === 'keys' && arg ? () => views.key(decodeURIComponent(arg))
    : name === 'accounts' && arg ? () => views.account(decodeURIComponent(arg)) : views[name];
  if (!view) return show(h('p', {}, 'No such page.'));
  try {
    await view();
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 401)) show(errorBox(e));
  }
}

document.getElementById('logout').addEventListener('click', async () => {
  try { await api('POST', '/logout'); } catch { /* the session may be gone already */ }
  sessionStorage.removeItem(TOKEN);
  location.hash = '#/login';
});
window.addEventListener('hashchange', route);
route();
