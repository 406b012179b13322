// Tables that several pages show.

import { act, api, reload } from './client.js';
import { h, num, pill, table, usd, when } from './dom.js';

export function accountTable(rows, withActions) {
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

export function accountActions(a) {
  const paused = a.status === 'paused';
  const toggle = h('button', { class: 'secondary' }, paused ? 'Resume' : 'Pause');
  toggle.addEventListener('click', () => act(toggle, async () => {
    await api('PATCH', '/accounts/' + encodeURIComponent(a.id), { paused: !paused });
    reload();
  }));
  const del = h('button', { class: 'danger' }, 'Delete');
  del.addEventListener('click', () => {
    if (!confirm(`Delete account "${a.name}"?`)) return;
    act(del, async () => {
      await api('DELETE', '/accounts/' + encodeURIComponent(a.id));
      if (location.hash.startsWith('#/accounts/')) location.hash = '#/accounts'; else reload();
    });
  });
  return h('div', { class: 'actions' }, toggle, del);
}

export function requestTable(rows, withKey = false) {
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

export function clusterTable(cluster) {
  return h('div', {},
    h('p', {}, 'This node: ', h('code', {}, cluster.self ?? '-'), ' · leader: ', h('code', {}, cluster.leader ?? '-')),
    table(cluster.members || [], [
      { label: 'Member', value: m => m.address },
      { label: 'Status', value: m => pill(m.status) },
      { label: 'Reachable', value: m => m.reachable ? 'yes' : 'no' },
    ]));
}
