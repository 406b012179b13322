// The audit log: who did what to which key, account, alert target or admin, when and from where; filtered
// and paged. It never holds a secret (the node keeps only the names of the fields a change carried).

import { api } from '../client.js';
import { h, show } from '../dom.js';
import { relative, when, words } from '../i18n.js';
import { isOwner } from '../session.js';
import { label, options } from './parts/labels.js';
import { choice, grid, hashQuery, hint, pager } from './parts/ui.js';

const t = words({
  en: {
    title: 'Audit log', intro: 'Every admin change and sign-in, newest first. Only the names of the fields a change carried are kept, never their values.',
    from: 'From (day)', to: 'Until (day, inclusive)', actor: 'Admin', action: 'Action', object: 'Object', anyone: 'Anyone',
    any: 'Any', perPage: 'Per page', show: 'Show', clear: 'Clear filters',
    when: 'When', who: 'Who', what: 'What', on: 'On', fields: 'Fields changed', detail: 'Detail', where: 'From address',
    none: 'Nothing recorded with these filters.', unknownUser: '(unknown user)',
  },
  zh: {
    title: '审计日志', intro: '所有管理操作和登录，最新的在前。只记录变更涉及的字段名，从不记录字段值。',
    from: '开始日期', to: '结束日期（含）', actor: '管理员', action: '操作', object: '对象', anyone: '任何人',
    any: '任意', perPage: '每页', show: '查询', clear: '清除筛选',
    when: '时间', who: '操作人', what: '操作', on: '对象', fields: '变更字段', detail: '详情', where: '来源地址',
    none: '没有符合条件的记录。', unknownUser: '（未知用户）',
  },
});

const OBJECT_TYPES = ['key', 'account', 'webhook-target', 'admin', 'session', 'settings', 'usage'];
const FILTERS = ['from', 'to', 'actor', 'action', 'objectType', 'limit'];

/** The object an entry is about, by name, linked where the UI has a page for it. */
function objectCell(e) {
  const name = e.objectName || e.objectId;
  const kind = label('objectType', e.objectType);
  if (!name) return kind;
  const href = e.objectType === 'key' && e.objectId ? '#/keys/' + encodeURIComponent(e.objectId)
    : e.objectType === 'account' && e.objectId ? '#/accounts/' + encodeURIComponent(e.objectId) : null;
  return h('span', {}, kind, ': ', href && e.action !== 'deleted' ? h('a', { href }, name) : name);
}

/** The day after a yyyy-mm-dd date (the API's "to" is exclusive). */
function dayAfter(day) {
  const d = new Date(day + 'T00:00:00Z');
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

function filterForm(q, admins) {
  const actor = admins
    ? choice(t('actor'), 'actor', [['', t('anyone')], ...admins.map(a => [a.username, a.username])], q.get('actor') ?? '')
    : h('label', {}, t('actor'), h('input', { name: 'actor', value: q.get('actor') ?? '' }));
  const form = h('form', { class: 'inline card', 'data-test': 'audit-filters' },
    h('label', {}, t('from'), h('input', { type: 'date', name: 'from', value: q.get('from') ?? '' })),
    h('label', {}, t('to'), h('input', { type: 'date', name: 'to', value: q.get('to') ?? '' })),
    actor,
    choice(t('action'), 'action', [['', t('any')], ...options('action')], q.get('action') ?? ''),
    choice(t('object'), 'objectType', [['', t('any')], ...options('objectType', OBJECT_TYPES)], q.get('objectType') ?? ''),
    choice(t('perPage'), 'limit', [[50, '50'], [100, '100'], [200, '200'], [500, '500']], q.get('limit') ?? 100),
    h('button', { type: 'submit' }, t('show')),
    h('a', { href: '#/audit' }, t('clear')));
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    const next = new URLSearchParams();
    for (const name of FILTERS) if (form.elements[name].value) next.set(name, form.elements[name].value);
    location.hash = '#/audit?' + next;
  });
  return form;
}

export async function audit() {
  const q = hashQuery();
  const query = new URLSearchParams();
  for (const name of ['actor', 'action', 'objectType', 'limit', 'offset']) if (q.get(name)) query.set(name, q.get(name));
  // Days are the browser's own: from its midnight to the midnight after the last day.
  if (q.get('from')) query.set('from', new Date(q.get('from') + 'T00:00:00').toISOString());
  if (q.get('to')) query.set('to', new Date(dayAfter(q.get('to')) + 'T00:00:00').toISOString());
  const owner = await isOwner();
  const [page, admins] = await Promise.all([api('GET', '/audit?' + query),
    owner ? api('GET', '/admins').then(r => r.data).catch(() => null) : null]);
  const offset = Number(page.offset ?? 0);
  const limit = Number(page.limit ?? 100);
  const go = o => {
    const next = new URLSearchParams(q);
    next.set('offset', o);
    return '#/audit?' + next;
  };
  show(h('h1', {}, t('title')), hint(t('intro')), filterForm(q, admins),
    grid(page.data, [
      { label: t('when'), value: e => h('span', { title: relative(e.at) }, when(e.at)) },
      { label: t('who'), value: e => e.actor ?? t('unknownUser') },
      { label: t('what'), value: e => h('span', { 'data-action': e.action }, label('action', e.action)) },
      { label: t('on'), value: e => objectCell(e) },
      { label: t('fields'), value: e => (e.fields || []).map(f => label('field', f)).join(', ') || '-' },
      { label: t('detail'), value: e => e.detail ?? '-' },
      { label: t('where'), value: e => e.client ?? '-' },
    ], t('none')),
    pager(page.data.length, offset, limit, page.nextOffset, go));
}
