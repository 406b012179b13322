// API keys: the list, one key with its usage, limits and settings, creating and editing a key.

import { api, reload } from '../client.js';
import { dialog, h, show, stat } from '../dom.js';
import { dollars, locale, num, relative, when, words } from '../i18n.js';
import { canWrite } from '../session.js';
import { keyForm } from './parts/keyform.js';
import { label, statePill } from './parts/labels.js';
import { history, requestGrid } from './parts/requests.js';
import { accountLink, action, facts, grid, hashQuery, secretOnce, section } from './parts/ui.js';

const t = words({
  en: {
    title: 'API keys', create: 'Create a key', showDeleted: 'Show deleted keys', hideDeleted: 'Hide deleted keys',
    none: 'No keys yet.', noneWriter: 'No keys yet: create one above.',
    name: 'Name', hint: 'Key', status: 'Status', pools: 'Pools', bound: 'Dedicated to', requests: 'Requests',
    costToday: 'Cost today', costTotal: 'Cost in all', concurrency: 'At once', expires: 'Expires', tags: 'Tags',
    allPools: 'All pools', unlimited: 'Unlimited', never: 'Never', firstUse: '{n} {unit} after first use',
    days: 'days', hours: 'hours',
    createdTitle: 'Key "{name}" created', createdWarn: 'Shown once — copy it now. The relay keeps only its hash and can never show it again.',
    createdUse: 'Clients use it as their API key with this relay\'s address as the base URL, e.g. ANTHROPIC_BASE_URL={url}/api',
    edit: 'Edit settings', delete: 'Delete', restore: 'Restore', revoke: 'Revoke for good', usage: 'Usage of this key',
    confirmDelete: 'Delete key "{name}"? It stops working at once; you can restore it later.',
    confirmRevoke: 'Revoke key "{name}" for good? It stops working and can never be restored.',
    inFlight: 'In flight', tokens: 'Tokens', opusWeek: 'Opus this week', rated: 'Cost in all (rated)', real: 'Real cost in all',
    reserved: 'Reserved by requests in flight',
    remaining: 'Left of each limit', limit: 'Limit', left: 'Left', resets: 'Resets', noLimits: 'No limits set.',
    rem_concurrency: 'Requests at once', rem_windowRequests: 'Requests in this window', rem_windowTokens: 'Tokens in this window',
    rem_windowCost: 'Cost in this window', rem_dailyCost: 'Cost today', rem_totalCost: 'Cost in all', rem_weeklyOpusCost: 'Opus cost this week',
    doesNotReset: 'Does not reset', windowNotOpen: 'The next request opens a new window',
    window: 'Open rate window', windowFacts: '{requests} requests, {tokens} tokens, {cost} from {start} to {end}',
    settings: 'Settings', clients: 'Clients', anyClient: 'Any client', allowed: 'Allowed models', blocked: 'Blocked models',
    anyModel: 'Any model', noneBlocked: 'None', windowLimit: 'Rate window', noWindow: 'None',
    windowDesc: '{requests} requests, {tokens} tokens, {cost} per {minutes} min', daily: 'Cost per day', total: 'Cost in all',
    weeklyOpus: 'Opus cost per week', weekStarts: 'Week starts', rates: 'Service rates', bindings: 'Dedicated accounts',
    shared: 'The shared pool', group: 'group {name}', fallback: 'falls back to the shared pool', noFallback: 'no fallback',
    created: 'Created', activated: 'First used', description: 'Description', recent: 'Recent requests', changes: 'Changes',
    keyHint: 'Key hint', allRequests: 'All requests of this key →', modelMap: 'Model map', noMap: 'The operator\'s map',
    asAsked: 'the name as asked',
  },
  zh: {
    title: 'API 密钥', create: '创建密钥', showDeleted: '显示已删除的密钥', hideDeleted: '隐藏已删除的密钥',
    none: '暂无密钥。', noneWriter: '暂无密钥：请在上方创建。',
    name: '名称', hint: '密钥', status: '状态', pools: '账户池', bound: '专属于', requests: '请求数',
    costToday: '今日费用', costTotal: '总费用', concurrency: '并发', expires: '过期', tags: '标签',
    allPools: '全部账户池', unlimited: '不限', never: '永不', firstUse: '首次使用后 {n} {unit}',
    days: '天', hours: '小时',
    createdTitle: '密钥“{name}”已创建', createdWarn: '只显示这一次——请立即复制。中转只保存它的哈希，之后无法再次显示。',
    createdUse: '客户端把它作为 API 密钥，并以本中转地址为 Base URL，例如 ANTHROPIC_BASE_URL={url}/api',
    edit: '编辑设置', delete: '删除', restore: '恢复', revoke: '永久吊销', usage: '此密钥的用量',
    confirmDelete: '删除密钥“{name}”？它会立即失效，之后可以恢复。',
    confirmRevoke: '永久吊销密钥“{name}”？它会失效且无法恢复。',
    inFlight: '进行中', tokens: 'Token 数', opusWeek: '本周 Opus', rated: '总费用（计费）', real: '总费用（实际）',
    reserved: '进行中请求的预留',
    remaining: '各限额剩余', limit: '限额', left: '剩余', resets: '重置时间', noLimits: '未设置限额。',
    rem_concurrency: '同时请求数', rem_windowRequests: '本窗口请求数', rem_windowTokens: '本窗口 Token 数',
    rem_windowCost: '本窗口费用', rem_dailyCost: '今日费用', rem_totalCost: '总费用', rem_weeklyOpusCost: '本周 Opus 费用',
    doesNotReset: '不重置', windowNotOpen: '下一个请求开启新窗口',
    window: '当前速率窗口', windowFacts: '{requests} 次请求，{tokens} Token，{cost}，{start} 至 {end}',
    settings: '设置', clients: '客户端', anyClient: '任意客户端', allowed: '允许的模型', blocked: '屏蔽的模型',
    anyModel: '任意模型', noneBlocked: '无', windowLimit: '速率窗口', noWindow: '无',
    windowDesc: '每 {minutes} 分钟 {requests} 次请求、{tokens} Token、{cost}', daily: '每日费用', total: '总费用',
    weeklyOpus: '每周 Opus 费用', weekStarts: '每周开始', rates: '服务倍率', bindings: '专属账户',
    shared: '共享账户池', group: '分组 {name}', fallback: '可回退到共享账户池', noFallback: '不回退',
    created: '创建时间', activated: '首次使用', description: '描述', recent: '最近请求', changes: '变更记录',
    keyHint: '密钥提示', allRequests: '此密钥的全部请求 →', modelMap: '模型映射', noMap: '运营者的映射',
    asAsked: '按原名',
  },
});

function expiryText(k) {
  if (k.expiresAt) return when(k.expiresAt);
  const e = k.expiry;
  if (!e || e.mode === 'none') return t('never');
  if (e.mode === 'activation') return t('firstUse', { n: e.days ?? e.hours, unit: e.days ? t('days') : t('hours') });
  return when(e.expiresAt);
}

function poolsText(k) {
  return Array.isArray(k.permissions) ? k.permissions.map(p => label('pool', p)).join(', ') : t('allPools');
}

/** Where a key's bindings point, by account name. */
function bindingsNode(k, names) {
  const entries = Object.entries(k.bindings || {});
  if (!entries.length) return t('shared');
  return h('span', {}, entries.flatMap(([pool, b], i) => [i ? '; ' : '', label('pool', pool), ': ',
    b.accountId ? accountLink(b.accountId, names(b.accountId)) : t('group', { name: b.group }),
    ' (', b.fallbackToPool ? t('fallback') : t('noFallback'), ')']));
}

export async function keys() {
  const showDeleted = hashQuery().get('deleted') === 'true';
  const [list, accounts, writer] = await Promise.all([
    api('GET', '/keys?usage=true' + (showDeleted ? '&deleted=true' : '')), api('GET', '/accounts'), canWrite()]);
  const names = id => accounts.data.find(a => a.id === id)?.name;
  const form = writer ? keyForm(null, accounts.data, async body => {
    const created = await api('POST', '/keys', body);
    dialog(h('h2', {}, t('createdTitle', { name: created.name })),
      secretOnce(created.key, 'new-key-secret', t('createdWarn')),
      h('p', { class: 'muted' }, t('createdUse', { url: location.origin })));
    reload();
  }) : null;
  show(h('h1', {}, t('title')),
    form ? h('details', { class: 'card' }, h('summary', { 'data-test': 'create-key' }, t('create')), form) : null,
    h('p', {}, h('a', { href: showDeleted ? '#/keys' : '#/keys?deleted=true' }, showDeleted ? t('hideDeleted') : t('showDeleted'))),
    grid(list.data, [
      { label: t('name'), value: k => h('a', { href: '#/keys/' + encodeURIComponent(k.id) }, k.name) },
      { label: t('hint'), value: k => h('code', {}, k.keyHint) },
      { label: t('status'), value: k => statePill(k.status) },
      { label: t('pools'), value: k => poolsText(k) },
      { label: t('bound'), value: k => bindingsNode(k, names) },
      { label: t('requests'), value: k => num(k.usage?.requests), num: true },
      { label: t('costToday'), value: k => dollars(k.usage?.costToday), num: true },
      { label: t('costTotal'), value: k => dollars(k.usage?.costTotal), num: true },
      { label: t('concurrency'), value: k => k.concurrencyLimit ? num(k.concurrencyLimit) : t('unlimited'), num: true },
      { label: t('expires'), value: k => expiryText(k) },
      { label: t('tags'), value: k => (k.tags || []).join(', ') || '-' },
    ], writer ? t('noneWriter') : t('none')));
}

function remainingGrid(k) {
  const resetOf = name => name.startsWith('window') ? k.resets?.window : name === 'dailyCost' ? k.resets?.daily
    : name === 'weeklyOpusCost' ? k.resets?.weeklyOpus : null;
  const rows = Object.entries(k.remaining || {}).map(([name, v]) => ({ name, v }));
  return grid(rows, [
    { label: t('limit'), value: r => t('rem_' + r.name) },
    { label: t('left'), value: r => /Cost$/.test(r.name) ? dollars(r.v) : num(r.v), num: true },
    { label: t('resets'), value: r => r.name === 'concurrency' ? '-' : resetOf(r.name)
      ? `${when(resetOf(r.name))} (${relative(resetOf(r.name))})` : r.name.startsWith('window') ? t('windowNotOpen') : t('doesNotReset') },
  ], t('noLimits'));
}

function settingsFacts(k, names) {
  const w = k.rateLimit;
  const day = d => new Intl.DateTimeFormat(locale(), { weekday: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, d)));
  return facts([
    [t('keyHint'), h('code', {}, k.keyHint)],
    [t('description'), k.description || '-'],
    [t('pools'), poolsText(k)],
    [t('clients'), (k.allowedClients || []).length ? k.allowedClients.map(c => label('client', c)).join(', ') : t('anyClient')],
    [t('allowed'), (k.allowedModels || []).join(', ') || t('anyModel')],
    [t('blocked'), (k.blockedModels || []).join(', ') || t('noneBlocked')],
    [t('concurrency'), k.concurrencyLimit ? num(k.concurrencyLimit) : t('unlimited')],
    [t('windowLimit'), w ? t('windowDesc', { requests: w.requests ? num(w.requests) : '∞', tokens: w.tokens ? num(w.tokens) : '∞',
      cost: w.cost ? dollars(w.cost) : '∞', minutes: num(w.windowMinutes) }) : t('noWindow')],
    [t('daily'), Number(k.dailyCostLimit) ? dollars(k.dailyCostLimit) : t('unlimited')],
    [t('total'), Number(k.totalCostLimit) ? dollars(k.totalCostLimit) : t('unlimited')],
    [t('weeklyOpus'), Number(k.weeklyOpusCostLimit) ? dollars(k.weeklyOpusCostLimit) : t('unlimited')],
    [t('weekStarts'), `${day(k.weeklyResetDay || 1)} ${String(k.weeklyResetHour ?? 0).padStart(2, '0')}:00`],
    [t('rates'), Object.entries(k.serviceRates || {}).map(([p, r]) => `${label('pool', p)} × ${num(r)}`).join(', ') || '× 1'],
    [t('bindings'), bindingsNode(k, names)],
    [t('modelMap'), (k.modelMap || []).map(m => `${m.match} → ${label('pool', m.pool)}: ${m.model || t('asAsked')}`)
      .join('; ') || t('noMap')],
    [t('expires'), expiryText(k)],
    [t('tags'), (k.tags || []).join(', ') || '-'],
    [t('created'), when(k.createdAt)],
    k.activatedAt ? [t('activated'), when(k.activatedAt)] : null,
  ]);
}

export async function key(id) {
  const path = '/keys/' + encodeURIComponent(id);
  const [k, log, accounts, writer] = await Promise.all([api('GET', path),
    api('GET', '/usage/requests?keyId=' + encodeURIComponent(id) + '&limit=20'), api('GET', '/accounts'), canWrite()]);
  const names = aid => accounts.data.find(a => a.id === aid)?.name;
  const actions = [];
  if (writer && k.status === 'active') {
    actions.push(action(t('delete'), 'danger', t('confirmDelete', { name: k.name }), () => api('DELETE', path),
      reload, { 'data-test': 'delete' }));
  }
  if (writer && k.status === 'deleted') {
    actions.push(action(t('restore'), 'secondary', null, () => api('POST', path + '/restore'), reload, { 'data-test': 'restore' }));
  }
  if (writer && k.status !== 'revoked') {
    actions.push(action(t('revoke'), 'danger', t('confirmRevoke', { name: k.name }), () => api('POST', path + '/revoke'),
      reload, { 'data-test': 'revoke' }));
  }
  const usageLink = '#/usage?tab=requests&keyId=' + encodeURIComponent(id);
  actions.push(h('a', { href: usageLink, class: 'button-link' }, t('usage')));
  const u = k.usage || {};
  const changes = await history('key', id);
  show(h('h1', {}, k.name, ' ', statePill(k.status)),
    h('div', { class: 'actions' }, actions),
    h('div', { class: 'cards' },
      stat(t('requests'), num(u.requests)),
      stat(t('inFlight'), num(u.inFlight)),
      stat(t('tokens'), num(u.tokens)),
      stat(t('costToday'), dollars(u.costToday)),
      stat(t('opusWeek'), dollars(u.costThisWeekOpus)),
      stat(t('rated'), dollars(u.costTotal)),
      stat(t('real'), dollars(u.realCostTotal)),
      stat(t('reserved'), dollars(u.reservedInFlight))),
    u.window ? h('p', { class: 'muted' }, t('window'), ': ', t('windowFacts', { requests: num(u.window.requests),
      tokens: num(u.window.tokens), cost: dollars(u.window.cost), start: when(u.window.start), end: when(u.window.end) })) : null,
    section(t('remaining'), remainingGrid(k)),
    section(t('settings'), settingsFacts(k, names)),
    writer && k.status !== 'revoked' ? h('details', { class: 'card' }, h('summary', { 'data-test': 'edit-key' }, t('edit')),
      keyForm(k, accounts.data, async body => { await api('PATCH', path, body); reload(); })) : null,
    section(t('recent'), requestGrid(log.data, { accountName: names }), h('p', {}, h('a', { href: usageLink }, t('allRequests')))),
    changes ? section(t('changes'), changes) : null);
}
