// Usage: the request log, aggregates, account summary, prices, re-pricing and rebuild.

import { API, ApiError, TOKEN, act, api, button } from '../client.js';
import { field, formValues, h, num, show, table, usd } from '../dom.js';
import { requestTable } from '../tables.js';

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

export async function usage() {
  const params = new URLSearchParams(location.hash.split('?')[1] || '');
  const tab = params.get('tab') || 'requests';
  const tabs = [['requests', 'Request log'], ['aggregates', 'Aggregates'], ['accounts', 'Accounts'], ['prices', 'Prices']];
  const nav = h('p', { class: 'tabs' }, tabs.map(([id, label]) =>
    h('a', { href: '#/usage?tab=' + id, class: id === tab ? 'active' : '' }, label)));
  const body = await usageTabs[tab](params);
  show(h('h1', {}, 'Usage'), nav, body);
}
