// The operator's model map (GET/PUT/DELETE /admin/api/model-map): which pool and upstream model a requested
// model name means. Every role reads the rules in force and whether they override the configured defaults;
// owners and admins edit them (add, remove, reorder rows; Save replaces the whole map) or go back to the
// defaults. The API checks every rule and names the one it refuses ("rules[2].pool: …"): the message is shown
// under the form and that row's field is marked.

import { act, api } from '../client.js';
import { h, show } from '../dom.js';
import { words } from '../i18n.js';
import { canWrite } from '../session.js';
import { label } from './parts/labels.js';
import { grid, hint, section, select } from './parts/ui.js';

const POOLS = ['claude', 'openai', 'gemini', 'droid'];

const t = words({
  en: {
    title: 'Model map',
    intro: 'A model name in a request says which pool serves it and which model upstream is asked for. The first rule that matches wins; * in a pattern is any run of characters (claude-*, *opus*), the whole name, in any case. A key\'s own map (in the key\'s form) is read before this one.',
    inForce: 'Rules in force', overridden: 'Changed here: these rules replace the configured defaults.',
    defaultsInForce: 'The configured defaults.', place: '#', match: 'Model name or pattern', pool: 'Pool',
    model: 'Upstream model', asAsked: 'as asked', none: 'No rules: every name stays in the pool of the path it was sent to.',
    defaults: 'The configured defaults', edit: 'Edit the map',
    editHint: 'Leave the upstream model empty to ask upstream for the name as it came. Save replaces the whole map; saving no rules goes back to the defaults.',
    addRule: 'Add a rule', up: 'Move up', down: 'Move down', save: 'Save the map', saved: 'Saved.',
    reset: 'Reset to defaults', confirmReset: 'Forget the rules saved here and route by the configured defaults again?',
    wasReset: 'The defaults are in force again.', readOnly: 'Changing the map needs the admin or owner role.',
  },
  zh: {
    title: '模型映射',
    intro: '请求中的模型名决定由哪个账户池处理，以及向上游请求哪个模型。第一条匹配的规则生效；模式中的 * 表示任意字符（如 claude-*、*opus*），匹配整个名称，不区分大小写。密钥自己的映射（在密钥表单中）先于此处生效。',
    inForce: '生效中的规则', overridden: '已在此处修改：这些规则取代了配置中的默认规则。',
    defaultsInForce: '配置中的默认规则。', place: '#', match: '模型名或模式', pool: '账户池',
    model: '上游模型', asAsked: '按原名', none: '没有规则：每个模型名都留在其请求路径所属的账户池。',
    defaults: '配置中的默认规则', edit: '编辑映射',
    editHint: '上游模型留空则按请求中的原名向上游请求。保存会替换整个映射；保存空列表即恢复默认规则。',
    addRule: '添加规则', up: '上移', down: '下移', save: '保存映射', saved: '已保存。',
    reset: '恢复默认', confirmReset: '删除此处保存的规则，重新按配置中的默认规则路由？',
    wasReset: '已恢复为默认规则。', readOnly: '修改映射需要管理员或所有者角色。',
  },
});

export async function models() {
  const [map, writer] = await Promise.all([api('GET', '/model-map'), canWrite()]);
  render(map, writer, null);
}

function render(map, writer, status) {
  show(h('h1', {}, t('title')), hint(t('intro')),
    section(t('inForce'),
      h('p', { class: 'muted', 'data-test': 'map-source' }, map.overridden ? t('overridden') : t('defaultsInForce')),
      h('div', { 'data-test': 'map-rules' }, rulesTable(map.rules))),
    writer ? editor(map, status) : hint(t('readOnly')),
    map.overridden ? h('details', { class: 'card', 'data-test': 'map-defaults' },
      h('summary', {}, t('defaults')), rulesTable(map.defaults)) : null);
}

function rulesTable(rules) {
  return grid((rules || []).map((r, i) => ({ ...r, place: i + 1 })), [
    { label: t('place'), value: r => r.place, num: true },
    { label: t('match'), value: r => h('code', {}, r.match) },
    { label: t('pool'), value: r => label('pool', r.pool) },
    { label: t('model'), value: r => r.model ? h('code', {}, r.model) : h('span', { class: 'muted' }, t('asAsked')) },
  ], t('none'));
}

/** One editable rule: pattern, pool, upstream model, and buttons to move or remove it. */
function ruleRow(rule) {
  const row = h('div', { class: 'inline rule map-rule', 'data-test': 'map-rule' });
  const button = (text, test, title, kind, onclick) =>
    h('button', { type: 'button', class: kind, 'data-test': test, title, 'aria-label': title, onclick }, text);
  row.append(
    h('input', { name: 'mapMatch', value: rule?.match ?? '', placeholder: 'claude-*', 'aria-label': t('match'),
      spellcheck: 'false', autocomplete: 'off' }),
    select('mapPool', POOLS.map(p => [p, label('pool', p)]), rule?.pool ?? 'claude', { 'aria-label': t('pool') }),
    h('input', { name: 'mapModel', value: rule?.model ?? '', placeholder: t('asAsked'), 'aria-label': t('model'),
      spellcheck: 'false', autocomplete: 'off' }),
    button('↑', 'map-up', t('up'), 'secondary', () => row.previousElementSibling?.before(row)),
    button('↓', 'map-down', t('down'), 'secondary', () => row.nextElementSibling?.after(row)),
    button(t('remove'), 'map-remove', t('remove'), 'link', () => row.remove()));
  return row;
}

/** The rules as the editor holds them, in order; an empty upstream model is left out (the name as asked). */
function readRules(rows) {
  return [...rows.querySelectorAll('[data-test="map-rule"]')].map(row => {
    const model = row.querySelector('[name="mapModel"]').value.trim();
    const rule = { match: row.querySelector('[name="mapMatch"]').value.trim(), pool: row.querySelector('[name="mapPool"]').value };
    return model ? { ...rule, model } : rule;
  });
}

/** Marks the field an error names ("rules[2].pool: …"), so the row it is about stands out. */
function markField(rows, message) {
  rows.querySelectorAll('[aria-invalid]').forEach(el => el.removeAttribute('aria-invalid'));
  const m = /^rules\[(\d+)\]\.(match|pool|model)\b/.exec(message || '');
  const row = m ? rows.querySelectorAll('[data-test="map-rule"]')[Number(m[1])] : null;
  const name = m ? 'map' + m[2][0].toUpperCase() + m[2].slice(1) : null;
  row?.querySelector(`[name="${name}"]`)?.setAttribute('aria-invalid', 'true');
}

function editor(map, status) {
  const rows = h('div', { class: 'rules' }, (map.rules || []).map(ruleRow));
  const add = h('button', { type: 'button', class: 'secondary', 'data-test': 'map-add' }, t('addRule'));
  add.addEventListener('click', () => {
    const row = ruleRow(null);
    rows.append(row);
    row.querySelector('input').focus();
  });
  const form = h('form', { class: 'keyform', 'data-test': 'map-form', autocomplete: 'off', novalidate: true },
    hint(t('editHint')), rows, h('div', { class: 'actions' }, add),
    h('button', { type: 'submit', 'data-test': 'map-save' }, t('save')));
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    act(form, async () => {
      try {
        render(await api('PUT', '/model-map', { rules: readRules(rows) }), true, t('saved'));
      } catch (e) {
        markField(rows, e.message);
        throw e;
      }
    });
  });
  let reset = null;
  if (map.overridden) {
    reset = h('button', { type: 'button', class: 'danger', 'data-test': 'map-reset' }, t('reset'));
    reset.addEventListener('click', () => {
      if (!confirm(t('confirmReset'))) return;
      act(reset, async () => render(await api('DELETE', '/model-map'), true, t('wasReset')));
    });
  }
  return section(t('edit'), form,
    reset ? h('div', { class: 'actions' }, reset) : null,
    h('p', { class: 'muted', role: 'status', 'data-test': 'map-status' }, status || ''));
}
