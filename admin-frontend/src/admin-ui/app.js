// Relay Cluster admin UI: a small hash-routed single page over the admin API (/admin/api/...).
// No build step; each page is a module under views/, loaded when it is first shown (#/<page>[/<arg>]).

import { api, ApiError, errorBox, TOKEN } from './client.js';
import { h, show } from './dom.js';
import { forgetAdmin } from './session.js';

// page name -> [module under views/, exported function for the page, exported function for #/<page>/<arg>]
const PAGES = {
  login: ['login', 'login'],
  dashboard: ['dashboard', 'dashboard'],
  keys: ['keys', 'keys', 'key'],
  accounts: ['accounts', 'accounts', 'account'],
  usage: ['usage', 'usage'],
  webhooks: ['webhooks', 'webhooks'],
  cluster: ['cluster', 'cluster'],
  admins: ['admins', 'admins'],
  me: ['me', 'me'],
  audit: ['audit', 'audit'],
  trace: ['trace', 'trace', 'trace'],
};

const NAV = [['dashboard', 'Dashboard'], ['keys', 'Keys'], ['accounts', 'Accounts'], ['usage', 'Usage'], ['webhooks', 'Alerts'], ['cluster', 'Cluster']];

async function route() {
  const [name, arg] = ((location.hash.replace(/^#\/?/, '') || 'dashboard').split('?')[0] || 'dashboard').split('/');
  if (!sessionStorage.getItem(TOKEN) && name !== 'login') {
    location.hash = '#/login';
    return;
  }
  const page = PAGES[name];
  if (!page) return show(h('p', {}, 'No such page.'));
  const mod = await import('./views/' + page[0] + '.js');
  if (name === 'login') return mod[page[1]]();
  document.getElementById('top').hidden = false;
  document.getElementById('nav').replaceChildren(...NAV.map(([id, label]) =>
    h('a', { href: '#/' + id, class: name === id ? 'active' : '' }, label)));
  const view = arg && page[2] ? () => mod[page[2]](decodeURIComponent(arg)) : mod[page[1]];
  try {
    await view();
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 401)) show(errorBox(e));
  }
}

document.getElementById('logout').addEventListener('click', async () => {
  try { await api('POST', '/logout'); } catch { /* the session may be gone already */ }
  sessionStorage.removeItem(TOKEN);
  forgetAdmin();
  location.hash = '#/login';
});
window.addEventListener('hashchange', route);
window.addEventListener('langchange', route);
route();
