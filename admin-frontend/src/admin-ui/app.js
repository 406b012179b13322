// Relay Cluster admin UI: a small hash-routed single page over the admin API (/admin/api/...).
// No build step; each page is a module under views/, loaded when it is first shown (#/<page>[/<arg>]).
// This file is the shell: the header (site name and icon, navigation, language, the signed-in admin), the
// page title, and the role class on <body> ("role-viewer" hides elements marked class="write" or data-write).

import { api, ApiError, branding, errorBox, TOKEN } from './client.js';
import { h, show } from './dom.js';
import { LANGS, lang, setLang, words } from './i18n.js';
import { currentAdmin, forgetAdmin } from './session.js';

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
  models: ['models', 'models'],
  settings: ['settings', 'settings'],
};

// The navigation, in order; "owner": shown to owners only.
const NAV = [
  { id: 'dashboard' }, { id: 'keys' }, { id: 'accounts' }, { id: 'usage' }, { id: 'webhooks' },
  { id: 'cluster' }, { id: 'admins', owner: true }, { id: 'audit' }, { id: 'models' }, { id: 'settings' },
];

const t = words({
  en: {
    dashboard: 'Dashboard', keys: 'Keys', accounts: 'Accounts', usage: 'Usage', webhooks: 'Alerts',
    cluster: 'Cluster', admins: 'Admins', audit: 'Audit', models: 'Model map', settings: 'Settings', me: 'My account',
    trace: 'Decision trace', login: 'Log in', menu: 'Menu', owner: 'owner', admin: 'admin', viewer: 'viewer',
    ownerOnly: 'Only an owner may see this page.', pageFailed: 'This page could not be loaded: {message}',
    signedInAs: 'Signed in as {name} ({role}); your account',
  },
  zh: {
    dashboard: '仪表盘', keys: '密钥', accounts: '账户', usage: '用量', webhooks: '告警',
    cluster: '集群', admins: '管理员', audit: '审计', models: '模型映射', settings: '设置', me: '我的账户',
    trace: '决策追踪', login: '登录', menu: '菜单', owner: '所有者', admin: '管理员', viewer: '只读',
    ownerOnly: '只有所有者可以查看此页面。', pageFailed: '无法加载此页面：{message}',
    signedInAs: '已登录为 {name}（{role}）；我的账户',
  },
});

const top = document.getElementById('top');
const nav = document.getElementById('nav');
const menu = document.getElementById('menu-toggle');
const langSelect = document.getElementById('lang');
const meLink = document.getElementById('me-link');
const logout = document.getElementById('logout');

function parseHash() {
  const path = (location.hash.replace(/^#\/?/, '') || 'dashboard').split('?')[0] || 'dashboard';
  const [name, ...rest] = path.split('/');
  return [name, rest.join('/')];
}

/** The site name and icon in the header, the tab's title and the favicon. */
async function applyBranding(pageName) {
  const b = await branding();
  const site = b.siteName || 'Relay Cluster';
  document.getElementById('brand-name').textContent = site;
  const icon = document.getElementById('brand-icon');
  if (b.iconUrl) {
    icon.src = b.iconUrl;
    icon.hidden = false;
  } else {
    icon.removeAttribute('src');
    icon.hidden = true;
  }
  document.getElementById('favicon').href = b.iconUrl || 'data:,';
  document.title = pageName && PAGES[pageName] ? `${t(pageName)} · ${site}` : site;
}

/** The header's words, language list and navigation for the admin signed in (or none, on the login page). */
function renderHeader(name, me) {
  menu.textContent = '☰';
  menu.setAttribute('aria-label', t('menu'));
  menu.title = t('menu');
  langSelect.setAttribute('aria-label', t('language'));
  langSelect.replaceChildren(...Object.entries(LANGS).map(([code, label]) =>
    h('option', { value: code, selected: code === lang() }, label)));
  logout.textContent = t('logout');
  document.getElementById('dialog-close').textContent = t('close');
  document.body.classList.toggle('on-login', name === 'login');
  if (name === 'login') {
    nav.replaceChildren();
    meLink.replaceChildren();
    return;
  }
  // Without the admin (GET /me failed for a moment) the navigation still shows, without the owner's pages.
  const owner = me?.role === 'owner';
  nav.replaceChildren(...NAV.filter(p => !p.owner || owner).map(p =>
    h('a', { href: '#/' + p.id, class: name === p.id ? 'active' : '', 'data-test': 'nav-' + p.id,
      'aria-current': name === p.id ? 'page' : null }, t(p.id))));
  if (!me) {
    meLink.replaceChildren();
    return;
  }
  const role = t(me.role);
  meLink.replaceChildren(h('span', { class: 'me-name' }, me.username), ' ', h('span', { class: 'pill role' }, role));
  meLink.title = t('signedInAs', { name: me.username, role });
  meLink.classList.toggle('active', name === 'me');
  document.body.classList.toggle('role-viewer', me.role === 'viewer');
  document.body.classList.toggle('role-owner', owner);
}

function closeMenu() {
  document.body.classList.remove('nav-open');
  menu.setAttribute('aria-expanded', 'false');
}

async function route() {
  const [name, arg] = parseHash();
  closeMenu();
  if (!sessionStorage.getItem(TOKEN) && name !== 'login') {
    location.hash = '#/login';
    return;
  }
  applyBranding(name);
  const page = PAGES[name];
  if (name === 'login') {
    forgetAdmin();
    document.body.classList.remove('role-viewer', 'role-owner');
    renderHeader('login', null);
    const mod = await import('./views/login.js');
    await mod.login();
    // The login page keeps the site name and the language switch, nothing that needs a session.
    top.hidden = false;
    return;
  }
  let me = null;
  try {
    me = await currentAdmin();
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return;
  }
  top.hidden = false;
  renderHeader(name, me);
  if (!page) return show(h('p', {}, t('noSuchPage')));
  if (NAV.find(p => p.id === name)?.owner && me && me.role !== 'owner') {
    return show(h('p', { class: 'error' }, t('ownerOnly')));
  }
  let mod;
  try {
    mod = await import('./views/' + page[0] + '.js');
  } catch (e) {
    return show(h('p', { class: 'error' }, t('pageFailed', { message: e.message })));
  }
  const view = arg && page[2] ? () => mod[page[2]](decodeURIComponent(arg)) : mod[page[1]];
  try {
    await view();
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 401)) show(errorBox(e));
  }
}

menu.addEventListener('click', () => {
  const open = document.body.classList.toggle('nav-open');
  menu.setAttribute('aria-expanded', String(open));
});
nav.addEventListener('click', ev => {
  if (ev.target.closest('a')) closeMenu();
});
langSelect.addEventListener('change', () => setLang(langSelect.value));
logout.addEventListener('click', async () => {
  try { await api('POST', '/logout'); } catch { /* the session may be gone already */ }
  sessionStorage.removeItem(TOKEN);
  forgetAdmin();
  document.body.classList.remove('role-viewer', 'role-owner');
  location.hash = '#/login';
});
// A settings page that changed the site name or icon tells the shell.
window.addEventListener('brandingchange', () => {
  branding(true);
  applyBranding(parseHash()[0]);
});
window.addEventListener('hashchange', route);
window.addEventListener('langchange', route);
route();
