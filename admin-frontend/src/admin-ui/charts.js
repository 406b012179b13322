// Charts over ECharts (served from its WebJar at /admin/vendor/echarts.min.js, loaded once when a page first
// draws one). Each chart is a <div class="chart"> that draws itself when it is first laid out and follows its
// box's size (a ResizeObserver: window resizes, the menu opening, a phone turned round). Labels, numbers, money
// and times come formatted from the caller (i18n.js), so a language change re-renders the page and its charts.

import { api } from './client.js';
import { h } from './dom.js';
import { compact, locale, words } from './i18n.js';

const t = words({ en: { noData: 'No data in this range.', other: 'Other' }, zh: { noData: '此范围内没有数据。', other: '其他' } });

const PALETTE = ['#2f5bd3', '#1f9d74', '#e08a1e', '#b3261e', '#7b4fd6', '#1597b5', '#c2457a', '#6b7385', '#8aa01c', '#d4b106'];

let loading = null;

/** ECharts (window.echarts), loading the script the first time. */
export function echartsLib() {
  if (window.echarts) return Promise.resolve(window.echarts);
  if (!loading) {
    loading = new Promise((resolve, reject) => {
      const s = document.createElement('script');
      s.src = '/admin/vendor/echarts.min.js';
      s.onload = () => resolve(window.echarts);
      s.onerror = () => { loading = null; reject(new Error('the chart library did not load')); };
      document.head.append(s);
    });
  }
  return loading;
}

/**
 * A chart box: draws {@code option} (an ECharts option) once the box has a size, and keeps it fitted.
 * {@code test}: its data-test name. An empty chart shows a short note instead.
 */
export function chart(option, { test, height, empty = false } = {}) {
  const box = h('div', { class: 'chart', 'data-test': test });
  if (height) box.classList.add('chart-' + height);
  if (empty) {
    box.classList.add('chart-empty');
    box.append(h('p', { class: 'muted' }, t('noData')));
    return box;
  }
  let instance = null;
  const observer = new ResizeObserver(() => {
    if (!box.isConnected) {
      observer.disconnect();
      instance?.dispose();
      instance = null;
      return;
    }
    if (box.clientWidth === 0) return;
    if (instance) {
      instance.resize();
      return;
    }
    echartsLib().then(echarts => {
      if (instance || !box.isConnected) return;
      instance = echarts.init(box, null, { renderer: 'canvas' });
      // Tooltips drawn on the canvas (richText), not as HTML with inline styles, which the UI's CSP refuses.
      const tooltip = option.tooltip ? { ...option.tooltip, renderMode: 'richText' } : undefined;
      instance.setOption({ color: PALETTE, animationDuration: 300, ...option, tooltip });
    }).catch(e => box.replaceChildren(h('p', { class: 'error' }, e.message)));
  });
  observer.observe(box);
  return box;
}

/** A titled card around charts. */
export function chartCard(title, ...content) {
  return h('section', { class: 'card chart-card' }, h('h3', {}, title), ...content);
}

/**
 * A line (or stacked bar) chart over buckets: {@code labels} for the x axis, {@code series} [{name, data}],
 * {@code format} for values in tooltips and on the axis (default: compact counts).
 */
export function timeChart(labels, series, { format = compact, axisFormat, bars = false, stack = false, test, percent = false } = {}) {
  const empty = labels.length === 0 || series.length === 0;
  const narrow = window.innerWidth < 600;
  return chart({
    tooltip: { trigger: 'axis', confine: true, valueFormatter: v => (v === null || v === undefined ? '-' : format(v)) },
    legend: { show: series.length > 1, type: 'scroll', top: 0, data: series.map(s => s.name) },
    grid: { left: 8, right: 16, top: series.length > 1 ? 36 : 16, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: labels, boundaryGap: bars, axisLabel: { hideOverlap: true } },
    yAxis: {
      // Shares: room above the highest (at least 5 %), never past 100 %.
      type: 'value', min: 0, max: percent ? (v => Math.min(1, Math.max(0.05, v.max * 1.25))) : undefined,
      axisLabel: { formatter: v => (axisFormat || format)(v), fontSize: narrow ? 10 : 12, showMaxLabel: !percent },
    },
    series: series.map(s => ({
      name: s.name, type: bars ? 'bar' : 'line', data: s.data, stack: stack ? 'all' : undefined, barMaxWidth: 36,
      smooth: !bars, showSymbol: labels.length < 40, areaStyle: stack && !bars ? { opacity: 0.25 } : undefined,
      emphasis: { focus: 'series' },
    })),
  }, { test, empty });
}

/** A pie of shares: {@code items} [{name, value}], biggest first; beyond {@code top} they are summed as "Other". */
export function pieChart(items, { format = compact, top = 8, test } = {}) {
  const sorted = items.filter(i => i.value > 0).sort((a, b) => b.value - a.value);
  const shown = sorted.slice(0, top);
  const rest = sorted.slice(top).reduce((s, i) => s + i.value, 0);
  if (rest > 0) shown.push({ name: t('other'), value: rest });
  const narrow = window.innerWidth < 600;
  return chart({
    tooltip: { trigger: 'item', confine: true, valueFormatter: v => format(v) },
    legend: { type: 'scroll', orient: narrow ? 'horizontal' : 'vertical', right: narrow ? undefined : 0,
      bottom: narrow ? 0 : undefined, top: narrow ? undefined : 'middle' },
    series: [{
      type: 'pie', radius: ['40%', '68%'], center: narrow ? ['50%', '45%'] : ['38%', '50%'],
      avoidLabelOverlap: true, label: { show: false }, data: shown,
    }],
  }, { test, empty: shown.length === 0 });
}

/** Horizontal bars, one per name, values 0..1 shown as percentages (utilisation windows). */
export function fractionBars(names, series, { test, format } = {}) {
  const empty = names.length === 0;
  return chart({
    tooltip: { trigger: 'axis', confine: true, axisPointer: { type: 'shadow' }, valueFormatter: v => (v === null || v === undefined ? '-' : format(v)) },
    legend: { top: 0 },
    grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
    xAxis: { type: 'value', min: 0, max: 1, axisLabel: { formatter: v => format(v) } },
    yAxis: { type: 'category', data: names, inverse: true, axisLabel: { width: window.innerWidth < 600 ? 90 : 180, overflow: 'truncate' } },
    series: series.map(s => ({ name: s.name, type: 'bar', data: s.data, barMaxWidth: 14 })),
  }, { test, empty, height: names.length > 6 ? 'tall' : undefined });
}

/**
 * Buckets of aggregate rows as one series per value: the top {@code top} values by {@code rankBy} (default
 * {@code metric}), the rest summed as "Other".
 */
export function seriesBy(rows, metric, { top = 6, name = v => v, fill, rankBy = metric } = {}) {
  const buckets = withFill([...new Set(rows.map(r => r.bucketStart))].sort((a, b) => a - b), fill);
  const totals = new Map();
  for (const r of rows) totals.set(r.value, (totals.get(r.value) || 0) + rankBy(r.totals));
  const ranked = [...totals.entries()].sort((a, b) => b[1] - a[1]).map(e => e[0]);
  const kept = ranked.slice(0, top);
  const index = new Map(buckets.map((b, i) => [b, i]));
  const series = kept.map(v => ({ name: name(v), data: buckets.map(() => 0), value: v }));
  const other = { name: t('other'), data: buckets.map(() => 0) };
  for (const r of rows) {
    const k = kept.indexOf(r.value);
    (k >= 0 ? series[k] : other).data[index.get(r.bucketStart)] += metric(r.totals);
  }
  if (ranked.length > top) series.push(other);
  return { buckets, series };
}

/**
 * Per value (the top {@code top} by requests) and bucket, the share {@code part(totals) / requests}; null where a
 * bucket had no request of that value.
 */
export function rateBy(rows, part, { top = 6, name = v => v, fill } = {}) {
  const requests = seriesBy(rows, x => x.requests, { top, name, fill });
  const parts = seriesBy(rows, part, { top, name, fill, rankBy: x => x.requests });
  const series = requests.series.filter(s => s.value !== undefined).map((s, i) => ({
    name: s.name,
    data: s.data.map((n, j) => (n ? parts.series[i].data[j] / n : null)),
  }));
  return { buckets: requests.buckets, series };
}

/** Per bucket, the sum of every row's totals (zero totals for a filled, empty bucket). */
export function totalsPerBucket(rows, fill) {
  const buckets = withFill([...new Set(rows.map(r => r.bucketStart))].sort((a, b) => a - b), fill);
  const sums = new Map(buckets.map(b => [b, null]));
  for (const r of rows) {
    const s = sums.get(r.bucketStart);
    sums.set(r.bucketStart, s ? addTotals(s, r.totals) : { ...r.totals });
  }
  return { buckets, totals: buckets.map(b => sums.get(b) || ZERO) };
}

const ZERO = { requests: 0, inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWrite5mTokens: 0,
  cacheWrite1hTokens: 0, costMicros: 0, ratedCostMicros: 0, errors: 0, coolingErrors: 0, failovers: 0 };

/** {@code fill}: {period, from, to, zone} to add the empty buckets of the range (see fillBuckets). */
function withFill(buckets, fill) {
  return fill ? fillBuckets(buckets, fill.period, fill.from, fill.to, fill.zone) : buckets;
}

function addTotals(a, b) {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = (out[k] || 0) + v;
  return out;
}

/** All tokens of a totals object. */
export function tokensOf(x) {
  return (x.inputTokens || 0) + (x.outputTokens || 0) + (x.cacheReadTokens || 0)
    + (x.cacheWrite5mTokens || 0) + (x.cacheWrite1hTokens || 0);
}

/**
 * A formatter of bucket starts (epoch millis) for an axis: hours as day and hour, days as dates, months as month
 * and year, in the ledger's zone (buckets are cut there) and the chosen language.
 */
export function bucketLabeler(period, zone) {
  // Hours without minutes, so that any instant formats as the label of its bucket.
  const opts = period === 'hour' ? { month: 'numeric', day: 'numeric', hour: 'numeric' }
    : period === 'month' ? { year: 'numeric', month: 'short' } : { month: 'short', day: 'numeric' };
  let fmt;
  try {
    fmt = new Intl.DateTimeFormat(locale(), { ...opts, timeZone: zone || undefined });
  } catch {
    fmt = new Intl.DateTimeFormat(locale(), opts);
  }
  return b => fmt.format(new Date(b));
}

export function bucketLabels(buckets, period, zone) {
  const label = bucketLabeler(period, zone);
  return buckets.map(label);
}

/**
 * The buckets with data plus the empty hours or days between {@code from} and {@code to} (epoch millis), so a
 * quiet day shows as zero instead of being left out. Steps of 1 h / 24 h from a real bucket, one per label (a
 * daylight-saving day is still one bucket); months, and more than 2,000 buckets, are left as they are.
 */
export function fillBuckets(buckets, period, from, to, zone) {
  if (period === 'month' || buckets.length === 0 || !(from < to)) return buckets;
  const step = period === 'hour' ? 3600e3 : 86400e3;
  if ((to - from) / step > 2000) return buckets;
  const label = bucketLabeler(period, zone);
  const have = new Set(buckets.map(label));
  const out = [...buckets];
  const anchor = buckets[0];
  for (let b = anchor - Math.ceil((anchor - from) / step) * step; b < to; b += step) {
    if (b < from - step / 2) continue;
    const l = label(b);
    if (!have.has(l)) {
      have.add(l);
      out.push(b);
    }
  }
  return out.sort((a, b) => a - b);
}

/** A share (0..1) as a percentage with one decimal. */
export function percent(x) {
  return new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: 1 }).format(Number(x) || 0);
}

/**
 * Aggregate rows by pool. The pool dimension only holds requests recorded since it was added; when it has no
 * rows in the range but the account dimension has, the pool is taken from each account's own pool (its
 * "platform"), which is right for every request an account served (requests no account served stay "(none)").
 */
export async function poolRows(query, accounts) {
  const pools = await api('GET', '/usage/aggregates?' + new URLSearchParams({ ...query, by: 'pool' }));
  if (pools.data.length > 0) return { rows: pools.data, zone: pools.zone, derived: false };
  const byAccount = await api('GET', '/usage/aggregates?' + new URLSearchParams({ ...query, by: 'account' }));
  const poolOf = Object.fromEntries(accounts.map(a => [a.id, a.platform]));
  return { rows: byAccount.data.map(r => ({ ...r, dimension: 'pool', value: poolOf[r.value] ?? r.value })),
    zone: byAccount.zone, derived: true };
}
