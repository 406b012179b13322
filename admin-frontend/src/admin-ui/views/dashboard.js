// The dashboard: cluster, keys and accounts at a glance; today and this month from the ledger; requests, tokens,
// cost and error rate over time; model and pool shares; the accounts' rate-limit windows.

import { api } from '../client.js';
import { h, num, show, stat, table, usd } from '../dom.js';
import { accountTable, clusterTable } from '../tables.js';
import { compact, words } from '../i18n.js';
import {
  bucketLabels, chartCard, fractionBars, percent, pieChart, poolRows, seriesBy, timeChart, tokensOf, totalsPerBucket,
} from '../charts.js';

const t = words({
  en: {
    title: 'Dashboard', members: 'Cluster members', activeKeys: 'Active keys', schedulable: 'Schedulable accounts',
    today: 'Today', month: 'This month', requests: 'Requests', tokens: 'Tokens', cost: 'Cost', rated: 'Rated cost',
    errors: 'Errors', activeAccounts: 'Active accounts', topKeys: 'Top keys', topModels: 'Top models', key: 'Key',
    model: 'Model', noRequests: 'No requests.', accounts: 'Accounts', cluster: 'Cluster',
    range24h: 'Last 24 hours', range30d: 'Last 30 days', range12m: 'Last 12 months',
    requestsOverTime: 'Requests', tokensOverTime: 'Tokens', costOverTime: 'Cost', errorRate: 'Error and failover rates', failovers: 'Failovers',
    modelShare: 'Model share', poolShare: 'Pool share', shareBy: 'Share by', input: 'Input', output: 'Output',
    cacheRead: 'Cache read', cacheWrite: 'Cache write', errorsShare: 'Errors', coolingShare: 'Cooling errors (429, 529, 5xx)',
    windows: 'Rate-limit windows of subscription accounts', fiveHour: '5-hour window', weekly: 'Weekly window',
    noWindows: 'No account has reported its windows yet (Claude and Codex subscriptions report them with each answer).',
    poolDerived: 'Pools taken from the accounts that served the requests (the pool view holds requests recorded since it was added).',
    zone: 'Times in {zone}',
  },
  zh: {
    title: '仪表盘', members: '集群成员', activeKeys: '有效密钥', schedulable: '可调度账户',
    today: '今天', month: '本月', requests: '请求数', tokens: 'Token 数', cost: '费用', rated: '计费金额',
    errors: '错误', activeAccounts: '活跃账户', topKeys: '用量最多的密钥', topModels: '用量最多的模型', key: '密钥',
    model: '模型', noRequests: '没有请求。', accounts: '账户', cluster: '集群',
    range24h: '最近 24 小时', range30d: '最近 30 天', range12m: '最近 12 个月',
    requestsOverTime: '请求数', tokensOverTime: 'Token 数', costOverTime: '费用', errorRate: '错误率与故障转移率', failovers: '故障转移',
    modelShare: '模型占比', poolShare: '账户池占比', shareBy: '占比依据', input: '输入', output: '输出',
    cacheRead: '缓存读取', cacheWrite: '缓存写入', errorsShare: '错误', coolingShare: '冷却类错误（429、529、5xx）',
    windows: '订阅账户的限额窗口', fiveHour: '5 小时窗口', weekly: '每周窗口',
    noWindows: '还没有账户报告限额窗口（Claude 和 Codex 订阅会在每次响应中报告）。',
    poolDerived: '账户池根据处理请求的账户推算（账户池视图只包含新增该视图之后记录的请求）。',
    zone: '时区：{zone}',
  },
});

const RANGES = {
  '24h': { period: 'hour', ms: 24 * 3600e3 },
  '30d': { period: 'day', ms: 30 * 86400e3 },
  '12m': { period: 'month', ms: 365 * 86400e3 },
};

const SHARE = { requests: x => x.requests, tokens: tokensOf, cost: x => x.costMicros };

function params() {
  return new URLSearchParams(location.hash.split('?')[1] || '');
}

function link(changes) {
  const p = params();
  for (const [k, v] of Object.entries(changes)) p.set(k, v);
  return '#/dashboard?' + p;
}

export async function dashboard() {
  const p = params();
  const range = RANGES[p.get('range')] ? p.get('range') : '30d';
  const shareBy = SHARE[p.get('share')] ? p.get('share') : 'requests';
  const { period, ms } = RANGES[range];
  const query = { period, from: String(Date.now() - ms), to: String(Date.now() + 3600e3) };
  const [cluster, keys, accounts, ledger, models] = await Promise.all([
    api('GET', '/cluster'), api('GET', '/keys?deleted=true'), api('GET', '/accounts'), api('GET', '/usage/dashboard'),
    api('GET', '/usage/aggregates?' + new URLSearchParams({ ...query, by: 'model' }))]);
  const pools = await poolRows(query, accounts.data);
  const live = keys.data.filter(k => k.status !== 'deleted');
  const activeKeys = live.filter(k => k.status === 'active').length;
  const schedulable = accounts.data.filter(a => a.schedulable).length;
  const names = Object.fromEntries(keys.data.map(k => [k.id, k.name]));
  const zone = models.zone || ledger.zone;

  const ledgerWindow = (title, w) => h('section', { class: 'card' },
    h('h2', {}, title),
    h('div', { class: 'cards' },
      stat(t('requests'), num(w.totals.requests)),
      stat(t('tokens'), compact(w.totalTokens)),
      stat(t('cost'), usd(w.totals.costMicros)),
      stat(t('rated'), usd(w.totals.ratedCostMicros)),
      stat(t('errors'), num(w.totals.errors)),
      stat(t('activeAccounts'), num(w.activeAccounts))),
    h('div', { class: 'grid2' },
      h('div', {}, h('h3', {}, t('topKeys')), table(w.topKeys, [
        { label: t('key'), value: r => h('a', { href: '#/keys/' + encodeURIComponent(r.value) }, names[r.value] ?? r.value) },
        { label: t('requests'), value: r => num(r.totals.requests), num: true },
        { label: t('cost'), value: r => usd(r.totals.costMicros), num: true }], t('noRequests'))),
      h('div', {}, h('h3', {}, t('topModels')), table(w.topModels, [
        { label: t('model'), value: r => r.value },
        { label: t('requests'), value: r => num(r.totals.requests), num: true },
        { label: t('cost'), value: r => usd(r.totals.costMicros), num: true }], t('noRequests')))));

  const { buckets, totals } = totalsPerBucket(models.data, { period, from: Number(query.from), to: Date.now(), zone });
  const labels = bucketLabels(buckets, period, zone);
  const rate = (part) => totals.map(x => (x.requests ? part(x) / x.requests : 0));
  const shareFormat = shareBy === 'cost' ? usd : compact;
  const pie = (rows) => {
    const sums = new Map();
    for (const r of rows) sums.set(r.value, (sums.get(r.value) || 0) + SHARE[shareBy](r.totals));
    return [...sums.entries()].map(([name, value]) => ({ name, value }));
  };

  const rangeTabs = h('p', { class: 'tabs', 'data-test': 'dashboard-range' }, Object.keys(RANGES).map(r =>
    h('a', { href: link({ range: r }), class: r === range ? 'active' : '', 'data-test': 'range-' + r }, t('range' + r))));
  const shareTabs = h('p', { class: 'tabs' }, h('span', { class: 'muted' }, t('shareBy') + ':'), Object.keys(SHARE).map(s =>
    h('a', { href: link({ share: s }), class: s === shareBy ? 'active' : '', 'data-test': 'share-' + s }, t(s))));
  const windowed = accounts.data.filter(a => a.windows && (a.windows.fiveHour !== null || a.windows.weekly !== null));

  show(
    h('h1', {}, t('title')),
    h('div', { class: 'cards' },
      stat(t('members'), num(cluster.members?.length ?? 0), 'stat-members'),
      stat(t('activeKeys'), `${num(activeKeys)} / ${num(live.length)}`, 'stat-keys'),
      stat(t('schedulable'), `${num(schedulable)} / ${num(accounts.data.length)}`, 'stat-accounts')),
    rangeTabs,
    h('p', { class: 'muted' }, t('zone', { zone })),
    h('div', { class: 'grid2' },
      chartCard(t('requestsOverTime'), timeChart(labels, [{ name: t('requests'), data: totals.map(x => x.requests) }],
        { test: 'chart-requests', bars: period !== 'hour' })),
      chartCard(t('tokensOverTime'), timeChart(labels, [
        { name: t('input'), data: totals.map(x => x.inputTokens) },
        { name: t('output'), data: totals.map(x => x.outputTokens) },
        { name: t('cacheRead'), data: totals.map(x => x.cacheReadTokens) },
        { name: t('cacheWrite'), data: totals.map(x => x.cacheWrite5mTokens + x.cacheWrite1hTokens) }],
      { test: 'chart-tokens', stack: true, bars: period !== 'hour' })),
      chartCard(t('costOverTime'), timeChart(labels, [{ name: t('cost'), data: totals.map(x => x.costMicros) }],
        { test: 'chart-cost', format: usd, axisFormat: usd, bars: period !== 'hour' })),
      chartCard(t('errorRate'), timeChart(labels, [
        { name: t('errorsShare'), data: rate(x => x.errors) },
        { name: t('coolingShare'), data: rate(x => x.coolingErrors) },
        { name: t('failovers'), data: rate(x => x.failovers || 0) }], { test: 'chart-errors', format: percent, percent: true }))),
    shareTabs,
    h('div', { class: 'grid2' },
      chartCard(t('modelShare'), pieChart(pie(models.data), { test: 'chart-models', format: shareFormat })),
      chartCard(t('poolShare'), pieChart(pie(pools.rows), { test: 'chart-pools', format: shareFormat }),
        pools.derived && pools.rows.length ? h('p', { class: 'muted' }, t('poolDerived')) : null)),
    chartCard(t('windows'), windowed.length
      ? fractionBars(windowed.map(a => a.name), [
        { name: t('fiveHour'), data: windowed.map(a => a.windows.fiveHour) },
        { name: t('weekly'), data: windowed.map(a => a.windows.weekly) }], { test: 'chart-windows', format: percent })
      : h('p', { class: 'muted' }, t('noWindows'))),
    ledgerWindow(t('today'), ledger.today),
    ledgerWindow(t('month'), ledger.month),
    h('h2', {}, t('accounts')),
    accountTable(accounts.data, false),
    h('h2', {}, t('cluster')),
    clusterTable(cluster));
}
