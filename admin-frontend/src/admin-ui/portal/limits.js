// Every limit the key has: what is used, what remains, and when it resets. Nothing is shown as "null".
import { h } from '../dom.js';
import { num, relative, usd, when } from '../i18n.js';
import { t } from './words.js';

function amount(value, unit) {
  if (value === undefined || value === null) return t('notApplicable');
  return unit === 'micros' ? usd(value) : num(value);
}

function resets(l) {
  if (l.note === 'window-not-open') return t('windowNotOpen');
  if (l.note === 'never-resets') return t('neverResets');
  if (l.resetsAt) return t('expiresAt', { when: when(l.resetsAt), relative: relative(l.resetsAt) });
  return t('notApplicable');
}

function bar(l) {
  const share = l.limit > 0 ? Math.min(1, l.used / l.limit) : 0;
  const fill = h('span', { class: share >= 1 ? 'fill full' : share >= 0.8 ? 'fill high' : 'fill' });
  fill.style.width = (share * 100).toFixed(1) + '%';
  return h('span', { class: 'meter', title: (share * 100).toFixed(0) + '%' }, fill);
}

function expiryRow(l) {
  let text;
  if (l.note === 'activation-pending') text = t('activationPending', { duration: days(l.afterFirstUseMillis) });
  else if (l.note === 'expired') text = t('expiredAt', { when: when(l.expiresAt) });
  else text = t('expiresAt', { when: when(l.expiresAt), relative: relative(l.expiresAt) });
  return h('tr', { 'data-limit': 'expiry' }, h('th', { scope: 'row' }, t('l_expiry')),
    h('td', { colspan: '3', class: l.note === 'expired' ? 'bad' : '' }, text));
}

function days(ms) {
  return ms % 86_400_000 === 0 ? t('nDays', { n: num(ms / 86_400_000) }) : t('nHours', { n: num(Math.round(ms / 3_600_000)) });
}

export function limitsTable(limits) {
  const rows = (limits || []).map(l => {
    if (l.name === 'expiry') return expiryRow(l);
    return h('tr', { 'data-limit': l.name },
      h('th', { scope: 'row' }, t('l_' + l.name, { minutes: num(l.windowMinutes) })),
      h('td', { class: 'num' }, amount(l.used, l.unit), ' / ', amount(l.limit, l.unit), bar(l)),
      h('td', { class: 'num' }, amount(l.remaining, l.unit)),
      h('td', {}, resets(l)));
  });
  return h('div', { class: 'scroll' }, h('table', { 'data-test': 'limits' },
    h('thead', {}, h('tr', {}, h('th', {}, t('limit')), h('th', { class: 'num' }, t('used')),
      h('th', { class: 'num' }, t('remaining')), h('th', {}, t('resets')))),
    h('tbody', {}, rows.length ? rows : h('tr', {}, h('td', { colspan: '4', class: 'muted' }, t('noLimits'))))));
}
