// Tables that several pages show: accounts, the request log, the cluster. Names instead of ids where the
// caller gives them ({keys: {id: name}, accounts: {id: name}}); each request id links to its decision trace.

import { act, api, reload } from './client.js';
import { h, num, pill, table, usd, when } from './dom.js';
import { duration, words } from './i18n.js';

const t = words({
  en: {
    name: 'Name', type: 'Type', state: 'State', coolingUntil: 'Cooling until', tier: 'Tier', groups: 'Groups',
    schedulable: 'Schedulable', priority: 'Priority', maxConcurrency: 'Max concurrency', baseUrl: 'Base URL',
    noAccounts: 'No accounts yet: add one on the Accounts page.', resume: 'Resume', pause: 'Pause',
    deleteAccount: 'Delete account "{name}"?', time: 'Time', request: 'Request', key: 'Key', account: 'Account',
    client: 'Client', model: 'Model', status: 'Status', outcome: 'Outcome', input: 'Input', output: 'Output',
    cacheRead: 'Cache read', cacheWrite: 'Cache write', cost: 'Cost', rated: 'Rated', firstByte: 'First byte',
    took: 'Duration', tries: 'Tries', noRequests: 'No requests recorded yet.', thisNode: 'This node',
    leader: 'Leader', member: 'Member', reachable: 'Reachable', trace: 'Decision trace of this request',
    pool: 'Pool', noAccount: '(none)', dialect: 'Dialect', converted: 'Client dialect → upstream dialect (converted)',
    COMPLETED: 'Completed', UPSTREAM_ERROR: 'Upstream error',
    UPSTREAM_FAILED: 'Upstream failed', CLIENT_DISCONNECTED: 'Client left', NO_ACCOUNT: 'No account', REFUSED: 'Refused',
  },
  zh: {
    name: '名称', type: '类型', state: '状态', coolingUntil: '冷却至', tier: '等级', groups: '分组',
    schedulable: '可调度', priority: '优先级', maxConcurrency: '最大并发', baseUrl: '基础 URL',
    noAccounts: '还没有账户：请在“账户”页面添加。', resume: '恢复', pause: '暂停',
    deleteAccount: '删除账户“{name}”？', time: '时间', request: '请求', key: '密钥', account: '账户',
    client: '客户端', model: '模型', status: '状态码', outcome: '结果', input: '输入', output: '输出',
    cacheRead: '缓存读取', cacheWrite: '缓存写入', cost: '费用', rated: '计费', firstByte: '首字节',
    took: '耗时', tries: '尝试次数', noRequests: '还没有请求记录。', thisNode: '本节点',
    leader: '领导节点', member: '成员', reachable: '可达', trace: '查看此请求的决策追踪',
    pool: '账户池', noAccount: '（无）', dialect: '协议格式', converted: '客户端格式 → 上游格式（已转换）',
    COMPLETED: '完成', UPSTREAM_ERROR: '上游错误',
    UPSTREAM_FAILED: '上游失败', CLIENT_DISCONNECTED: '客户端断开', NO_ACCOUNT: '无可用账户', REFUSED: '已拒绝',
  },
});

/** Words for yes / no. */
function yesNo(v) {
  return v ? t('yes') : t('no');
}

export function accountTable(rows, withActions) {
  const columns = [
    { label: t('name'), value: a => withActions ? h('a', { href: '#/accounts/' + encodeURIComponent(a.id) }, a.name) : a.name },
    { label: t('type'), value: a => a.type },
    { label: t('state'), value: a => pill(a.state || a.status) },
    { label: t('coolingUntil'), value: a => (a.cooldowns || []).length
      ? a.cooldowns.map(c => `${c.family} ${when(c.until)}`).join(', ') : '-' },
    { label: t('tier'), value: a => a.tier ?? '-' },
    { label: t('groups'), value: a => (a.groups || []).join(', ') || '-' },
    { label: t('schedulable'), value: a => yesNo(a.schedulable) },
    { label: t('priority'), value: a => num(a.priority), num: true },
    { label: t('maxConcurrency'), value: a => a.maxConcurrency ? num(a.maxConcurrency) : t('unlimited'), num: true },
    { label: t('baseUrl'), value: a => a.baseUrl || '-' },
  ];
  if (withActions) {
    columns.push({ label: t('actions'), value: a => accountActions(a) });
  }
  return table(rows, columns, t('noAccounts'));
}

export function accountActions(a) {
  const paused = a.status === 'paused';
  const toggle = h('button', { class: 'secondary write', 'data-write': true }, paused ? t('resume') : t('pause'));
  toggle.addEventListener('click', () => act(toggle, async () => {
    await api('PATCH', '/accounts/' + encodeURIComponent(a.id), { paused: !paused });
    reload();
  }));
  const del = h('button', { class: 'danger write', 'data-write': true }, t('delete'));
  del.addEventListener('click', () => {
    if (!confirm(t('deleteAccount', { name: a.name }))) return;
    act(del, async () => {
      await api('DELETE', '/accounts/' + encodeURIComponent(a.id));
      if (location.hash.startsWith('#/accounts/')) location.hash = '#/accounts'; else reload();
    });
  });
  return h('div', { class: 'actions' }, toggle, del);
}

/**
 * The request log. {@code withKey}: a key column (linked to the key); {@code names}: {keys, accounts} maps from
 * id to name, so the page shows names (an id stays when no name is known).
 */
export function requestTable(rows, withKey = false, names = {}) {
  const keyName = id => names.keys?.[id] ?? id;
  const accountName = id => (id ? names.accounts?.[id] ?? id : t('noAccount'));
  return table(rows, [
    { label: t('time'), value: r => when(r.time) },
    { label: t('request'), value: r => h('a', { href: '#/trace/' + encodeURIComponent(r.requestId), title: t('trace'),
      class: 'mono', 'data-test': 'trace-link' }, shortId(r.requestId)) },
    ...(withKey ? [{ label: t('key'), value: r => h('a', { href: '#/keys/' + encodeURIComponent(r.keyId) }, keyName(r.keyId)) }] : []),
    ...(names.accounts ? [{ label: t('account'), value: r => accountName(r.accountId) }] : []),
    { label: t('pool'), value: r => r.pool ?? r.platform ?? '-' },
    { label: t('client'), value: r => r.client && r.client !== 'unknown' ? `${r.client} ${r.clientVersion ?? ''}` : '-' },
    { label: t('dialect'), value: r => dialects(r) },
    { label: t('model'), value: r => r.servedModel || r.model },
    { label: t('status'), value: r => r.status, num: true },
    { label: t('outcome'), value: r => outcome(r.outcome) },
    { label: t('input'), value: r => num(r.inputTokens), num: true },
    { label: t('output'), value: r => num(r.outputTokens), num: true },
    { label: t('cacheRead'), value: r => num(r.cacheReadTokens), num: true },
    { label: t('cacheWrite'), value: r => num(r.cacheWriteTokens), num: true },
    { label: t('cost'), value: r => usd(r.costMicros), num: true },
    { label: t('rated'), value: r => usd(r.ratedCostMicros), num: true },
    { label: t('firstByte'), value: r => r.firstByteMs >= 0 ? duration(r.firstByteMs) : '-', num: true },
    { label: t('took'), value: r => duration(r.durationMs), num: true },
    { label: t('tries'), value: r => num(r.attempts), num: true },
  ], t('noRequests'));
}

/**
 * The dialects of a request: the one name when the client and the upstream spoke the same, "client → upstream"
 * when the request was converted, "-" for requests logged before dialects were recorded.
 */
export function dialects(r) {
  const client = r.clientDialect, upstream = r.upstreamDialect;
  if (!client && !upstream) return '-';
  if (!client || !upstream || client === upstream) return client || upstream;
  return h('span', { title: t('converted'), 'data-test': 'converted' }, `${client} → ${upstream}`);
}

/** A request id short enough for a table cell: its end, which differs between requests (time-ordered ids share their start). */
function shortId(id) {
  const s = String(id ?? '');
  return s.length > 12 ? '…' + s.slice(-10) : s;
}

/** An outcome as a coloured label in the page's language (the class keeps the wire name). */
function outcome(o) {
  const el = pill(o);
  el.textContent = t(o);
  el.title = o;
  return el;
}

export function clusterTable(cluster) {
  return h('div', {},
    h('p', {}, t('thisNode') + ': ', h('code', {}, cluster.self ?? '-'), ' · ' + t('leader') + ': ', h('code', {}, cluster.leader ?? '-')),
    table(cluster.members || [], [
      { label: t('member'), value: m => m.address },
      { label: t('status'), value: m => pill(m.status) },
      { label: t('reachable'), value: m => yesNo(m.reachable) },
    ]));
}
