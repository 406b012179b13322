// Alert targets: where account alerts go (every channel the node knows), switched on and off, tested, edited.

import { act, api, reload } from '../client.js';
import { dialog, field, h, show } from '../dom.js';
import { when, words } from '../i18n.js';
import { canWrite } from '../session.js';
import { label, options, statePill } from './parts/labels.js';
import { action, grid, hint, select } from './parts/ui.js';

const t = words({
  en: {
    title: 'Alerts', intro: 'Account events (unauthorized, blocked, rate limited, recovered, paused, token refresh failed) are sent to every enabled target. Secrets are stored encrypted and shown masked.',
    add: 'Add a target', name: 'Name', channel: 'Channel', kinds: 'Alerts to send', allKinds: 'none ticked = all',
    optional: '(optional)', keep: 'empty = keep the current one', create: 'Add target', save: 'Save', none: 'No alert targets yet.',
    enabled: 'State', settings: 'Settings', changed: 'Changed', all: 'All', test: 'Send a test', enable: 'Enable', disable: 'Disable',
    edit: 'Edit', delete: 'Delete', confirmDelete: 'Delete alert target "{name}"?', delivered: 'Test alert delivered',
    notDelivered: 'Test alert not delivered', accepted: '"{name}" accepted it.', refused: 'The target refused it.',
    editTitle: 'Edit "{name}"', attempts: 'Attempts: {n}',
  },
  zh: {
    title: '告警', intro: '账户事件（未授权、被封禁、被限流、已恢复、被暂停、令牌刷新失败）会发送到每个已启用的目标。密钥加密保存，显示时打码。',
    add: '添加目标', name: '名称', channel: '渠道', kinds: '发送的告警', allKinds: '不勾选 = 全部',
    optional: '（可选）', keep: '留空 = 保持当前值', create: '添加目标', save: '保存', none: '暂无告警目标。',
    enabled: '状态', settings: '设置', changed: '修改时间', all: '全部', test: '发送测试', enable: '启用', disable: '停用',
    edit: '编辑', delete: '删除', confirmDelete: '删除告警目标“{name}”？', delivered: '测试告警已送达',
    notDelivered: '测试告警未送达', accepted: '“{name}”已接收。', refused: '目标拒绝了它。',
    editTitle: '编辑“{name}”', attempts: '尝试次数：{n}',
  },
});

const KINDS = ['unauthorized', 'blocked', 'rate_limited', 'recovered', 'disabled_by_admin', 'refresh_failed'];

/** The channel's settings as fields; when editing, a secret left empty keeps its stored value. */
function configFields(channel, current, editing) {
  return channel.fields.map(f => {
    const text = label('channelField', f.name) + (f.required && !editing ? '' : ' ' + t('optional'));
    const input = f.choices
      ? select('cfg-' + f.name, f.choices.map(c => [c, c]), current?.[f.name] ?? f.default, { 'data-config': f.name })
      : h('input', {
        name: 'cfg-' + f.name, 'data-config': f.name, type: f.secret ? 'password' : f.name === 'port' ? 'number' : 'text',
        required: f.required && !editing ? true : undefined, autocomplete: 'new-password',
        placeholder: f.secret && editing ? t('keep') : (f.default ?? ''), value: !f.secret && editing ? current?.[f.name] ?? '' : '',
      });
    return h('label', {}, text, input);
  });
}

function kindTicks(chosen) {
  return h('fieldset', {}, h('legend', {}, t('kinds'), ' (', t('allKinds'), ')'),
    options('alertKind', KINDS).map(([v, l]) => h('label', { class: 'check' },
      h('input', { type: 'checkbox', name: 'kinds', value: v, checked: chosen.includes(v) }), l)));
}

function readForm(form) {
  const config = {};
  for (const el of form.querySelectorAll('[data-config]')) {
    if (el.value !== '') config[el.dataset.config] = el.value;
  }
  const kinds = [...form.querySelectorAll('input[name="kinds"]:checked')].map(c => c.value);
  return { name: form.elements.name.value.trim(), kinds, config };
}

function createForm(channels) {
  const byName = Object.fromEntries(channels.map(c => [c.channel, c]));
  const channel = select('channel', channels.map(c => [c.channel, label('channel', c.channel)]), channels[0]?.channel,
    { 'data-test': 'channel' });
  const fields = h('div', { class: 'inline' });
  const render = () => fields.replaceChildren(...configFields(byName[channel.value], null, false));
  channel.addEventListener('change', render);
  render();
  const form = h('form', { class: 'keyform', 'data-test': 'webhook-form', autocomplete: 'off' },
    h('div', { class: 'inline' }, field(t('name'), 'name', { required: true, placeholder: 'ops-slack' }),
      h('label', {}, t('channel'), channel)),
    fields, kindTicks([]), h('button', { type: 'submit', 'data-test': 'save' }, t('create')));
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    act(form.lastChild, async () => {
      await api('POST', '/webhooks', { ...readForm(form), channel: channel.value });
      form.reset();
      reload();
    });
  });
  return form;
}

function editDialog(target, channel) {
  const form = h('form', { class: 'keyform', 'data-test': 'webhook-edit', autocomplete: 'off' },
    field(t('name'), 'name', { required: true, value: target.name }),
    h('div', { class: 'inline' }, ...configFields(channel, target.config, true)),
    kindTicks(target.kinds || []),
    h('button', { type: 'submit' }, t('save')));
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    act(form.lastChild, async () => {
      await api('PATCH', '/webhooks/' + encodeURIComponent(target.id), readForm(form));
      document.getElementById('dialog').close();
      reload();
    });
  });
  dialog(h('h2', {}, t('editTitle', { name: target.name })), form);
}

function targetActions(target, channel) {
  const path = '/webhooks/' + encodeURIComponent(target.id);
  const test = h('button', { type: 'button', class: 'secondary', 'data-test': 'test' }, t('test'));
  test.addEventListener('click', () => act(test, async () => {
    const r = await api('POST', path + '/test');
    dialog(h('h2', {}, r.delivered ? t('delivered') : t('notDelivered')),
      h('p', {}, r.delivered ? t('accepted', { name: target.name }) : (r.error || t('refused'))),
      h('p', { class: 'muted' }, t('attempts', { n: r.attempts ?? 1 })));
  }));
  return h('div', { class: 'actions' }, test,
    action(target.enabled ? t('disable') : t('enable'), 'secondary', null,
      () => api('POST', path + (target.enabled ? '/disable' : '/enable')), reload, { 'data-test': target.enabled ? 'disable' : 'enable' }),
    h('button', { type: 'button', class: 'secondary', 'data-test': 'edit', onclick: () => editDialog(target, channel) }, t('edit')),
    action(t('delete'), 'danger', t('confirmDelete', { name: target.name }), () => api('DELETE', path), reload, { 'data-test': 'delete' }));
}

export async function webhooks() {
  const [targets, channels, writer] = await Promise.all([api('GET', '/webhooks'), api('GET', '/webhooks/channels'), canWrite()]);
  const byName = Object.fromEntries(channels.data.map(c => [c.channel, c]));
  show(h('h1', {}, t('title')), hint(t('intro')),
    writer ? h('details', { class: 'card' }, h('summary', { 'data-test': 'add-target' }, t('add')), createForm(channels.data)) : null,
    grid(targets.data, [
      { label: t('name'), value: w => w.name },
      { label: t('channel'), value: w => label('channel', w.channel) },
      { label: t('enabled'), value: w => statePill(w.enabled ? 'enabled' : 'disabled') },
      { label: t('kinds'), value: w => (w.kinds || []).length ? w.kinds.map(k => label('alertKind', k)).join(', ') : t('all') },
      { label: t('settings'), value: w => h('span', { class: 'wrap' },
        Object.entries(w.config || {}).map(([k, v]) => `${label('channelField', k)}: ${v}`).join(' · ')) },
      { label: t('changed'), value: w => when(w.updatedAt) },
      ...(writer ? [{ label: '', value: w => targetActions(w, byName[w.channel]) }] : []),
    ], t('none')));
}
