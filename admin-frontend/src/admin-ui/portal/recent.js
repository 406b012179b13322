// The key's own newest requests: time, model, dialect, tokens, cost and status.
import { h } from '../dom.js';
import { duration, num, usd, when } from '../i18n.js';
import { t } from './words.js';

function statusCell(r) {
  const ok = r.status > 0 && r.status < 400 && r.complete !== false;
  const label = [String(r.status || ''), r.complete === false ? t('incomplete') : ''].filter(Boolean).join(' · ');
  return h('span', { class: 'pill ' + (ok ? 'ok' : 'error'), title: r.outcome || '' }, label || '-');
}

/** The client's dialect, or "client → upstream" when the relay converted the request; "-" when not recorded. */
function dialectCell(r) {
  const client = r.clientDialect, upstream = r.upstreamDialect;
  if (!client && !upstream) return '-';
  if (!client || !upstream || client === upstream) return client || upstream;
  return h('span', { title: t('converted') }, `${client} → ${upstream}`);
}

export function recentTable(recent) {
  const rows = (recent || []).map(r => h('tr', {},
    h('td', {}, when(r.time)),
    h('td', { class: 'model' }, r.model || '-'),
    h('td', { 'data-test': 'dialect' }, dialectCell(r)),
    h('td', { class: 'num' }, num(r.tokens)),
    h('td', { class: 'num' }, usd(r.costMicros)),
    h('td', {}, statusCell(r)),
    h('td', { class: 'num' }, duration(r.durationMs))));
  return h('div', { class: 'scroll' }, h('table', { 'data-test': 'recent' },
    h('thead', {}, h('tr', {}, h('th', {}, t('time')), h('th', {}, t('model')), h('th', {}, t('dialect')),
      h('th', { class: 'num' }, t('tokens')), h('th', { class: 'num' }, t('cost')), h('th', {}, t('status')),
      h('th', { class: 'num' }, t('duration')))),
    h('tbody', {}, rows.length ? rows : h('tr', {}, h('td', { colspan: '7', class: 'muted' }, t('noRecent'))))));
}
