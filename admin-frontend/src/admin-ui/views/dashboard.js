// The dashboard: cluster, keys, accounts, and today / this month from the ledger.

import { api } from '../client.js';
import { h, num, show, stat, table, usd } from '../dom.js';
import { accountTable, clusterTable } from '../tables.js';

export async function dashboard() {
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
}
