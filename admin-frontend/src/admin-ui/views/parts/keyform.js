// The form for an API key's settings: every field the admin API takes, as choices where there are choices.
// It submits the whole settings object (a PATCH with every field equals setting them all); money in USD,
// 0 = no limit.

import { act } from '../../client.js';
import { field, h } from '../../dom.js';
import { locale, words } from '../../i18n.js';
import { label } from './labels.js';
import { choice, hint, select, splitList, textarea } from './ui.js';

const t = words({
  en: {
    basics: 'Name and notes', name: 'Name', description: 'Description', tags: 'Tags (comma-separated)',
    access: 'What the key may use', pools: 'Pools', allPools: 'All pools', somePools: 'Only the pools ticked',
    clients: 'Clients', anyClient: 'Any client', someClients: 'Only the clients ticked',
    otherClients: 'Other client kinds (from relay.keys.client-patterns, comma-separated)',
    models: 'Model rules', modelsHint: 'Names, with * for any run of characters (claude-opus-*, *opus*). Allowed rules, when there are any, are the only models the key may use; blocked rules refuse models.',
    allow: 'Allow', block: 'Block', pattern: 'Model or pattern', addRule: 'Add a rule', remove: 'Remove',
    limits: 'Limits', limitsHint: '0 or empty = no limit. Cost limits count rated cost (real cost × service rate).',
    concurrency: 'Requests at once', window: 'Rate window', noWindow: 'No rate window', minutes: '{n} min', hours: '{n} h',
    day: '1 day', windowRequests: 'Requests per window', windowTokens: 'Tokens per window', windowCost: 'Cost per window (USD)',
    daily: 'Cost per day (USD)', total: 'Cost in all (USD)', weeklyOpus: 'Opus cost per week (USD)',
    resetDay: 'The week starts on', resetHour: 'at',
    expiry: 'Expiry', never: 'Never expires', fixed: 'Expires at a date', activation: 'Expires a while after its first use',
    expiresAt: 'Expires at (your time)', after: 'After', days: 'days', hoursUnit: 'hours',
    rates: 'Service rates', ratesHint: 'Multiplies this key\'s cost per pool for its limits (1 = list price).',
    bindings: 'Dedicated accounts', bindingsHint: 'A key bound to an account or a group uses it first; with fallback it may also use the rest of the pool.',
    shared: 'The shared pool', account: 'Account: {name}', group: 'Group: {name}', fallback: 'may fall back to the shared pool',
    modelMap: 'Model map', modelMapHint: 'This key\'s own names, read before the operator\'s map: a name or a pattern with * goes to a pool, as the upstream model given (empty: the name as asked). E.g. claude-* → OpenAI, gpt-5.1-codex runs Claude Code on the Codex pool.',
    mapMatch: 'Name or pattern', mapModel: 'Upstream model (optional)', addMapping: 'Add a mapping',
    save: 'Save', create: 'Create key', expiresAtMissing: 'Choose when the key expires.',
  },
  zh: {
    basics: '名称与备注', name: '名称', description: '描述', tags: '标签（逗号分隔）',
    access: '密钥可以使用的范围', pools: '账户池', allPools: '全部账户池', somePools: '仅勾选的账户池',
    clients: '客户端', anyClient: '任意客户端', someClients: '仅勾选的客户端',
    otherClients: '其他客户端类型（来自 relay.keys.client-patterns，逗号分隔）',
    models: '模型规则', modelsHint: '模型名，* 匹配任意字符（claude-opus-*、*opus*）。有允许规则时，密钥只能使用这些模型；屏蔽规则拒绝对应模型。',
    allow: '允许', block: '屏蔽', pattern: '模型或通配', addRule: '添加规则', remove: '移除',
    limits: '限额', limitsHint: '0 或留空表示不限。费用限额按计费费用（实际费用 × 服务倍率）计算。',
    concurrency: '同时请求数', window: '速率窗口', noWindow: '无速率窗口', minutes: '{n} 分钟', hours: '{n} 小时',
    day: '1 天', windowRequests: '每窗口请求数', windowTokens: '每窗口 Token 数', windowCost: '每窗口费用（美元）',
    daily: '每日费用（美元）', total: '总费用（美元）', weeklyOpus: '每周 Opus 费用（美元）',
    resetDay: '每周开始于', resetHour: '时间',
    expiry: '有效期', never: '永不过期', fixed: '在指定时间过期', activation: '首次使用后一段时间过期',
    expiresAt: '过期时间（本地时间）', after: '首次使用后', days: '天', hoursUnit: '小时',
    rates: '服务倍率', ratesHint: '按账户池放大此密钥的计费费用，用于限额（1 = 原价）。',
    bindings: '专属账户', bindingsHint: '绑定到账户或分组的密钥优先使用它；允许回退时也可以使用池中其他账户。',
    shared: '共享账户池', account: '账户：{name}', group: '分组：{name}', fallback: '允许回退到共享账户池',
    modelMap: '模型映射', modelMapHint: '此密钥自己的模型名，先于运营者的映射生效：模型名或带 * 的通配发往某个账户池，并以填写的上游模型请求（留空则按原名）。例如 claude-* → OpenAI、gpt-5.1-codex 可让 Claude Code 使用 Codex 账户池。',
    mapMatch: '模型名或通配', mapModel: '上游模型（可选）', addMapping: '添加映射',
    save: '保存', create: '创建密钥', expiresAtMissing: '请选择密钥的过期时间。',
  },
});

const POOLS = ['claude', 'openai', 'gemini', 'droid'];
const CLIENTS = ['claude-code', 'codex', 'gemini-cli', 'droid'];
const WINDOWS = [1, 5, 15, 30, 60, 180, 300, 720, 1440];
const MODEL_HINTS = ['claude-opus-*', 'claude-sonnet-*', 'claude-haiku-*', '*opus*', 'gpt-5*', 'gpt-5-codex*',
  'gemini-*-pro*', 'gemini-*-flash*'];

function windowLabel(m) {
  if (m === 1440) return t('day');
  return m % 60 === 0 ? t('hours', { n: m / 60 }) : t('minutes', { n: m });
}

/** A datetime-local value in the browser's own time for an instant. */
function localInput(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
}

function number(name, labelText, value, attrs = {}) {
  return field(labelText, name, { type: 'number', min: 0, step: 'any', value: value || '', placeholder: '0', ...attrs });
}

function ticks(name, values, chosen, labelOf) {
  return h('div', { class: 'ticks' }, values.map(v => h('label', { class: 'check' },
    h('input', { type: 'checkbox', name, value: v, checked: chosen.includes(v) }), labelOf(v))));
}

/** One model rule row: allow or block, and a pattern. */
function ruleRow(kind, pattern) {
  const row = h('div', { class: 'inline rule', 'data-test': 'model-rule' },
    select('ruleKind', [['allow', t('allow')], ['block', t('block')]], kind),
    h('input', { name: 'rulePattern', value: pattern ?? '', list: 'model-hints', placeholder: 'claude-opus-*', 'aria-label': t('pattern') }));
  row.append(h('button', { type: 'button', class: 'link', onclick: () => row.remove() }, t('remove')));
  return row;
}

/** One row of the key's model map: a name or pattern, the pool it goes to, the upstream model (optional). */
function mapRow(rule) {
  const row = h('div', { class: 'inline rule', 'data-test': 'model-map-rule' },
    h('input', { name: 'mapMatch', value: rule?.match ?? '', list: 'model-hints', placeholder: 'claude-*', 'aria-label': t('mapMatch') }),
    select('mapPool', POOLS.map(p => [p, label('pool', p)]), rule?.pool ?? 'claude', { 'aria-label': t('pools') }),
    h('input', { name: 'mapModel', value: rule?.model ?? '', placeholder: 'gpt-5.1-codex', 'aria-label': t('mapModel') }));
  row.append(h('button', { type: 'button', class: 'link', onclick: () => row.remove() }, t('remove')));
  return row;
}

/** Weekdays in the locale, 1 = Monday … 7 = Sunday. */
function weekdays() {
  const fmt = new Intl.DateTimeFormat(locale(), { weekday: 'long', timeZone: 'UTC' });
  return [1, 2, 3, 4, 5, 6, 7].map(d => [d, fmt.format(new Date(Date.UTC(2024, 0, d)))]); // 2024-01-01 was a Monday
}

/** The binding choices of one pool: the shared pool, each account of the pool, each group of its accounts. */
function bindingChoice(pool, accounts, binding) {
  const mine = accounts.filter(a => a.platform === pool);
  const groups = [...new Set(mine.flatMap(a => a.groups || []))].sort();
  const current = binding?.accountId ? 'account:' + binding.accountId : binding?.group ? 'group:' + binding.group : '';
  const opts = [['', t('shared')], ...mine.map(a => ['account:' + a.id, t('account', { name: a.name })]),
    ...groups.map(g => ['group:' + g, t('group', { name: g })])];
  if (current && !opts.some(([v]) => v === current)) opts.push([current, current.replace(/^\w+:/, '')]);
  return h('div', { class: 'inline' },
    choice(label('pool', pool), 'bind-' + pool, opts, current),
    h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'fallback-' + pool,
      checked: binding ? binding.fallbackToPool : false }), t('fallback')));
}

/**
 * The key form; {@code key} null for a new key, {@code accounts} the accounts (for bindings by name).
 * {@code submit(body)} is called with the settings.
 */
export function keyForm(key, accounts, submit) {
  const k = key || {};
  const w = k.rateLimit || {};
  const e = k.expiry || { mode: 'none' };
  const pools = Array.isArray(k.permissions) ? k.permissions : [];
  const clients = k.allowedClients || [];
  const windows = [...WINDOWS];
  if (w.windowMinutes && !windows.includes(w.windowMinutes)) windows.push(w.windowMinutes);
  const rules = h('div', { class: 'rules' },
    ...(k.allowedModels || []).map(m => ruleRow('allow', m)), ...(k.blockedModels || []).map(m => ruleRow('block', m)));
  const mappings = h('div', { class: 'rules' }, ...(k.modelMap || []).map(mapRow));
  const expiryMode = select('expiryMode', [['none', t('never')], ['fixed', t('fixed')], ['activation', t('activation')]], e.mode);
  const fixed = field(t('expiresAt'), 'expiresAt', { type: 'datetime-local', value: localInput(e.expiresAt) });
  const activation = h('div', { class: 'inline' },
    field(t('after'), 'activationAmount', { type: 'number', min: 1, step: 1, value: e.days ?? e.hours ?? 30 }),
    choice('\u00a0', 'activationUnit', [['days', t('days')], ['hours', t('hoursUnit')]], e.hours ? 'hours' : 'days'));
  const showExpiry = () => { fixed.hidden = expiryMode.value !== 'fixed'; activation.hidden = expiryMode.value !== 'activation'; };
  expiryMode.addEventListener('change', showExpiry);
  showExpiry();
  const poolMode = select('poolMode', [['all', t('allPools')], ['some', t('somePools')]], pools.length ? 'some' : 'all');
  const poolTicks = ticks('pools', POOLS, pools, v => label('pool', v));
  const clientMode = select('clientMode', [['any', t('anyClient')], ['some', t('someClients')]], clients.length ? 'some' : 'any');
  const extraClients = clients.filter(c => !CLIENTS.includes(c));
  const clientTicks = h('div', {}, ticks('clients', CLIENTS, clients, v => label('client', v)),
    field(t('otherClients'), 'otherClients', { value: extraClients.join(', ') }));
  const toggles = () => { poolTicks.hidden = poolMode.value !== 'some'; clientTicks.hidden = clientMode.value !== 'some'; };
  poolMode.addEventListener('change', toggles);
  clientMode.addEventListener('change', toggles);
  toggles();
  const bindPools = POOLS.filter(p => accounts.some(a => a.platform === p) || k.bindings?.[p]);

  const form = h('form', { class: 'keyform', 'data-test': 'key-form' },
    h('datalist', { id: 'model-hints' }, MODEL_HINTS.map(m => h('option', { value: m }))),
    h('fieldset', {}, h('legend', {}, t('basics')),
      field(t('name'), 'name', { required: true, maxlength: 100, value: k.name ?? '', placeholder: 'alice-laptop' }),
      field(t('tags'), 'tags', { value: (k.tags || []).join(', ') }),
      textarea(t('description'), 'description', { rows: 2, maxlength: 1000 }, k.description ?? '')),
    h('fieldset', {}, h('legend', {}, t('access')),
      h('label', {}, t('pools'), poolMode), poolTicks,
      h('label', {}, t('clients'), clientMode), clientTicks),
    h('fieldset', {}, h('legend', {}, t('models')), hint(t('modelsHint')), rules,
      h('button', { type: 'button', class: 'secondary', onclick: () => rules.append(ruleRow('allow', '')) }, t('addRule'))),
    h('fieldset', {}, h('legend', {}, t('modelMap')), hint(t('modelMapHint')), mappings,
      h('button', { type: 'button', class: 'secondary', 'data-test': 'add-mapping', onclick: () => mappings.append(mapRow(null)) },
        t('addMapping'))),
    h('fieldset', {}, h('legend', {}, t('limits')), hint(t('limitsHint')),
      number('concurrencyLimit', t('concurrency'), k.concurrencyLimit, { step: 1 }),
      choice(t('window'), 'windowMinutes', [[0, t('noWindow')], ...windows.map(m => [m, windowLabel(m)])], w.windowMinutes ?? 0),
      number('windowRequests', t('windowRequests'), w.requests, { step: 1 }),
      number('windowTokens', t('windowTokens'), w.tokens, { step: 1 }),
      number('windowCost', t('windowCost'), w.cost),
      number('dailyCostLimit', t('daily'), k.dailyCostLimit),
      number('totalCostLimit', t('total'), k.totalCostLimit),
      number('weeklyOpusCostLimit', t('weeklyOpus'), k.weeklyOpusCostLimit),
      choice(t('resetDay'), 'weeklyResetDay', weekdays(), k.weeklyResetDay ?? 1),
      choice(t('resetHour'), 'weeklyResetHour',
        Array.from({ length: 24 }, (_, i) => [i, String(i).padStart(2, '0') + ':00']), k.weeklyResetHour ?? 0)),
    h('fieldset', {}, h('legend', {}, t('expiry')), h('label', {}, t('expiry'), expiryMode), fixed, activation),
    h('fieldset', {}, h('legend', {}, t('rates')), hint(t('ratesHint')),
      POOLS.map(p => number('rate-' + p, label('pool', p), k.serviceRates?.[p], { min: 0.001, placeholder: '1' }))),
    bindPools.length ? h('fieldset', {}, h('legend', {}, t('bindings')), hint(t('bindingsHint')),
      bindPools.map(p => bindingChoice(p, accounts, k.bindings?.[p]))) : null,
    h('button', { type: 'submit', 'data-test': 'save' }, key ? t('save') : t('create')));
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    act(form.lastChild, () => submit(keyBody(form, bindPools)));
  });
  return form;
}

function keyBody(form, bindPools) {
  const f = form.elements;
  const n = name => Number(f[name].value || 0);
  const ticked = name => [...form.querySelectorAll(`input[name="${name}"]:checked`)].map(c => c.value);
  const pools = ticked('pools');
  const clients = [...ticked('clients'), ...splitList(f.otherClients.value)];
  const rules = [...form.querySelectorAll('[data-test="model-rule"]')]
    .map(r => [r.querySelector('select').value, r.querySelector('input').value.trim()]).filter(([, p]) => p);
  const body = {
    name: f.name.value.trim(),
    description: f.description.value,
    tags: splitList(f.tags.value),
    permissions: f.poolMode.value === 'some' && pools.length ? pools : 'all',
    allowedClients: f.clientMode.value === 'some' ? clients : [],
    allowedModels: rules.filter(([kind]) => kind === 'allow').map(([, p]) => p),
    blockedModels: rules.filter(([kind]) => kind === 'block').map(([, p]) => p),
    concurrencyLimit: n('concurrencyLimit'),
    rateLimit: n('windowMinutes') > 0 ? {
      windowMinutes: n('windowMinutes'), requests: n('windowRequests'), tokens: n('windowTokens'), cost: n('windowCost'),
    } : null,
    dailyCostLimit: n('dailyCostLimit'),
    totalCostLimit: n('totalCostLimit'),
    weeklyOpusCostLimit: n('weeklyOpusCostLimit'),
    weeklyResetDay: n('weeklyResetDay') || 1,
    weeklyResetHour: n('weeklyResetHour'),
    serviceRates: Object.fromEntries(POOLS.filter(p => f['rate-' + p].value !== '').map(p => [p, n('rate-' + p)])),
    bindings: {},
    modelMap: [...form.querySelectorAll('[data-test="model-map-rule"]')].map(r => ({
      match: r.querySelector('[name=mapMatch]').value.trim(),
      pool: r.querySelector('[name=mapPool]').value,
      model: r.querySelector('[name=mapModel]').value.trim() || null,
    })).filter(m => m.match),
  };
  const mode = f.expiryMode.value;
  if (mode === 'fixed') {
    if (!f.expiresAt.value) throw new Error(t('expiresAtMissing'));
    body.expiry = { mode, expiresAt: new Date(f.expiresAt.value).toISOString() };
  } else if (mode === 'activation') {
    body.expiry = { mode, [f.activationUnit.value]: n('activationAmount') };
  } else {
    body.expiry = { mode: 'none' };
  }
  for (const p of bindPools) {
    const v = f['bind-' + p].value;
    if (!v) continue;
    const [kind, ...rest] = v.split(':');
    body.bindings[p] = { [kind === 'account' ? 'accountId' : 'group']: rest.join(':'), fallbackToPool: f['fallback-' + p].checked };
  }
  return body;
}
