// The key's usage over time: an ECharts bar chart of requests, tokens or cost, by day or by hour.
import { h } from '../dom.js';
import { compact, day, locale, num, usd } from '../i18n.js';
import { t } from './words.js';

let loading = null;

/** Loads ECharts (a classic script served by the relay) once; resolves to window.echarts. */
function echartsReady() {
  if (window.echarts) return Promise.resolve(window.echarts);
  if (!loading) {
    loading = new Promise((resolve, reject) => {
      const s = document.createElement('script');
      s.src = '/admin/vendor/echarts.min.js';
      s.onload = () => (window.echarts ? resolve(window.echarts) : reject(new Error('echarts missing')));
      s.onerror = () => { loading = null; reject(new Error('echarts could not be loaded')); };
      document.head.append(s);
    });
  }
  return loading;
}

const METRICS = ['requests', 'tokens', 'cost'];
let current = null; // the chart instance on the page, disposed before the next one

function hourLabel(iso) {
  return new Intl.DateTimeFormat(locale(), { hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
}

function valueOf(point, metric) {
  return metric === 'cost' ? point.costMicros : point[metric];
}

function formatValue(v, metric) {
  return metric === 'cost' ? usd(v) : num(v);
}

/** The card with its period and metric choices and the chart; state = {range, metric}, kept by the caller. */
export function usageChart(series, state) {
  const box = h('div', { class: 'chart', role: 'img', 'aria-label': t('usageTitle') });
  const status = h('p', { class: 'muted' }, t('chartLoading'));
  const choice = (name, values, labels) => h('div', { class: 'segmented', role: 'group', 'aria-label': t(name) },
    values.map(v => h('button', {
      type: 'button', class: state[name] === v ? 'on' : '', 'aria-pressed': state[name] === v ? 'true' : 'false',
      onclick: () => { state[name] = v; draw(); },
    }, labels[v])));
  const controls = h('div', { class: 'chart-controls' });

  function draw() {
    controls.replaceChildren(
      choice('range', ['daily', 'hourly'], { daily: t('last30'), hourly: t('today') }),
      choice('metric', METRICS, { requests: t('requests'), tokens: t('tokens'), cost: t('cost') }));
    const points = series[state.range] || [];
    echartsReady().then(echarts => {
      status.remove();
      if (current) current.dispose();
      current = echarts.init(box, null, { renderer: 'canvas' });
      const metric = state.metric;
      current.setOption({
        animation: false,
        grid: { left: 8, right: 8, top: 16, bottom: 8, containLabel: true },
        // Drawn on the canvas, not as HTML: nothing for the page's content security policy to refuse.
        tooltip: {
          trigger: 'axis', renderMode: 'richText',
          formatter: items => `${items[0].name}\n${t(metric)}: ${formatValue(items[0].value, metric)}`,
        },
        xAxis: {
          type: 'category',
          data: points.map(p => (state.range === 'daily' ? day(p.start) : hourLabel(p.start))),
          axisLabel: { hideOverlap: true },
        },
        yAxis: {
          type: 'value', minInterval: metric === 'cost' ? 0 : 1,
          axisLabel: { formatter: v => (metric === 'cost' ? usd(v) : compact(v)) },
        },
        series: [{ type: 'bar', name: t(metric), data: points.map(p => valueOf(p, metric)), itemStyle: { color: '#2f5bd3' } }],
      });
    }).catch(() => { status.textContent = t('chartUnavailable'); });
  }

  draw();
  return h('div', {}, controls, status, box);
}

window.addEventListener('resize', () => { if (current) current.resize(); });
