// API keys: the list, one key with its usage, and the settings form.

import { act, api, button, reload } from '../client.js';
import { checks, dialog, field, h, list, num, pill, show, stat, table, when } from '../dom.js';
import { requestTable } from '../tables.js';

function expiryText(e) {
  if (!e || e.mode === 'none') return 'never';
  if (e.mode === 'activation') return `${e.days ? e.days + ' days' : e.hours + ' hours'} after first use`;
  return when(e.expiresAt);
}

const POOLS = ['claude', 'openai', 'gemini', 'droid'];

const CLIENTS = ['claude-code', 'codex', 'gemini-cli', 'droid'];

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

export async function keys() {
  const showDeleted = location.hash.includes('deleted=true');
  const keys = await api('GET', '/keys?usage=true' + (showDeleted ? '&deleted=true' : ''));
  const form = keyForm(null, async body => {
    const created = await api('POST', '/keys', body);
    dialog(h('h2', {}, `Key "${created.name}" created`),
      h('p', {}, 'Copy it now: the relay stores only its hash and will never show it again.'),
      h('code', { class: 'secret' }, created.key),
      h('p', { class: 'muted' }, 'Use it with ANTHROPIC_BASE_URL=' + location.origin + '/api'));
    reload();
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
}

export async function key(id) {
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
      keyForm(k, async body => { await api('PATCH', path, body); reload(); })),
    h('h2', {}, 'Recent requests'),
    requestTable(log.data));
}
