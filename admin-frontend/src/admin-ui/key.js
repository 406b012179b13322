// The key holders' portal (/key-usage, /apiStats): entered with the key, which is kept only in this tab's
// sessionStorage and sent only in the x-api-key header. Usage over time, limits and resets, recent requests,
// and set-up snippets for the tools the key may use.
import { h } from './dom.js';
import { LANGS, lang, num, setLang, usd, when } from './i18n.js';
import { t } from './portal/words.js';
import { usageChart } from './portal/chart.js';
import { limitsTable } from './portal/limits.js';
import { recentTable } from './portal/recent.js';
import { setupSection } from './portal/setup.js';

const STORE = 'relay.portal.key';
const state = {
  key: sessionStorage.getItem(STORE) || '', usage: null, setup: null, error: null, loading: false,
  chart: { range: 'daily', metric: 'requests' }, snippets: { fill: false },
};

const form = document.getElementById('lookup');
const input = document.getElementById('key');
const out = document.getElementById('out');

function text(id, value) {
  const el = document.getElementById(id);
  if (el) el.textContent = value;
}

/** The words of the page's fixed parts, in the chosen language. */
function applyWords() {
  document.title = t('pageTitle') + ' — ' + t('brand');
  text('brand', t('brand'));
  text('title', t('title'));
  text('key-label', t('keyLabel'));
  text('show', t('show'));
  text('forget', t('forget'));
  text('key-note', t('keyNote'));
  const select = document.getElementById('lang');
  select.replaceChildren(...Object.entries(LANGS).map(([code, name]) =>
    h('option', { value: code, selected: code === lang() }, name)));
  select.setAttribute('aria-label', t('language'));
}

async function load() {
  const key = state.key;
  if (!key) return;
  state.loading = true;
  state.error = null;
  render();
  try {
    const [usage, setup] = await Promise.all([
      fetch('/api/v1/key-usage', { headers: { 'x-api-key': key }, cache: 'no-store' }),
      fetch('/api/v1/key-usage/setup', { headers: { 'x-api-key': key }, cache: 'no-store' }),
    ]);
    if (key !== state.key) return; // the holder changed or forgot the key meanwhile
    if (usage.status === 401) {
      forget();
      state.error = t('badKey');
      return;
    }
    const body = await usage.json().catch(() => null);
    if (!usage.ok || !body) {
      state.error = body?.error?.message || `${usage.status} ${usage.statusText}`;
      return;
    }
    state.usage = body;
    state.setup = setup.ok ? await setup.json().catch(() => null) : null;
  } catch (e) {
    state.error = t('unreachable', { message: e.message });
  } finally {
    state.loading = false;
    render();
  }
}

function forget() {
  sessionStorage.removeItem(STORE);
  state.key = '';
  state.usage = null;
  state.setup = null;
  state.snippets.fill = false;
  input.value = '';
}

function card(label, value) {
  return h('div', { class: 'card stat' }, h('div', { class: 'muted' }, label), h('div', { class: 'big' }, value));
}

function section(title, ...body) {
  return h('section', { class: 'block' }, h('h2', {}, title), ...body);
}

function render() {
  document.getElementById('forget').hidden = !state.key;
  const nodes = [];
  if (state.error) nodes.push(h('p', { class: 'error', role: 'alert' }, state.error));
  if (state.loading && !state.usage) nodes.push(h('p', { class: 'muted' }, t('loading')));
  const u = state.usage;
  if (u) {
    const used = u.usage || {};
    nodes.push(h('div', { class: 'key-head' },
      h('h2', {}, u.name || u.keyHint || ''),
      u.status ? h('span', { class: 'pill ' + u.status }, u.status === 'active' ? t('statusActive') : u.status) : null,
      u.expiresAt ? h('span', { class: 'muted' }, t(Date.parse(u.expiresAt) <= Date.now() ? 'expired' : 'expires', { when: when(u.expiresAt) })) : null,
      h('button', { type: 'button', class: 'secondary', onclick: load, disabled: state.loading }, t('refresh'))));
    nodes.push(h('div', { class: 'cards' },
      card(t('requests'), num(used.requests ?? 0)),
      card(t('tokens'), num(used.tokens ?? 0)),
      card(t('costToday'), usd(Math.round((used.costToday ?? 0) * 1e6))),
      card(t('costTotal'), usd(Math.round((used.costTotal ?? 0) * 1e6))),
      card(t('inFlight'), num(used.inFlight ?? 0))));
    if (u.ledgerAvailable && u.series) {
      nodes.push(section(t('usageTitle'), h('p', { class: 'muted' }, t('zone', { zone: u.series.zone })),
        h('div', { class: 'card' }, usageChart(u.series, state.chart))));
    } else {
      nodes.push(section(t('usageTitle'), h('p', { class: 'warn' }, t('ledgerUnavailable'))));
    }
    nodes.push(section(t('limitsTitle'), limitsTable(u.limits)));
    if (u.ledgerAvailable) nodes.push(section(t('recentTitle'), recentTable(u.recent)));
    nodes.push(section(t('setupTitle'), setupSection(state.setup, state.snippets, state.key, render)));
  }
  out.replaceChildren(...nodes.filter(Boolean));
}

form.addEventListener('submit', ev => {
  ev.preventDefault();
  const key = input.value.trim();
  if (!key) return;
  state.key = key;
  state.usage = null;
  state.setup = null;
  sessionStorage.setItem(STORE, key);
  load();
});
document.getElementById('forget').addEventListener('click', () => {
  forget();
  state.error = null;
  render();
});
document.getElementById('lang').addEventListener('change', e => setLang(e.target.value));
window.addEventListener('langchange', () => {
  applyWords();
  render();
});

applyWords();
if (state.key) {
  input.value = state.key;
  load();
} else {
  render();
}
