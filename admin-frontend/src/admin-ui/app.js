// Relay Cluster admin UI: a small hash-routed single page over the admin API (/admin/api/...).
// No build step and no dependencies. Every value shown is put in the page as text, never as HTML.

const API = '/admin/api';
const TOKEN = 'relay.admin.token';

// ---- DOM helpers

function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

function show(...nodes) {
  const view = document.getElementById('view');
  view.replaceChildren(...nodes.flat().filter(n => n !== null && n !== undefined && n !== false));
}

function dialog(...nodes) {
  document.getElementById('dialog-body').replaceChildren(...nodes);
  document.getElementById('dialog').showModal();
}

function pill(text) {
  const t = String(text ?? '-');
  return h('span', { class: 'pill ' + t.toLowerCase() }, t);
}

function usd(micros) {
  if (micros === undefined || micros === null) return '-';
  return '$' + (Number(micros) / 1e6).toFixed(micros >= 1e6 ? 2 : 4);
}

function num(n) {
  return n === undefined || n === null ? '-' : Number(n).toLocaleString();
}

function when(iso) {
  if (!iso) return '-';
  const d = new Date(iso);
  return isNaN(d) ? String(iso) : d.toLocaleString();
}

/** A table from rows and column specs [{label, value(row), num?}]. */
function table(rows, columns, empty = 'Nothing here yet.') {
  if (!rows || rows.length === 0) return h('p', { class: 'muted' }, empty);
  return h('table', {},
    h('thead', {}, h('tr', {}, columns.map(c => h('th', { class: c.num ? 'num' : '' }, c.label)))),
    h('tbody', {}, rows.map(r => h('tr', {}, columns.map(c => {
      const v = c.value(r);
      return h('td', { class: c.num ? 'num' : '' }, v instanceof Node ? v : (v ?? '-'));
    })))));
}

function formValues(form) {
  const out = {};
  for (const el of form.elements) {
    if (!el.name || el.value === '') continue;
    if (el.type === 'checkbox') out[el.name] = el.checked;
    else if (el.dataset.type === 'int') out[el.name] = parseInt(el.value, 10);
    else if (el.dataset.type === 'number') out[el.name] = Number(el.value);
    else out[el.name] = el.value;
  }
  return out;
}

function field(label, name, attrs = {}) {
  return h('label', {}, label, h('input', { name, ...attrs }));
}

// ---- API

class ApiError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

async function api(method, path, body) {
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
    throw new ApiError(401, 'your session has ended; log in again');
  }
  if (!res.ok) {
    throw new ApiError(res.status, json?.error?.message || `${res.status} ${res.statusText}`);
  }
  return json;
}

function errorBox(e) {
  return h('p', { class: 'error', role: 'alert' }, e instanceof ApiError ? e.message : 'Error: ' + e.message);
}

/** Runs an action from a button or form; shows its error next to the element instead of failing silently. */
async function act(anchor, fn) {
  const old = anchor.parentElement?.querySelector(':scope > .error');
  if (old) old.remove();
  try {
    await fn();
  } catch (e) {
    anchor.after(errorBox(e));
  }
}

// ---- views

const views = {
  async login() {
    document.getElementById('top').hidden = true;
    const form = h('form', {},
      field('User name', 'username', { autocomplete: 'username', required: true, autofocus: true }),
      field('Password', 'password', { type: 'password', autocomplete: 'current-password', required: true }),
      h('button', { type: 'submit' }, 'Log in'),
      h('p', { class: 'muted' }, 'The first admin is in data/init.json on the node (or ADMIN_USERNAME / ADMIN_PASSWORD).'));
    form.addEventListener('submit', ev => {
      ev.preventDefault();
      act(form.lastChild, async () => {
        const out = await api('POST', '/login', formValues(form));
        sessionStorage.setItem(TOKEN, out.token);
        location.hash = '#/dashboard';
      });
    });
    show(h('div', { class: 'login card' }, h('h1', {}, 'Relay Cluster'), form));
  },

  async dashboard() {
    const [cluster, keys, accounts, ledger] = await Promise.all([
      api('GET', '/cluster'), api('GET', '/keys'), api('GET', '/accounts'), api('GET', '/usage/dashboard')]);
    const activeKeys = keys.data.filter(k => k.status === 'active').length;
    const schedulable = accounts.data.filter(a => a.schedulable).length;
    const names = Object.fromEntries(keys.data.map(k => [k.id, k.name]));
    const window = (title, w) => h('div', { class: 'card' },
      h('h2', {}, title, ' ', h('span', { class: 'muted' }, `(${ledger.zone})`)),
      h('div', { class: 'cards' },
        stat('Requests', num(w.totals.requests)),
        stat('Tokens', num(w.totalTokens)),
        stat('Cost', usd(w.totals.costMicros)),
        stat('Rated cost', usd(w.totals.ratedCostMicros)),
        stat('Errors', num(w.totals.errors)),
        stat('Active accounts', num(w.activeAccounts))),
      h('div', { class: 'cards' },
        h('div', {}, h('h3', {}, 'Top keys'), table(w.topKeys, [
          { label: 'Key', value: r => names[r.value] ?? r.value },
          { label: 'Requests', value: r => num(r.totals.requests), num: true },
          { label: 'Cost', value: r => usd(r.totals.costMicros), num: true }], 'No requests.')),
        h('div', {}, h('h3', {}, 'Top models'), table(w.topModels, [
          { label: 'Model', value: r => r.value },
          { label: 'Requests', value: r => num(r.totals.requests), num: true },
          { label: 'Cost', value: r => usd(r.totals.costMicros), num: true }], 'No requests.'))));
    show(
      h('h1', {}, 'Dashboard'),
      h('div', { class: 'cards' },
        stat('Cluster members', cluster.members?.length ?? '-'),
        stat('Active keys', `${activeKeys} / ${keys.data.length}`),
        stat('Schedulable accounts', `${schedulable} / ${accounts.data.length}`)),
      window('Today', ledger.today),
      window('This month', ledger.month),
      h('h2', {}, 'Accounts'),
      accountTable(accounts.data, false),
      h('h2', {}, 'Cluster'),
      clusterTable(cluster));
  },

  async keys() {
    const showDeleted = location.hash.includes('deleted=true');
    const keys = await api('GET', '/keys?usage=true' + (showDeleted ? '&deleted=true' : ''));
    const form = keyForm(null, async body => {
      const created = await api('POST', '/keys', body);
      dialog(h('h2', {}, `Key "${created.name}" created`),
        h('p', {}, 'Copy it now: the relay stores only its hash and will never show it again.'),
        h('code', { class: 'secret' }, created.key),
        h('p', { class: 'muted' }, 'Use it with ANTHROPIC_BASE_URL=' + location.origin + '/api'));
      route();
    });
    show(h('h1', {}, 'API keys'),
      h('details', { class: 'card' }, h('summary', {}, 'Create a key'), form),
      h('p', {}, h('a', { href: showDeleted ? '#/keys' : '#/keys?deleted=true' },
        showDeleted ? 'Hide deleted keys' : 'Show deleted keys')),
      table(keys.data, [
        { label: 'Name', value: k => h('a', { href: '#/keys/' + encodeURIComponent(k.id) }, k.name) },
        { label: 'Key', value: k => k.keyHint },
        { label: 'Status', value: k => pill(k.status) },
        { label: 'Requests', value: k => num(k.usage?.requests), num: true },
        { label: 'Cost today', value: k => '$' + (k.usage?.costToday ?? 0), num: true },
        { label: 'Cost total', value: k => '$' + (k.usage?.costTotal ?? 0), num: true },
        { label: 'Concurrency', value: k => k.concurrencyLimit || 'unlimited', num: true },
        { label: 'Expires', value: k => k.expiresAt ? when(k.expiresAt) : expiryText(k.expiry) },
        { label: 'Tags', value: k => (k.tags || []).join(', ') },
      ], 'No keys yet: create one above.'));
  },

  async key(id) {
    const k = await api('GET', '/keys/' + encodeURIComponent(id));
    const log = await api('GET', '/usage/requests?keyId=' + encodeURIComponent(id) + '&limit=50');
    const path = '/keys/' + encodeURIComponent(id);
    const actions = [];
    if (k.status === 'active') {
      actions.push(button('Delete', 'danger', `Delete key "${k.name}"? It stops working at once; you can restore it.`,
        () => api('DELETE', path)));
    }
    if (k.status === 'deleted') {
      actions.push(button('Restore', 'secondary', null, () => api('POST', path + '/restore')));
    }
    if (k.status !== 'revoked') {
      actions.push(button('Revoke for good', 'danger', `Revoke key "${k.name}"? This cannot be undone.`,
        () => api('POST', path + '/revoke')));
    }
    const u = k.usage || {};
    const remaining = Object.entries(k.remaining || {});
    show(h('h1', {}, 'Key ', k.name, ' ', pill(k.status)),
      k.description ? h('p', { class: 'muted' }, k.description) : null,
      h('div', { class: 'actions' }, actions),
      h('div', { class: 'cards' },
        stat('Requests', num(u.requests)),
        stat('In flight', num(u.inFlight)),
        stat('Tokens', num(u.tokens)),
        stat('Cost today', '$' + (u.costToday ?? 0)),
        stat('Opus this week', '$' + (u.costThisWeekOpus ?? 0)),
        stat('Cost in all (rated)', '$' + (u.costTotal ?? 0))),
      h('h2', {}, 'Remaining'),
      remaining.length ? table(remaining, [
        { label: 'Limit', value: ([name]) => name },
        { label: 'Remaining', value: ([, v]) => String(v), num: true },
      ]) : h('p', { class: 'muted' }, 'No limits set.'),
      h('p', { class: 'muted' }, 'Resets: ', Object.entries(k.resets || {}).map(([n, t]) => `${n} ${when(t)}`).join(' · ')),
      h('details', { class: 'card' }, h('summary', {}, 'Edit settings'),
        keyForm(k, async body => { await api('PATCH', path, body); route(); })),
      h('h2', {}, 'Recent requests'),
      requestTable(log.data));
  },

  async accounts() {
    const accounts = await api('GET', '/accounts');
    show(h('h1', {}, 'Upstream accounts'),
      h('details', { class: 'card' }, h('summary', {}, 'Add a Claude subscription (OAuth login)'), oauthFlow()),
      h('details', { class: 'card' }, h('summary', {}, 'Add an Anthropic API key or an OAuth token'), accountForm(null,
        async body => { await api('POST', '/accounts', body); route(); })),
      accountTable(accounts.data, true));
  },

  async account(id) {
    const a = await api('GET', '/accounts/' + encodeURIComponent(id));
    const path = '/accounts/' + encodeURIComponent(id);
    const test = h('button', { class: 'secondary' }, 'Send a test request');
    test.addEventListener('click', () => act(test, async () => {
      const r = await api('POST', path + '/test');
      dialog(h('h2', {}, r.ok ? 'The account answered' : 'The account did not answer well'),
        h('p', {}, `status ${r.status} in ${r.latencyMs} ms`), r.message ? h('p', {}, r.message) : null);
    }));
    show(h('h1', {}, 'Account ', a.name, ' ', pill(a.state || a.status)),
      a.stateReason ? h('p', { class: 'muted' }, a.stateReason) : null,
      h('div', { class: 'actions' }, test,
        button('Reset health', 'secondary', null, () => api('POST', path + '/reset')),
        accountActions(a)),
      h('div', { class: 'cards' },
        stat('Type', a.type), stat('Tier', a.tier ?? '-'), stat('Priority', a.priority),
        stat('Utilisation', a.utilisation == null ? '-' : Math.round(100 * a.utilisation) + ' %'),
        stat('In flight', num(a.leasesInFlight)), stat('Price multiplier', a.priceMultiplier ?? 1)),
      h('h2', {}, 'Cooldowns'),
      table(a.cooldowns || [], [
        { label: 'Model family', value: c => c.family },
        { label: 'Until', value: c => when(c.until) },
        { label: 'Status', value: c => c.status, num: true },
        { label: 'Reason', value: c => c.reason },
        { label: 'Transient', value: c => c.transient ? 'yes' : 'no' },
      ], 'None: the account is not cooling down.'),
      h('h2', {}, 'Recent errors'),
      table(a.recentErrors || [], Object.keys((a.recentErrors || [])[0] || {}).map(k =>
        ({ label: k, value: e => typeof e[k] === 'string' && /^\d{4}-\d\d-\d\dT/.test(e[k]) ? when(e[k]) : String(e[k] ?? '-') })),
        'No errors recently.'),
      h('details', { class: 'card' }, h('summary', {}, 'Edit'),
        accountForm(a, async body => { await api('PATCH', path, body); route(); })));
  },

  async usage() {
    const params = new URLSearchParams(location.hash.split('?')[1] || '');
    const tab = params.get('tab') || 'requests';
    const tabs = [['requests', 'Request log'], ['aggregates', 'Aggregates'], ['accounts', 'Accounts'], ['prices', 'Prices']];
    const nav = h('p', { class: 'tabs' }, tabs.map(([id, label]) =>
      h('a', { href: '#/usage?tab=' + id, class: id === tab ? 'active' : '' }, label)));
    const body = await usageTabs[tab](params);
    show(h('h1', {}, 'Usage'), nav, body);
  },

  async webhooks() {
    const [targets, channels] = await Promise.all([api('GET', '/webhooks'), api('GET', '/webhooks/channels')]);
    const byName = Object.fromEntries(channels.data.map(c => [c.channel, c]));
    const channel = h('select', { name: 'channel' }, channels.data.map(c => h('option', { value: c.channel }, c.channel)));
    const configFields = h('div', { class: 'contents' });
    const kinds = ALERT_KINDS.map(k => h('label', { class: 'check' }, h('input', { type: 'checkbox', value: k }), k));
    const renderFields = () => configFields.replaceChildren(...byName[channel.value].fields.map(f => {
      const input = f.choices
        ? h('select', { 'data-config': f.name }, f.choices.map(c => h('option', { value: c, selected: c === f.default }, c)))
        : h('input', { 'data-config': f.name, type: f.secret ? 'password' : 'text', required: f.required,
          placeholder: f.default ?? '', autocomplete: 'off' });
      return h('label', {}, f.name + (f.required ? '' : ' (optional)'), input);
    }));
    channel.addEventListener('change', renderFields);
    renderFields();
    const form = h('form', { class: 'inline card' },
      field('Name', 'name', { required: true, placeholder: 'ops-slack' }),
      h('label', {}, 'Channel', channel),
      configFields,
      h('fieldset', {}, h('legend', {}, 'Alert kinds (none ticked = all)'), kinds),
      h('button', { type: 'submit' }, 'Add target'));
    form.addEventListener('submit', ev => {
      ev.preventDefault();
      act(form, async () => {
        const config = {};
        for (const el of form.querySelectorAll('[data-config]')) {
          if (el.value !== '') config[el.dataset.config] = el.value;
        }
        const chosen = kinds.map(l => l.firstChild).filter(c => c.checked).map(c => c.value);
        await api('POST', '/webhooks', { name: form.elements.name.value, channel: channel.value, kinds: chosen, config });
        route();
      });
    });
    show(h('h1', {}, 'Alert targets'),
      h('p', { class: 'muted' }, 'Account events (unauthorized, blocked, rate limited, recovered, disabled, refresh failed) '
        + 'are sent to every enabled target. Secrets are stored encrypted and shown masked.'),
      form,
      table(targets.data, [
        { label: 'Name', value: t => t.name },
        { label: 'Channel', value: t => t.channel },
        { label: 'Enabled', value: t => pill(t.enabled ? 'active' : 'disabled') },
        { label: 'Kinds', value: t => t.kinds.length ? t.kinds.join(', ') : 'all' },
        { label: 'Config', value: t => Object.entries(t.config).map(([k, v]) => `${k}=${v}`).join('  ') },
        { label: '', value: t => webhookActions(t) },
      ], 'No alert targets yet.'));
  },

  async cluster() {
    const cluster = await api('GET', '/cluster');
    show(h('h1', {}, 'Cluster'), clusterTable(cluster));
  },
};

/** A filter form whose fields become the page's query; submitting reloads the tab with them. */
function filterForm(tab, params, fields) {
  const form = h('form', { class: 'inline card' },
    fields.map(([name, label, attrs]) => field(label, name, { value: params.get(name) ?? '', ...attrs })),
    h('button', { type: 'submit' }, 'Show'));
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    const q = new URLSearchParams({ tab });
    for (const el of form.elements) if (el.name && el.value) q.set(el.name, el.value);
    location.hash = '#/usage?' + q;
  });
  return form;
}

/** The API query for a tab: the page's filters without the tab itself. */
function query(params, extra = {}) {
  const q = new URLSearchParams(params);
  q.delete('tab');
  for (const [k, v] of Object.entries(extra)) q.set(k, v);
  return q.toString();
}

/** A CSV download through the API (the token is a header, so a plain link would not be authorised). */
function csvButton(path, name) {
  const b = h('button', { class: 'secondary' }, 'Download CSV');
  b.addEventListener('click', () => act(b, async () => {
    const res = await fetch(API + path, { headers: { authorization: 'Bearer ' + sessionStorage.getItem(TOKEN) } });
    if (!res.ok) throw new ApiError(res.status, (await res.json().catch(() => null))?.error?.message || res.statusText);
    const url = URL.createObjectURL(await res.blob());
    const a = h('a', { href: url, download: name });
    document.body.append(a);
    a.click();
    a.remove();
    URL.revokeObjectURL(url);
  }));
  return b;
}

const usageTabs = {
  async requests(params) {
    const page = await api('GET', '/usage/requests?' + query(params, { limit: params.get('limit') || 100 }));
    const offset = Number(params.get('offset') || 0);
    const more = page.nextOffset != null
      ? h('a', { href: '#/usage?' + new URLSearchParams({ ...Object.fromEntries(params), tab: 'requests', offset: page.nextOffset }) }, 'Older →')
      : null;
    return h('div', {},
      filterForm('requests', params, [['keyId', 'Key id'], ['accountId', 'Account id'], ['model', 'Model'],
        ['status', 'Status', { type: 'number' }], ['from', 'From', { placeholder: '2026-11-01' }], ['to', 'To', { placeholder: '2026-12-01' }]]),
      h('p', {}, csvButton('/usage/requests.csv?' + query(params, { limit: 100000 }), 'requests.csv'),
        ' ', offset > 0 ? `from row ${offset + 1} ` : '', more),
      requestTable(page.data, true));
  },

  async aggregates(params) {
    if (!params.get('period')) params.set('period', 'day');
    if (!params.get('by')) params.set('by', 'model');
    const rows = await api('GET', '/usage/aggregates?' + query(params));
    return h('div', {},
      filterForm('aggregates', params, [['period', 'Period (hour, day, month)'], ['by', 'By (key, account, model)'],
        ['value', 'Only this key / account / model'], ['from', 'From'], ['to', 'To']]),
      h('p', {}, csvButton('/usage/aggregates.csv?' + query(params), 'aggregates.csv')),
      table(rows.data, [
        { label: 'Bucket', value: r => r.bucket },
        { label: params.get('by'), value: r => r.value },
        { label: 'Requests', value: r => num(r.totals.requests), num: true },
        { label: 'Input', value: r => num(r.totals.inputTokens), num: true },
        { label: 'Output', value: r => num(r.totals.outputTokens), num: true },
        { label: 'Cache read', value: r => num(r.totals.cacheReadTokens), num: true },
        { label: 'Cache write 5m / 1h', value: r => `${num(r.totals.cacheWrite5mTokens)} / ${num(r.totals.cacheWrite1hTokens)}`, num: true },
        { label: 'Cost', value: r => usd(r.totals.costMicros), num: true },
        { label: 'Rated', value: r => usd(r.totals.ratedCostMicros), num: true },
        { label: 'Errors', value: r => num(r.totals.errors), num: true },
      ], 'Nothing in this period.'));
  },

  async accounts(params) {
    const [rows, accounts] = await Promise.all([api('GET', '/usage/accounts?' + query(params)), api('GET', '/accounts')]);
    const names = Object.fromEntries(accounts.data.map(a => [a.id, a.name]));
    return h('div', {},
      filterForm('accounts', params, [['from', 'From (default: this month)'], ['to', 'To']]),
      table(rows.data, [
        { label: 'Account', value: r => names[r.accountId] ?? r.accountId ?? '(none)' },
        { label: 'Requests', value: r => num(r.totals.requests), num: true },
        { label: 'Tokens', value: r => num(r.totals.inputTokens + r.totals.outputTokens + r.totals.cacheReadTokens
          + r.totals.cacheWrite5mTokens + r.totals.cacheWrite1hTokens), num: true },
        { label: 'Cost', value: r => usd(r.totals.costMicros), num: true },
        { label: 'Error rate', value: r => (100 * r.errorRate).toFixed(1) + ' %', num: true },
        { label: 'Cooling errors', value: r => num(r.totals.coolingErrors), num: true },
      ], 'No requests in this period.'));
  },

  async prices() {
    const prices = await api('GET', '/usage/prices');
    const reprice = h('form', { class: 'inline card' },
      field('From', 'from', { required: true, placeholder: '2026-11-01' }),
      field('To', 'to', { required: true, placeholder: '2026-11-22' }),
      h('button', { type: 'submit' }, 'Re-price this period'));
    const result = h('div');
    reprice.addEventListener('submit', ev => {
      ev.preventDefault();
      act(reprice, async () => {
        const r = await api('POST', '/usage/reprice', formValues(reprice));
        result.replaceChildren(h('p', {}, `${num(r.requestsRepriced)} of ${num(r.requestsScanned)} requests re-priced with ${r.priceVersion}: `
          + `${usd(r.oldCostMicros)} → ${usd(r.newCostMicros)} (rated ${usd(r.oldRatedCostMicros)} → ${usd(r.newRatedCostMicros)})`),
          table(r.byModel, [
            { label: 'Model', value: m => m.model },
            { label: 'Re-priced', value: m => num(m.requestsRepriced), num: true },
            { label: 'Old cost', value: m => usd(m.oldCostMicros), num: true },
            { label: 'New cost', value: m => usd(m.newCostMicros), num: true }], 'No cost changed.'));
      });
    });
    const rebuild = button('Rebuild the views from the journal', 'danger',
      'Empty the request log and aggregates and replay the whole journal? Re-pricings are undone.',
      () => api('POST', '/usage/rebuild'));
    return h('div', {},
      h('div', { class: 'card' }, Object.entries(prices).map(([k, v]) => h('div', {}, h('span', { class: 'muted' }, k + ': '), String(v ?? '-')))),
      h('h2', {}, 'Re-pricing'),
      h('p', { class: 'muted' }, 'Recomputes the costs of a period from the journal with the current table; the recorded events stay as they are.'),
      reprice, result,
      h('h2', {}, 'Rebuild'),
      rebuild);
  },
};

const ALERT_KINDS = ['unauthorized', 'blocked', 'rate_limited', 'recovered', 'disabled_by_admin', 'refresh_failed'];

function webhookActions(t) {
  const path = '/webhooks/' + encodeURIComponent(t.id);
  const test = h('button', { class: 'secondary' }, 'Send test');
  test.addEventListener('click', () => act(test, async () => {
    const r = await api('POST', path + '/test');
    dialog(h('h2', {}, r.delivered ? 'Test alert delivered' : 'Test alert not delivered'),
      h('p', {}, r.delivered ? `${t.name} accepted it.` : (r.error || 'the target refused it')));
  }));
  const toggle = h('button', { class: 'secondary' }, t.enabled ? 'Disable' : 'Enable');
  toggle.addEventListener('click', () => act(toggle, async () => {
    await api('POST', path + (t.enabled ? '/disable' : '/enable'));
    route();
  }));
  const del = h('button', { class: 'danger' }, 'Delete');
  del.addEventListener('click', () => {
    if (!confirm(`Delete alert target "${t.name}"?`)) return;
    act(del, async () => { await api('DELETE', path); route(); });
  });
  return h('div', { class: 'actions' }, test, toggle, del);
}

function stat(label, value) {
  return h('div', { class: 'card' }, h('div', { class: 'muted' }, label), h('div', { class: 'big' }, value));
}

/** A button that runs an API call (after a confirmation when one is given) and then reloads the page. */
function button(label, kind, confirmText, call) {
  const b = h('button', { class: kind }, label);
  b.addEventListener('click', () => {
    if (confirmText && !confirm(confirmText)) return;
    act(b, async () => { await call(); route(); });
  });
  return b;
}

function expiryText(e) {
  if (!e || e.mode === 'none') return 'never';
  if (e.mode === 'activation') return `${e.days ? e.days + ' days' : e.hours + ' hours'} after first use`;
  return when(e.expiresAt);
}

const POOLS = ['claude', 'openai', 'gemini', 'droid'];
const CLIENTS = ['claude-code', 'codex', 'gemini-cli', 'droid'];

function list(text) {
  return text.split(',').map(x => x.trim()).filter(Boolean);
}

function checks(name, values, chosen) {
  return h('fieldset', {}, h('legend', {}, name),
    values.map(v => h('label', { class: 'check' }, h('input', { type: 'checkbox', name, value: v, checked: chosen.includes(v) }), v)));
}

/**
 * The form for a key's settings; {@code key} null for a new key. Submits the whole settings object
 * (PATCH with every field is the same as setting them all), money in USD, 0 = no limit.
 */
function keyForm(key, submit) {
  const k = key || {};
  const w = k.rateLimit || {};
  const e = k.expiry || { mode: 'none' };
  const n = (name, label, value, attrs = {}) =>
    field(label, name, { type: 'number', min: 0, step: 'any', value: value ?? 0, ...attrs });
  const expiryMode = h('select', { name: 'expiryMode' },
    ['none', 'fixed', 'activation'].map(m => h('option', { value: m, selected: e.mode === m },
      { none: 'never expires', fixed: 'expires at a date', activation: 'expires N days after first use' }[m])));
  const form = h('form', { class: 'keyform' },
    h('div', { class: 'inline' },
      field('Name', 'name', { required: true, value: k.name ?? '', placeholder: 'alice-laptop' }),
      field('Description', 'description', { value: k.description ?? '' }),
      field('Tags (comma-separated)', 'tags', { value: (k.tags || []).join(', ') })),
    h('div', { class: 'inline' },
      checks('Pools (none ticked = all)', POOLS, Array.isArray(k.permissions) ? k.permissions : []),
      checks('Clients (none ticked = any)', CLIENTS, k.allowedClients || [])),
    h('div', { class: 'inline' },
      n('concurrencyLimit', 'Concurrent requests', k.concurrencyLimit, { step: 1 }),
      n('windowMinutes', 'Rate window (minutes)', w.windowMinutes, { step: 1 }),
      n('windowRequests', '… requests', w.requests, { step: 1 }),
      n('windowTokens', '… tokens', w.tokens, { step: 1 }),
      n('windowCost', '… cost USD', w.cost)),
    h('div', { class: 'inline' },
      n('dailyCostLimit', 'Daily cost USD', k.dailyCostLimit),
      n('totalCostLimit', 'Total cost USD', k.totalCostLimit),
      n('weeklyOpusCostLimit', 'Weekly Opus cost USD', k.weeklyOpusCostLimit),
      n('weeklyResetDay', 'Week resets on day (1 = Mon)', k.weeklyResetDay ?? 1, { min: 1, max: 7, step: 1 }),
      n('weeklyResetHour', '… at hour', k.weeklyResetHour ?? 0, { max: 23, step: 1 })),
    h('div', { class: 'inline' },
      h('label', {}, 'Expiry', expiryMode),
      field('Expires at', 'expiresAt', { type: 'datetime-local',
        value: e.expiresAt ? new Date(e.expiresAt).toISOString().slice(0, 16) : '' }),
      n('activationDays', 'Days after first use', e.days ?? 30, { min: 1, step: 1 })),
    h('div', { class: 'inline' },
      field('Allowed models (comma-separated, * wildcard)', 'allowedModels', { value: (k.allowedModels || []).join(', ') }),
      field('Blocked models', 'blockedModels', { value: (k.blockedModels || []).join(', ') }),
      n('claudeRate', 'Claude service rate', k.serviceRates?.claude ?? 1, { min: 0.001 })),
    h('div', { class: 'inline' },
      field('Dedicated Claude account id (optional)', 'bindAccount', { value: k.bindings?.claude?.accountId ?? '' }),
      field('… or account group', 'bindGroup', { value: k.bindings?.claude?.group ?? '' }),
      h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'fallbackToPool',
        checked: k.bindings?.claude?.fallbackToPool ?? true }), 'may fall back to the shared pool')),
    h('button', { type: 'submit' }, key ? 'Save' : 'Create key'));
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    act(form.lastChild, () => submit(keyBody(form)));
  });
  return form;
}

function keyBody(form) {
  const f = form.elements;
  const number = name => Number(f[name].value || 0);
  const ticked = name => [...form.querySelectorAll(`input[name="${name}"]:checked`)].map(c => c.value);
  const pools = ticked('Pools (none ticked = all)');
  const body = {
    name: f.name.value,
    description: f.description.value,
    tags: list(f.tags.value),
    permissions: pools.length ? pools : 'all',
    allowedClients: ticked('Clients (none ticked = any)'),
    concurrencyLimit: number('concurrencyLimit'),
    rateLimit: number('windowMinutes') > 0 ? {
      windowMinutes: number('windowMinutes'), requests: number('windowRequests'),
      tokens: number('windowTokens'), cost: number('windowCost') } : null,
    dailyCostLimit: number('dailyCostLimit'),
    totalCostLimit: number('totalCostLimit'),
    weeklyOpusCostLimit: number('weeklyOpusCostLimit'),
    weeklyResetDay: number('weeklyResetDay') || 1,
    weeklyResetHour: number('weeklyResetHour'),
    allowedModels: list(f.allowedModels.value),
    blockedModels: list(f.blockedModels.value),
    serviceRates: { claude: number('claudeRate') || 1 },
  };
  const mode = f.expiryMode.value;
  body.expiry = mode === 'fixed' ? { mode, expiresAt: new Date(f.expiresAt.value).toISOString() }
    : mode === 'activation' ? { mode, days: number('activationDays') } : { mode: 'none' };
  const account = f.bindAccount.value.trim();
  const group = f.bindGroup.value.trim();
  body.bindings = account || group
    ? { claude: { ...(account ? { accountId: account } : { group }), fallbackToPool: f.fallbackToPool.checked } }
    : {};
  return body;
}

/** The OAuth add-account flow: get a login URL, open it, paste back what the callback page shows. */
function oauthFlow() {
  const out = h('div');
  const setup = h('input', { type: 'checkbox', name: 'setupToken' });
  const start = h('form', { class: 'inline' },
    h('label', { class: 'check' }, setup, 'long-lived setup token (inference only, no refresh)'),
    h('button', { type: 'submit' }, 'Get a login link'));
  start.addEventListener('submit', ev => {
    ev.preventDefault();
    act(start, async () => {
      const s = await api('POST', '/accounts/oauth/generate-auth-url', { setupToken: setup.checked });
      const paste = accountForm(null, async body => {
        await api('POST', '/accounts/oauth/exchange-code', { ...body, sessionId: s.sessionId });
        route();
      }, true);
      out.replaceChildren(
        h('p', {}, '1. Open ', h('a', { href: s.authUrl, target: '_blank', rel: 'noopener noreferrer' }, 'the Claude login page'),
          ` and log in (this link works until ${when(s.expiresAt)}).`),
        h('p', {}, '2. Paste the code the callback page shows (or the whole callback URL) and name the account:'),
        paste);
    });
  });
  return h('div', {}, start, out);
}

/**
 * The form for an account: {@code account} null for a new one. With {@code oauthCode} it asks for the
 * pasted code instead of credentials (the OAuth exchange).
 */
function accountForm(account, submit, oauthCode = false) {
  const a = account || {};
  const type = h('select', { name: 'type' },
    h('option', { value: 'claude-console' }, 'Anthropic API key (console)'),
    h('option', { value: 'claude-oauth' }, 'Claude OAuth access token'));
  const secret = h('input', { name: 'apiKey', type: 'password', autocomplete: 'off', required: !account });
  const secretLabel = h('label', {}, account ? 'New API key (empty = keep)' : 'API key', secret);
  type.addEventListener('change', () => {
    const oauth = type.value === 'claude-oauth';
    secret.name = oauth ? 'accessToken' : 'apiKey';
    secretLabel.firstChild.textContent = oauth ? 'Access token' : 'API key';
  });
  const credentials = oauthCode
    ? [field('Code (or callback URL)', 'code', { required: true, autocomplete: 'off' })]
    : account ? (a.type === 'claude-console' ? [secretLabel] : [])
    : [h('label', {}, 'Type', type), secretLabel];
  const form = h('form', { class: 'keyform' },
    h('div', { class: 'inline' },
      field('Name', 'name', { required: !account || undefined, value: a.name ?? '' }),
      ...credentials),
    h('div', { class: 'inline' },
      field('Priority (lower first)', 'priority', { type: 'number', min: 0, value: a.priority ?? 50, 'data-type': 'int' }),
      field('Max concurrency (0 = none)', 'maxConcurrency', { type: 'number', min: 0, value: a.maxConcurrency ?? 0, 'data-type': 'int' }),
      field('Groups (comma-separated)', 'groups', { value: (a.groups || []).join(', ') }),
      field('Price multiplier', 'priceMultiplier', { type: 'number', min: 0.001, step: 'any', value: a.priceMultiplier ?? 1, 'data-type': 'number' })),
    h('div', { class: 'inline' },
      field('Proxy (http:// or socks5://, empty = none)', 'proxy', { value: '', placeholder: a.proxy ?? 'socks5://user:pass@host:1080', autocomplete: 'off' }),
      field('Base URL (optional)', 'baseUrl', { value: a.baseUrl ?? '', placeholder: 'https://api.anthropic.com' })),
    h('button', { type: 'submit' }, oauthCode ? 'Add the account' : account ? 'Save' : 'Add account'));
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    const body = formValues(form);
    body.groups = list(form.elements.groups.value);
    if (account && !form.elements.proxy.value) delete body.proxy;
    act(form.lastChild, () => submit(body));
  });
  return form;
}

function accountTable(rows, withActions) {
  const columns = [
    { label: 'Name', value: a => withActions ? h('a', { href: '#/accounts/' + encodeURIComponent(a.id) }, a.name) : a.name },
    { label: 'Type', value: a => a.type },
    { label: 'State', value: a => pill(a.state || a.status) },
    { label: 'Cooling until', value: a => (a.cooldowns || []).length
      ? a.cooldowns.map(c => `${c.family} ${when(c.until)}`).join(', ') : '-' },
    { label: 'Tier', value: a => a.tier ?? '-' },
    { label: 'Groups', value: a => (a.groups || []).join(', ') },
    { label: 'Schedulable', value: a => a.schedulable ? 'yes' : 'no' },
    { label: 'Priority', value: a => a.priority, num: true },
    { label: 'Max concurrency', value: a => a.maxConcurrency || 'unlimited', num: true },
    { label: 'Base URL', value: a => a.baseUrl },
  ];
  if (withActions) {
    columns.push({ label: '', value: a => accountActions(a) });
  }
  return table(rows, columns, 'No accounts yet: add one on the Accounts page.');
}

function accountActions(a) {
  const paused = a.status === 'paused';
  const toggle = h('button', { class: 'secondary' }, paused ? 'Resume' : 'Pause');
  toggle.addEventListener('click', () => act(toggle, async () => {
    await api('PATCH', '/accounts/' + encodeURIComponent(a.id), { paused: !paused });
    route();
  }));
  const del = h('button', { class: 'danger' }, 'Delete');
  del.addEventListener('click', () => {
    if (!confirm(`Delete account "${a.name}"?`)) return;
    act(del, async () => {
      await api('DELETE', '/accounts/' + encodeURIComponent(a.id));
      if (location.hash.startsWith('#/accounts/')) location.hash = '#/accounts'; else route();
    });
  });
  return h('div', { class: 'actions' }, toggle, del);
}

function requestTable(rows, withKey = false) {
  return table(rows, [
    { label: 'Time', value: r => when(r.time) },
    ...(withKey ? [{ label: 'Key', value: r => h('a', { href: '#/keys/' + encodeURIComponent(r.keyId) }, r.keyId) }] : []),
    { label: 'Client', value: r => r.client && r.client !== 'unknown' ? `${r.client} ${r.clientVersion ?? ''}` : '-' },
    { label: 'Model', value: r => r.servedModel || r.model },
    { label: 'Status', value: r => r.status, num: true },
    { label: 'Outcome', value: r => pill(r.outcome) },
    { label: 'Input', value: r => num(r.inputTokens), num: true },
    { label: 'Output', value: r => num(r.outputTokens), num: true },
    { label: 'Cache read', value: r => num(r.cacheReadTokens), num: true },
    { label: 'Cache write', value: r => num(r.cacheWriteTokens), num: true },
    { label: 'Cost', value: r => usd(r.costMicros), num: true },
    { label: 'Rated', value: r => usd(r.ratedCostMicros), num: true },
    { label: 'First byte', value: r => r.firstByteMs >= 0 ? r.firstByteMs + ' ms' : '-', num: true },
    { label: 'Duration', value: r => r.durationMs + ' ms', num: true },
    { label: 'Tries', value: r => r.attempts, num: true },
  ], 'No requests recorded for this key yet.');
}

function clusterTable(cluster) {
  return h('div', {},
    h('p', {}, 'This node: ', h('code', {}, cluster.self ?? '-'), ' · leader: ', h('code', {}, cluster.leader ?? '-')),
    table(cluster.members || [], [
      { label: 'Member', value: m => m.address },
      { label: 'Status', value: m => pill(m.status) },
      { label: 'Reachable', value: m => m.reachable ? 'yes' : 'no' },
    ]));
}

// ---- routing

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
