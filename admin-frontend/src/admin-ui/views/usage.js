// Usage: charts over time (by key, model, account or pool), the request log (each request links to its decision
// trace), aggregates, the accounts' usage, windows and cooling, prices, re-pricing and rebuild. CSV of the log
// and the aggregates. Keys and accounts appear by name.

import { api, button, downloadButton, act } from '../client.js';
import { h, num, show, table, usd, when } from '../dom.js';
import { requestTable } from '../tables.js';
import { compact, duration, words } from '../i18n.js';
import { canWrite } from '../session.js';
import {
  bucketLabels, chartCard, fractionBars, percent, poolRows, rateBy, seriesBy, timeChart, tokensOf, totalsPerBucket,
} from '../charts.js';

const t = words({
  en: {
    title: 'Usage', charts: 'Charts', requests: 'Request log', aggregates: 'Aggregates', accounts: 'Accounts',
    prices: 'Prices and re-pricing', show: 'Show', period: 'Period', hour: 'Hour', day: 'Day', month: 'Month',
    by: 'Group by', key: 'Key', model: 'Model', account: 'Account', pool: 'Pool', metric: 'Show',
    mRequests: 'Requests', mTokens: 'Tokens', mCost: 'Cost', mErrors: 'Errors', from: 'From', to: 'To',
    anyKey: 'Any key', anyAccount: 'Any account', status: 'Status', downloadCsv: 'Download CSV', older: 'Older →',
    newer: '← Newer', fromRow: 'From row {n}', overTime: '{metric} {by}', by_key: 'by key', by_model: 'by model', by_account: 'by account', by_pool: 'by pool', errorRates: 'Error rates',
    errorsShare: 'Errors', coolingShare: 'Cooling errors (429, 529, 5xx)', failover: 'Failovers',
    failoverNote: 'Failovers (requests that needed more than one account) in this range: {n} ({share}).', errorRateBy: 'Error rate {by}', bucket: 'Bucket', only: 'Only this one', all: 'All',
    input: 'Input', output: 'Output', cacheRead: 'Cache read', cacheWrite: 'Cache write 5m / 1h', cost: 'Cost',
    rated: 'Rated', errors: 'Errors', coolingErrors: 'Cooling errors', errorRate: 'Error rate', tokens: 'Tokens',
    nothing: 'Nothing in this period.', windows: 'Rate-limit windows (5-hour and weekly)', fiveHour: '5-hour window',
    weekly: 'Weekly window', noWindows: 'No account has reported its windows yet (Claude and Codex subscriptions report them with each answer).',
    cooling: 'Cooling now', family: 'Model family', until: 'Until', reason: 'Reason', noCooling: 'No account is cooling down.',
    coolingHistory: 'Cooling errors over time (answers that put an account in cooldown)',
    coolingHistoryNote: 'The relay keeps no log of past cooldowns; the answers that caused them (429, 529, 5xx) are counted per account here.',
    summary: 'Usage per account', defaultMonth: 'Default: this month.', priceTable: 'Price table', version: 'Version',
    models: 'Models priced', overrideFile: 'Override file', fallbackModel: 'Fallback model', reprice: 'Re-pricing',
    repriceNote: 'Recomputes the costs of a period from the journal with the current price table; the recorded events stay as they are.',
    repriceButton: 'Re-price this period', repriced: '{n} of {total} requests re-priced with {version}: {old} → {new} (rated {oldRated} → {newRated})',
    oldCost: 'Old cost', newCost: 'New cost', noChange: 'No cost changed.', rebuild: 'Rebuild',
    rebuildNote: 'Empties the request log and the aggregates and replays the whole journal into them.',
    rebuildButton: 'Rebuild the views from the journal', rebuildConfirm: 'Empty the request log and aggregates and replay the whole journal? Re-pricings are undone.',
    poolDerived: 'Pools taken from the accounts that served the requests (the pool view holds requests recorded since it was added).',
    zone: 'Buckets in {zone}', none: '(none)', other: 'Other', readOnly: 'Re-pricing and rebuilding need the admin or owner role.',
  },
  zh: {
    title: '用量', charts: '图表', requests: '请求日志', aggregates: '汇总', accounts: '账户',
    prices: '价格与重新计价', show: '显示', period: '周期', hour: '小时', day: '天', month: '月',
    by: '分组', key: '密钥', model: '模型', account: '账户', pool: '账户池', metric: '指标',
    mRequests: '请求数', mTokens: 'Token 数', mCost: '费用', mErrors: '错误数', from: '开始', to: '结束',
    anyKey: '全部密钥', anyAccount: '全部账户', status: '状态码', downloadCsv: '下载 CSV', older: '更早 →',
    newer: '← 更新', fromRow: '从第 {n} 行起', overTime: '{metric}（{by}）', by_key: '按密钥', by_model: '按模型', by_account: '按账户', by_pool: '按账户池', errorRates: '错误率',
    errorsShare: '错误', coolingShare: '冷却类错误（429、529、5xx）', failover: '故障转移',
    failoverNote: '此范围内的故障转移（需要多个账户才完成的请求）：{n}（{share}）。', errorRateBy: '错误率（{by}）', bucket: '时间段', only: '仅此项', all: '全部',
    input: '输入', output: '输出', cacheRead: '缓存读取', cacheWrite: '缓存写入 5分钟 / 1小时', cost: '费用',
    rated: '计费', errors: '错误', coolingErrors: '冷却类错误', errorRate: '错误率', tokens: 'Token 数',
    nothing: '此期间没有数据。', windows: '限额窗口（5 小时与每周）', fiveHour: '5 小时窗口',
    weekly: '每周窗口', noWindows: '还没有账户报告限额窗口（Claude 和 Codex 订阅会在每次响应中报告）。',
    cooling: '正在冷却', family: '模型系列', until: '直到', reason: '原因', noCooling: '没有账户在冷却。',
    coolingHistory: '冷却类错误趋势（导致账户冷却的响应）',
    coolingHistoryNote: '中继不保存历史冷却记录；这里按账户统计导致冷却的响应（429、529、5xx）。',
    summary: '各账户用量', defaultMonth: '默认：本月。', priceTable: '价格表', version: '版本',
    models: '已定价模型', overrideFile: '覆盖文件', fallbackModel: '后备模型', reprice: '重新计价',
    repriceNote: '用当前价格表根据日志重新计算某段时间的费用；已记录的事件保持不变。',
    repriceButton: '重新计价此期间', repriced: '已用 {version} 重新计价 {total} 个请求中的 {n} 个：{old} → {new}（计费 {oldRated} → {newRated}）',
    oldCost: '原费用', newCost: '新费用', noChange: '没有费用变化。', rebuild: '重建',
    rebuildNote: '清空请求日志和汇总，并从日志完整重放。',
    rebuildButton: '从日志重建视图', rebuildConfirm: '清空请求日志和汇总并完整重放日志？重新计价的结果将被撤销。',
    poolDerived: '账户池根据处理请求的账户推算（账户池视图只包含新增该视图之后记录的请求）。',
    zone: '时间段按 {zone} 划分', none: '（无）', other: '其他', readOnly: '重新计价和重建需要管理员或所有者角色。',
  },
});

const METRICS = {
  requests: { label: 'mRequests', of: x => x.requests, format: compact },
  tokens: { label: 'mTokens', of: tokensOf, format: compact },
  cost: { label: 'mCost', of: x => x.costMicros, format: usd },
  errors: { label: 'mErrors', of: x => x.errors, format: compact },
};

const DIMENSIONS = ['key', 'model', 'account', 'pool'];

/** YYYY-MM-DD of a day relative to today (browser's calendar). */
function isoDay(offsetDays) {
  const d = new Date(Date.now() + offsetDays * 86400e3);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

function select(name, label, options, current) {
  return h('label', {}, label, h('select', { name, 'data-test': 'filter-' + name },
    options.map(([value, text]) => h('option', { value, selected: String(current ?? '') === String(value) }, text))));
}

function input(name, label, current, attrs = {}) {
  return h('label', {}, label, h('input', { name, value: current ?? '', 'data-test': 'filter-' + name, ...attrs }));
}

/** A filter form whose fields become the page's query; submitting reloads the tab with them. */
function filterForm(tab, fields) {
  const form = h('form', { class: 'inline card', 'data-test': 'usage-filter' }, fields, h('button', { type: 'submit' }, t('show')));
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    const q = new URLSearchParams({ tab });
    for (const el of form.elements) if (el.name && el.value) q.set(el.name, el.value);
    location.hash = '#/usage?' + q;
  });
  return form;
}

/** The API query for a tab: the page's filters without the tab and the chart's own choices. */
function query(params, extra = {}) {
  const q = new URLSearchParams(params);
  for (const k of ['tab', 'metric']) q.delete(k);
  for (const [k, v] of Object.entries(extra)) q.set(k, v);
  return q.toString();
}

/** Names of keys (deleted ones too) and accounts by id. */
async function directory() {
  const [keys, accounts] = await Promise.all([api('GET', '/keys?deleted=true'), api('GET', '/accounts')]);
  return {
    keyList: keys.data, accountList: accounts.data,
    keys: Object.fromEntries(keys.data.map(k => [k.id, k.name])),
    accounts: Object.fromEntries(accounts.data.map(a => [a.id, a.name])),
  };
}

function valueName(by, names) {
  return v => (by === 'key' ? names.keys[v] : by === 'account' ? names.accounts[v] : null) ?? (v === '(none)' ? t('none') : v);
}

const usageTabs = {
  async charts(params) {
    const period = ['hour', 'day', 'month'].includes(params.get('period')) ? params.get('period') : 'day';
    const by = DIMENSIONS.includes(params.get('by')) ? params.get('by') : 'model';
    const metric = METRICS[params.get('metric')] ? params.get('metric') : 'requests';
    const from = params.get('from') || isoDay(period === 'hour' ? -1 : period === 'month' ? -365 : -29);
    const to = params.get('to') || isoDay(1);
    const q = { period, from, to };
    const names = await directory();
    const grouped = by === 'pool' ? await poolRows(q, names.accountList)
      : await api('GET', '/usage/aggregates?' + new URLSearchParams({ ...q, by })).then(r => ({ rows: r.data, zone: r.zone }));
    const zone = grouped.zone;
    const m = METRICS[metric];
    const fill = { period, from: Date.parse(from), to: Math.min(Date.parse(to), Date.now()), zone };
    const name = valueName(by, names);
    const { buckets, series } = seriesBy(grouped.rows, m.of, { top: 8, name, fill });
    const labels = bucketLabels(buckets, period, zone);
    const totals = totalsPerBucket(grouped.rows, fill);
    const rate = part => totals.totals.map(x => (x.requests ? part(x) / x.requests : null));
    const errorsBy = rateBy(grouped.rows, x => x.errors, { top: 8, name, fill });
    const failed = totals.totals.reduce((n, x) => n + (x.failovers || 0), 0);
    const all = totals.totals.reduce((n, x) => n + x.requests, 0);
    return h('div', {},
      filterForm('charts', [
        select('period', t('period'), [['hour', t('hour')], ['day', t('day')], ['month', t('month')]], period),
        input('from', t('from'), from, { type: 'date' }),
        input('to', t('to'), to, { type: 'date' }),
        select('by', t('by'), DIMENSIONS.map(d => [d, t(d)]), by),
        select('metric', t('metric'), Object.entries(METRICS).map(([k, v]) => [k, t(v.label)]), metric)]),
      h('p', { class: 'muted' }, t('zone', { zone })),
      chartCard(t('overTime', { metric: t(m.label), by: t('by_' + by) }),
        timeChart(labels, series, { format: m.format, axisFormat: metric === 'cost' ? usd : compact,
          stack: true, bars: buckets.length <= 62, test: 'chart-usage' }),
        grouped.derived && grouped.rows.length ? h('p', { class: 'muted' }, t('poolDerived')) : null),
      h('div', { class: 'grid2' },
        chartCard(t('errorRates'), timeChart(labels, [
          { name: t('errorsShare'), data: rate(x => x.errors) },
          { name: t('coolingShare'), data: rate(x => x.coolingErrors) },
          { name: t('failover'), data: rate(x => x.failovers || 0) }], { format: percent, percent: true, test: 'chart-error-rate' }),
        h('p', { class: 'muted' }, t('failoverNote', { n: num(failed), share: percent(all ? failed / all : 0) }))),
        chartCard(t('errorRateBy', { by: t('by_' + by) }), timeChart(bucketLabels(errorsBy.buckets, period, zone), errorsBy.series,
          { format: percent, percent: true, test: 'chart-error-rate-by' }))));
  },

  async requests(params) {
    const [page, names] = await Promise.all([
      api('GET', '/usage/requests?' + query(params, { limit: params.get('limit') || 100 })), directory()]);
    const offset = Number(params.get('offset') || 0);
    const limit = Number(params.get('limit') || 100);
    const at = o => '#/usage?' + new URLSearchParams({ ...Object.fromEntries(params), tab: 'requests', offset: o });
    const more = page.nextOffset != null ? h('a', { href: at(page.nextOffset), 'data-test': 'older' }, t('older')) : null;
    const back = offset > 0 ? h('a', { href: at(Math.max(0, offset - limit)), 'data-test': 'newer' }, t('newer')) : null;
    return h('div', {},
      filterForm('requests', [
        select('keyId', t('key'), [['', t('anyKey')], ...names.keyList.map(k => [k.id, k.name])], params.get('keyId')),
        select('accountId', t('account'), [['', t('anyAccount')], ...names.accountList.map(a => [a.id, a.name])], params.get('accountId')),
        input('model', t('model'), params.get('model')),
        input('status', t('status'), params.get('status'), { type: 'number', min: 100, max: 599 }),
        input('from', t('from'), params.get('from'), { type: 'date' }),
        input('to', t('to'), params.get('to'), { type: 'date' })]),
      h('div', { class: 'toolbar' },
        downloadButton(t('downloadCsv'), '/usage/requests.csv?' + query(params, { limit: 100000, offset: 0 }), 'requests.csv',
          { 'data-test': 'csv-requests' }),
        back, offset > 0 ? h('span', { class: 'muted' }, t('fromRow', { n: num(offset + 1) })) : null, more),
      requestTable(page.data, true, names));
  },

  async aggregates(params) {
    const period = params.get('period') || 'day';
    const by = params.get('by') || 'model';
    const p = new URLSearchParams(params);
    p.set('period', period);
    p.set('by', by);
    const [rows, names] = await Promise.all([api('GET', '/usage/aggregates?' + query(p)), directory()]);
    const name = valueName(by, names);
    const valueChoices = by === 'key' ? names.keyList.map(k => [k.id, k.name])
      : by === 'account' ? names.accountList.map(a => [a.id, a.name]) : null;
    return h('div', {},
      filterForm('aggregates', [
        select('period', t('period'), [['hour', t('hour')], ['day', t('day')], ['month', t('month')]], period),
        select('by', t('by'), DIMENSIONS.map(d => [d, t(d)]), by),
        valueChoices ? select('value', t('only'), [['', t('all')], ...valueChoices], params.get('value'))
          : input('value', t('only'), params.get('value')),
        input('from', t('from'), params.get('from'), { type: 'date' }),
        input('to', t('to'), params.get('to'), { type: 'date' })]),
      h('div', { class: 'toolbar' }, downloadButton(t('downloadCsv'), '/usage/aggregates.csv?' + query(p), 'aggregates.csv',
        { 'data-test': 'csv-aggregates' }), h('span', { class: 'muted' }, t('zone', { zone: rows.zone }))),
      table(rows.data, [
        { label: t('bucket'), value: r => bucketLabels([r.bucketStart], r.period, rows.zone)[0] },
        { label: t(by), value: r => name(r.value) },
        { label: t('mRequests'), value: r => num(r.totals.requests), num: true },
        { label: t('input'), value: r => num(r.totals.inputTokens), num: true },
        { label: t('output'), value: r => num(r.totals.outputTokens), num: true },
        { label: t('cacheRead'), value: r => num(r.totals.cacheReadTokens), num: true },
        { label: t('cacheWrite'), value: r => `${num(r.totals.cacheWrite5mTokens)} / ${num(r.totals.cacheWrite1hTokens)}`, num: true },
        { label: t('cost'), value: r => usd(r.totals.costMicros), num: true },
        { label: t('rated'), value: r => usd(r.totals.ratedCostMicros), num: true },
        { label: t('errors'), value: r => num(r.totals.errors), num: true },
      ], t('nothing')));
  },

  async accounts(params) {
    const now = Date.now();
    const [rows, names, cooling] = await Promise.all([
      api('GET', '/usage/accounts?' + query(params)), directory(),
      api('GET', '/usage/aggregates?' + new URLSearchParams({ period: 'day', by: 'account', from: String(now - 30 * 86400e3) }))]);
    const name = valueName('account', names);
    const windowed = names.accountList.filter(a => a.windows && (a.windows.fiveHour !== null || a.windows.weekly !== null));
    const coolingNow = names.accountList.flatMap(a => (a.cooldowns || []).map(c => ({ ...c, account: a.name })));
    const coolRows = cooling.data.filter(r => r.totals.coolingErrors > 0);
    const hist = seriesBy(coolRows, x => x.coolingErrors, { top: 8, name,
      fill: { period: 'day', from: now - 30 * 86400e3, to: now, zone: cooling.zone } });
    return h('div', {},
      chartCard(t('windows'), windowed.length
        ? fractionBars(windowed.map(a => a.name), [
          { name: t('fiveHour'), data: windowed.map(a => a.windows.fiveHour) },
          { name: t('weekly'), data: windowed.map(a => a.windows.weekly) }], { test: 'chart-windows', format: percent })
        : h('p', { class: 'muted' }, t('noWindows'))),
      chartCard(t('coolingHistory'),
        timeChart(bucketLabels(hist.buckets, 'day', cooling.zone), hist.series, { bars: true, stack: true, test: 'chart-cooling' }),
        h('p', { class: 'muted' }, t('coolingHistoryNote'))),
      h('h2', {}, t('cooling')),
      table(coolingNow, [
        { label: t('account'), value: c => c.account },
        { label: t('family'), value: c => c.family },
        { label: t('until'), value: c => when(c.until) },
        { label: t('status'), value: c => c.status ?? '-' },
        { label: t('reason'), value: c => c.reason ?? '-' },
      ], t('noCooling')),
      h('h2', {}, t('summary')),
      filterForm('accounts', [input('from', t('from'), params.get('from'), { type: 'date' }),
        input('to', t('to'), params.get('to'), { type: 'date' })]),
      h('p', { class: 'muted' }, t('defaultMonth')),
      table(rows.data, [
        { label: t('account'), value: r => r.accountId && names.accounts[r.accountId]
          ? h('a', { href: '#/accounts/' + encodeURIComponent(r.accountId) }, names.accounts[r.accountId]) : name(r.accountId ?? '(none)') },
        { label: t('mRequests'), value: r => num(r.totals.requests), num: true },
        { label: t('tokens'), value: r => num(tokensOf(r.totals)), num: true },
        { label: t('cost'), value: r => usd(r.totals.costMicros), num: true },
        { label: t('errorRate'), value: r => percent(r.errorRate), num: true },
        { label: t('coolingErrors'), value: r => num(r.totals.coolingErrors), num: true },
      ], t('nothing')));
  },

  async prices() {
    const [prices, writer] = await Promise.all([api('GET', '/usage/prices'), canWrite()]);
    const info = h('div', { class: 'card' }, h('h3', {}, t('priceTable')),
      table([prices], [
        { label: t('version'), value: p => p.version },
        { label: t('models'), value: p => num(p.models), num: true },
        { label: t('fallbackModel'), value: p => p.fallbackModel || '-' },
        { label: t('overrideFile'), value: p => p.overrideFile || '-' }]));
    if (!writer) return h('div', {}, info, h('p', { class: 'muted' }, t('readOnly')));
    const reprice = h('form', { class: 'inline card', 'data-test': 'reprice-form' },
      input('from', t('from'), isoDay(-30), { type: 'date', required: true }),
      input('to', t('to'), isoDay(1), { type: 'date', required: true }),
      h('button', { type: 'submit', 'data-test': 'reprice' }, t('repriceButton')));
    const result = h('div', { 'data-test': 'reprice-result' });
    reprice.addEventListener('submit', ev => {
      ev.preventDefault();
      act(reprice, async () => {
        const r = await api('POST', '/usage/reprice', { from: reprice.elements.from.value, to: reprice.elements.to.value });
        result.replaceChildren(h('p', {}, t('repriced', { n: num(r.requestsRepriced), total: num(r.requestsScanned),
          version: r.priceVersion, old: usd(r.oldCostMicros), new: usd(r.newCostMicros), oldRated: usd(r.oldRatedCostMicros),
          newRated: usd(r.newRatedCostMicros) })),
        table(r.byModel, [
          { label: t('model'), value: m => m.model },
          { label: t('mRequests'), value: m => num(m.requestsRepriced), num: true },
          { label: t('oldCost'), value: m => usd(m.oldCostMicros), num: true },
          { label: t('newCost'), value: m => usd(m.newCostMicros), num: true }], t('noChange')));
      });
    });
    const rebuild = button(t('rebuildButton'), 'danger write', t('rebuildConfirm'), () => api('POST', '/usage/rebuild'));
    return h('div', {}, info,
      h('h2', {}, t('reprice')), h('p', { class: 'muted' }, t('repriceNote')), reprice, result,
      h('h2', {}, t('rebuild')), h('p', { class: 'muted' }, t('rebuildNote')), rebuild);
  },
};

export async function usage() {
  const params = new URLSearchParams(location.hash.split('?')[1] || '');
  const tab = usageTabs[params.get('tab')] ? params.get('tab') : 'charts';
  const tabs = ['charts', 'requests', 'aggregates', 'accounts', 'prices'];
  const nav = h('p', { class: 'tabs', 'data-test': 'usage-tabs' }, tabs.map(id =>
    h('a', { href: '#/usage?tab=' + id, class: id === tab ? 'active' : '', 'data-test': 'tab-' + id }, t(id))));
  const body = await usageTabs[tab](params);
  show(h('h1', {}, t('title')), nav, body);
}
