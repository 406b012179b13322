// The settings every account has (name, priority, concurrency, groups, price multiplier, tier, proxy, base
// URL), as form fields and back into the admin API's JSON. Secrets (a proxy password) are read from the form
// only when it is sent.

import { field, h } from '../../dom.js';
import { words } from '../../i18n.js';
import { options } from './labels.js';
import { choice, select, splitList } from './ui.js';

const t = words({
  en: {
    name: 'Name', nameOptional: 'Name (optional: the login\'s email)', priority: 'Priority (lower is chosen first)',
    maxConcurrency: 'Requests at once (0 = no limit)', groups: 'Groups (comma-separated)',
    priceMultiplier: 'Price multiplier (1 = list price)', tier: 'Subscription tier', tierAuto: 'Found at login',
    proxy: 'Outbound proxy', proxyKeep: 'Keep: {proxy}', proxyNone: 'No proxy', proxyHttp: 'HTTP proxy', proxySocks: 'SOCKS5 proxy',
    proxyAddress: 'Proxy host:port', proxyUser: 'Proxy user (optional)', proxyPassword: 'Proxy password (optional)',
    baseUrl: 'Base URL (empty = {url})', paused: 'Add it paused (not used until resumed)', settings: 'Account settings',
  },
  zh: {
    name: '名称', nameOptional: '名称（可选：默认为登录邮箱）', priority: '优先级（越小越先使用）',
    maxConcurrency: '同时请求数（0 = 不限）', groups: '分组（逗号分隔）',
    priceMultiplier: '价格倍率（1 = 原价）', tier: '订阅等级', tierAuto: '登录时识别',
    proxy: '出站代理', proxyKeep: '保持：{proxy}', proxyNone: '不使用代理', proxyHttp: 'HTTP 代理', proxySocks: 'SOCKS5 代理',
    proxyAddress: '代理 主机:端口', proxyUser: '代理用户名（可选）', proxyPassword: '代理密码（可选）',
    baseUrl: 'Base URL（留空 = {url}）', paused: '添加后先暂停（恢复后才使用）', settings: '账户设置',
  },
});

/** Proxy fields: a kind (keep, none, HTTP, SOCKS5) and, for a new proxy, its address and login. */
function proxyFields(current, editing) {
  const kinds = [...(editing && current ? [['keep', t('proxyKeep', { proxy: current })]] : []),
    ['none', t('proxyNone')], ['http', t('proxyHttp')], ['socks5', t('proxySocks')]];
  const kind = select('proxyKind', kinds, editing && current ? 'keep' : 'none');
  const detail = h('div', { class: 'inline' },
    field(t('proxyAddress'), 'proxyAddress', { placeholder: '127.0.0.1:1080', autocomplete: 'off' }),
    field(t('proxyUser'), 'proxyUser', { autocomplete: 'off' }),
    field(t('proxyPassword'), 'proxyPassword', { type: 'password', autocomplete: 'new-password' }));
  const toggle = () => {
    detail.hidden = kind.value !== 'http' && kind.value !== 'socks5';
    detail.querySelector('[name="proxyAddress"]').required = !detail.hidden;
  };
  kind.addEventListener('change', toggle);
  toggle();
  return [h('label', {}, t('proxy'), kind), detail];
}

/**
 * The common fields of an account; {@code a} the account when editing (else null), {@code opts}:
 * nameOptional (logins named after the email), tier (show the tier choice), base (the default base URL),
 * noBase (no base URL field: the account's own fields name its endpoint).
 */
export function commonFields(a, opts = {}) {
  const editing = !!a;
  const v = a || {};
  return h('fieldset', {}, h('legend', {}, t('settings')),
    field(opts.nameOptional ? t('nameOptional') : t('name'), 'name',
      { required: !opts.nameOptional || undefined, value: v.name ?? '', maxlength: 200 }),
    field(t('priority'), 'priority', { type: 'number', min: 0, step: 1, value: v.priority ?? 50 }),
    field(t('maxConcurrency'), 'maxConcurrency', { type: 'number', min: 0, step: 1, value: v.maxConcurrency ?? 0 }),
    field(t('groups'), 'groups', { value: (v.groups || []).join(', ') }),
    field(t('priceMultiplier'), 'priceMultiplier', { type: 'number', min: 0.001, step: 'any', value: v.priceMultiplier ?? 1 }),
    opts.tier ? choice(t('tier'), 'tier', [['', t('tierAuto')], ...options('tier')], editing ? v.tier : '') : null,
    ...proxyFields(v.proxy, editing),
    opts.noBase ? null : field(t('baseUrl', { url: opts.base ?? '' }), 'baseUrl', { type: 'url', value: editing ? v.baseUrl ?? '' : '', placeholder: opts.base ?? '' }),
    editing ? null : h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'paused' }), t('paused')));
}

/** The common fields' values as the admin API takes them. */
export function commonBody(form, editing = false) {
  const f = form.elements;
  const body = {};
  if (f.name.value.trim()) body.name = f.name.value.trim();
  body.priority = parseInt(f.priority.value || '50', 10);
  body.maxConcurrency = parseInt(f.maxConcurrency.value || '0', 10);
  body.groups = splitList(f.groups.value);
  body.priceMultiplier = Number(f.priceMultiplier.value || 1);
  if (f.tier && f.tier.value) body.tier = f.tier.value;
  const kind = f.proxyKind.value;
  if (kind === 'none' && editing) body.proxy = null;
  if (kind === 'http' || kind === 'socks5') {
    const user = f.proxyUser.value.trim();
    const pass = f.proxyPassword.value;
    const login = user ? encodeURIComponent(user) + (pass ? ':' + encodeURIComponent(pass) : '') + '@' : '';
    body.proxy = `${kind}://${login}${f.proxyAddress.value.trim()}`;
  }
  if (f.baseUrl && f.baseUrl.value.trim()) body.baseUrl = f.baseUrl.value.trim();
  if (f.paused?.checked) body.paused = true;
  return body;
}
