// Upstream accounts: the list with health, adding one of every kind, and one account with its health,
// cooldowns, quota, the keys dedicated to it, and its settings.

import { act, api, reload } from '../client.js';
import { dialog, h, show, stat } from '../dom.js';
import { duration, num, relative, when, words } from '../i18n.js';
import { canWrite } from '../session.js';
import { commonBody, commonFields } from './parts/accountfields.js';
import { addAccount, credentialBody, credentialFields } from './parts/accountforms.js';
import { label, statePill } from './parts/labels.js';
import { history, requestGrid } from './parts/requests.js';
import { action, facts, grid, hint, keyLink, percent, section, yesNo } from './parts/ui.js';

const t = words({
  en: {
    title: 'Upstream accounts', add: 'Add an account', none: 'No accounts yet.', noneWriter: 'No accounts yet: add one above.',
    name: 'Name', type: 'Type', pool: 'Pool', state: 'State', cooling: 'Cooling', tier: 'Tier', groups: 'Groups',
    priority: 'Priority', maxConcurrency: 'At once', utilisation: 'Used', proxy: 'Proxy', unlimited: 'Unlimited',
    pause: 'Pause', resume: 'Resume', test: 'Test', reset: 'Reset health', delete: 'Delete',
    confirmDelete: 'Delete account "{name}"? Keys dedicated to it fall back to the pool or stop.',
    confirmPause: 'Pause account "{name}"? It takes no new requests until resumed.',
    confirmReset: 'Clear the cooldowns, block and unauthorized mark of "{name}"?',
    testOk: '"{name}" answered', testBad: '"{name}" did not answer well', testFacts: 'Status {status} in {ms}.',
    coolUntil: '{family} until {until} ({relative})', notCooling: '-',
    pool_: 'Pool', baseUrl: 'Base URL', priceMultiplier: 'Price multiplier', inFlight: 'In flight', lastUsed: 'Last used',
    fiveHour: '5-hour window used', weekly: 'Weekly window used', created: 'Added', updated: 'Changed',
    project: 'Google Cloud project', quota: 'Code Assist quota', quotaRead: 'Read {when}, in the background while the account is used.',
    model: 'Model', counts: 'Counts', left: 'Left', amountLeft: 'Amount left', resets: 'Resets',
    quotaNone: 'Not read yet: the quota is read in the background once the account is used.',
    cooldowns: 'Cooldowns', family: 'Models', until: 'Until', status: 'Status', reason: 'Reason', kind: 'Kind',
    transient: 'Short (transient)', untilReset: 'Until the quota resets', noCooldowns: 'None: the account is not cooling down.',
    errors: 'Recent errors', at: 'When', message: 'Message', noErrors: 'No errors recently.',
    healthHistory: 'Health history', noHistory: 'Nothing has happened to this account yet.', event: 'What happened',
    'h_cooldown-started': 'Cooling started', 'h_cooldown-ended': 'Cooling ended', h_blocked: 'Blocked',
    h_unauthorized: 'Credentials refused', h_reset: 'Health reset by an admin', h_utilisation: 'Fullest window at {p}',
    boundKeys: 'Keys dedicated to this account', noBound: 'No key is dedicated to this account.', fallback: 'Falls back to the pool',
    edit: 'Edit', credentials: 'Replace the credentials (empty = keep them)', project_: 'Google Cloud project id',
    recent: 'Recent requests', changes: 'Changes', allRequests: 'All requests of this account →', usage: 'Usage of this account',
    why: 'Why', added: 'Account "{name}" added.', settings: 'Settings', schedulable: 'May be chosen',
  },
  zh: {
    title: '上游账户', add: '添加账户', none: '暂无账户。', noneWriter: '暂无账户：请在上方添加。',
    name: '名称', type: '类型', pool: '账户池', state: '状态', cooling: '冷却', tier: '等级', groups: '分组',
    priority: '优先级', maxConcurrency: '并发', utilisation: '已用', proxy: '代理', unlimited: '不限',
    pause: '暂停', resume: '恢复', test: '测试', reset: '重置健康状态', delete: '删除',
    confirmDelete: '删除账户“{name}”？专属于它的密钥将回退到账户池或停止工作。',
    confirmPause: '暂停账户“{name}”？恢复前它不再接收新请求。',
    confirmReset: '清除“{name}”的冷却、封禁和未授权标记？',
    testOk: '“{name}”应答正常', testBad: '“{name}”应答异常', testFacts: '状态码 {status}，耗时 {ms}。',
    coolUntil: '{family} 冷却至 {until}（{relative}）', notCooling: '-',
    pool_: '账户池', baseUrl: 'Base URL', priceMultiplier: '价格倍率', inFlight: '进行中', lastUsed: '最近使用',
    fiveHour: '5 小时窗口已用', weekly: '每周窗口已用', created: '添加时间', updated: '修改时间',
    project: 'Google Cloud 项目', quota: 'Code Assist 配额', quotaRead: '读取于 {when}，账户被使用时在后台更新。',
    model: '模型', counts: '计量', left: '剩余', amountLeft: '剩余数量', resets: '重置时间',
    quotaNone: '尚未读取：账户被使用后会在后台读取配额。',
    cooldowns: '冷却', family: '模型', until: '截止', status: '状态码', reason: '原因', kind: '类型',
    transient: '短暂', untilReset: '直到配额重置', noCooldowns: '无：账户未在冷却。',
    errors: '最近错误', at: '时间', message: '信息', noErrors: '最近没有错误。',
    healthHistory: '健康历史', noHistory: '这个账户还没有任何记录。', event: '事件',
    'h_cooldown-started': '开始冷却', 'h_cooldown-ended': '冷却结束', h_blocked: '已封禁',
    h_unauthorized: '凭据被拒绝', h_reset: '管理员重置了健康状态', h_utilisation: '最满的窗口达到 {p}',
    boundKeys: '专属于此账户的密钥', noBound: '没有密钥专属于此账户。', fallback: '可回退到账户池',
    edit: '编辑', credentials: '替换凭据（留空 = 保持不变）', project_: 'Google Cloud 项目 ID',
    recent: '最近请求', changes: '变更记录', allRequests: '此账户的全部请求 →', usage: '此账户的用量',
    why: '原因', added: '账户“{name}”已添加。', settings: '设置', schedulable: '可被调度',
  },
});

function coolingText(a) {
  const c = a.cooldowns || [];
  if (!c.length) return t('notCooling');
  return c.map(x => t('coolUntil', { family: label('family', x.family), until: when(x.until), relative: relative(x.until) })).join('; ');
}

/** Pause or resume, test, reset, delete; {@code onDelete} after a delete. */
function accountActions(a, onDelete = reload) {
  const path = '/accounts/' + encodeURIComponent(a.id);
  const paused = a.status === 'paused';
  const test = h('button', { type: 'button', class: 'secondary', 'data-test': 'test' }, t('test'));
  test.addEventListener('click', () => act(test, async () => {
    const r = await api('POST', path + '/test');
    dialog(h('h2', {}, r.ok ? t('testOk', { name: a.name }) : t('testBad', { name: a.name })),
      h('p', {}, t('testFacts', { status: r.status || '-', ms: duration(r.latencyMs) })), r.message ? h('p', {}, r.message) : null);
  }));
  return h('div', { class: 'actions' },
    action(paused ? t('resume') : t('pause'), 'secondary', paused ? null : t('confirmPause', { name: a.name }),
      () => api('PATCH', path, { paused: !paused }), reload, { 'data-test': paused ? 'resume' : 'pause' }),
    test,
    action(t('reset'), 'secondary', t('confirmReset', { name: a.name }), () => api('POST', path + '/reset'), reload, { 'data-test': 'reset' }),
    action(t('delete'), 'danger', t('confirmDelete', { name: a.name }), () => api('DELETE', path), onDelete, { 'data-test': 'delete' }));
}

export async function accounts() {
  const [list, writer] = await Promise.all([api('GET', '/accounts'), canWrite()]);
  const adder = writer ? h('details', { class: 'card' }, h('summary', { 'data-test': 'add-account' }, t('add')),
    addAccount(created => { dialog(h('p', {}, t('added', { name: created.name }))); reload(); })) : null;
  show(h('h1', {}, t('title')), adder,
    grid(list.data, [
      { label: t('name'), value: a => h('a', { href: '#/accounts/' + encodeURIComponent(a.id) }, a.name) },
      { label: t('type'), value: a => label('accountType', a.type) },
      { label: t('state'), value: a => h('span', { title: a.stateReason ?? '' }, statePill(a.state || a.status)) },
      { label: t('cooling'), value: a => coolingText(a) },
      { label: t('tier'), value: a => label('tier', a.tier) },
      { label: t('groups'), value: a => (a.groups || []).join(', ') || '-' },
      { label: t('priority'), value: a => num(a.priority), num: true },
      { label: t('maxConcurrency'), value: a => a.maxConcurrency ? num(a.maxConcurrency) : t('unlimited'), num: true },
      { label: t('utilisation'), value: a => percent(a.utilisation), num: true },
      { label: t('proxy'), value: a => a.proxy ?? '-' },
      ...(writer ? [{ label: '', value: a => accountActions(a) }] : []),
    ], writer ? t('noneWriter') : t('none')));
}

function quotaSection(a) {
  return section(t('quota'),
    a.quota ? hint(t('quotaRead', { when: when(a.quota.fetchedAt) })) : null,
    grid(a.quota?.buckets || [], [
      { label: t('model'), value: b => b.modelId ?? '-' },
      { label: t('counts'), value: b => b.tokenType ?? '-' },
      { label: t('left'), value: b => percent(b.remainingFraction), num: true },
      { label: t('amountLeft'), value: b => num(b.remainingAmount), num: true },
      { label: t('resets'), value: b => b.resetTime ? `${when(b.resetTime)} (${relative(b.resetTime)})` : '-' },
    ], t('quotaNone')));
}

function editForm(a, path) {
  const gemini = a.type === 'gemini-oauth';
  const form = h('form', { class: 'keyform', 'data-test': 'account-form-' + a.type, autocomplete: 'off' },
    commonFields(a, { tier: a.type.endsWith('oauth'), base: a.baseUrl }),
    gemini ? h('label', {}, t('project_'), h('input', { name: 'projectId', value: a.projectId ?? '', autocomplete: 'off' })) : null,
    h('fieldset', {}, h('legend', {}, t('credentials')), ...credentialFields(a.type)),
    h('button', { type: 'submit', 'data-test': 'save' }, t('save')));
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    act(form.lastChild, async () => {
      const body = { ...commonBody(form, true), ...credentialBody(form, a.type) };
      if (gemini && form.elements.projectId.value.trim() !== (a.projectId ?? '')) {
        body.projectId = form.elements.projectId.value.trim() || null;
      }
      await api('PATCH', path, body);
      form.reset();
      reload();
    });
  });
  return form;
}

export async function account(id) {
  const path = '/accounts/' + encodeURIComponent(id);
  const [a, keys, log, writer, past] = await Promise.all([api('GET', path), api('GET', '/keys'),
    api('GET', '/usage/requests?accountId=' + encodeURIComponent(id) + '&limit=20'), canWrite(),
    api('GET', path + '/history')]);
  const keyName = kid => keys.data.find(k => k.id === kid)?.name;
  const bound = keys.data.filter(k => Object.values(k.bindings || {}).some(b => b.accountId === id
    || (b.group && (a.groups || []).includes(b.group))));
  const usageLink = '#/usage?tab=requests&accountId=' + encodeURIComponent(id);
  const changes = await history('account', id);
  show(h('h1', {}, a.name, ' ', statePill(a.state || a.status)),
    a.stateReason ? h('p', { class: 'error' }, a.stateReason) : null,
    h('div', { class: 'actions' }, writer ? accountActions(a, () => { location.hash = '#/accounts'; }) : null,
      h('a', { href: usageLink, class: 'button-link' }, t('usage'))),
    h('div', { class: 'cards' },
      stat(t('utilisation'), percent(a.utilisation)),
      stat(t('fiveHour'), percent(a.windows?.fiveHour)),
      stat(t('weekly'), percent(a.windows?.weekly)),
      stat(t('inFlight'), num(a.leasesInFlight)),
      stat(t('lastUsed'), a.lastUsedAt ? relative(a.lastUsedAt) : '-')),
    section(t('cooldowns'), grid(a.cooldowns || [], [
      { label: t('family'), value: c => label('family', c.family) },
      { label: t('until'), value: c => `${when(c.until)} (${relative(c.until)})` },
      { label: t('status'), value: c => c.status || '-', num: true },
      { label: t('reason'), value: c => c.reason },
      { label: t('kind'), value: c => c.transient ? t('transient') : t('untilReset') },
    ], t('noCooldowns'))),
    section(t('settings'), facts([
      [t('type'), label('accountType', a.type)], [t('pool_'), label('pool', a.platform)], [t('tier'), label('tier', a.tier)],
      [t('priority'), num(a.priority)], [t('maxConcurrency'), a.maxConcurrency ? num(a.maxConcurrency) : t('unlimited')],
      [t('groups'), (a.groups || []).join(', ') || '-'], [t('priceMultiplier'), '× ' + num(a.priceMultiplier)],
      [t('proxy'), a.proxy ?? '-'], [t('baseUrl'), a.baseUrl],
      a.type === 'gemini-oauth' ? [t('project'), a.projectId ?? '-'] : null,
      ...Object.entries(a.settings || {}).map(([name, value]) => [name, value]),
      [t('schedulable'), yesNo(a.schedulable)], [t('created'), when(a.createdAt)], [t('updated'), when(a.updatedAt)],
    ])),
    a.type === 'gemini-oauth' ? quotaSection(a) : null,
    section(t('healthHistory'), grid((past.data || []).slice(0, 100), [
      { label: t('at'), value: e => when(e.at) },
      { label: t('event'), value: e => t('h_' + e.kind, { p: percent(e.utilisation) }) },
      { label: t('family'), value: e => e.family ? label('family', e.family) : '-' },
      { label: t('until'), value: e => e.until ? when(e.until) : '-' },
      { label: t('status'), value: e => e.status || '-', num: true },
      { label: t('reason'), value: e => h('span', { class: 'wrap' }, e.reason ?? '-') },
    ], t('noHistory'))),
    section(t('errors'), grid(a.recentErrors || [], [
      { label: t('at'), value: e => when(e.at) },
      { label: t('status'), value: e => e.status || '-', num: true },
      { label: t('kind'), value: e => label('verdict', e.kind) },
      { label: t('message'), value: e => h('span', { class: 'wrap' }, e.message ?? '-') },
    ], t('noErrors'))),
    section(t('boundKeys'), grid(bound, [
      { label: t('name'), value: k => keyLink(k.id, k.name) },
      { label: t('pool'), value: k => Object.entries(k.bindings).filter(([, b]) => b.accountId === id
        || (a.groups || []).includes(b.group)).map(([p, b]) => label('pool', p) + (b.fallbackToPool ? ` (${t('fallback')})` : '')).join(', ') },
      { label: t('state'), value: k => statePill(k.status) },
    ], t('noBound'))),
    writer ? h('details', { class: 'card' }, h('summary', { 'data-test': 'edit-account' }, t('edit')), editForm(a, path)) : null,
    section(t('recent'), requestGrid(log.data, { keyName, withKey: true, withAccount: false }),
      h('p', {}, h('a', { href: usageLink }, t('allRequests')))),
    changes ? section(t('changes'), changes) : null);
}
