// Alert targets (webhooks).

import { act, api, reload } from '../client.js';
import { dialog, field, h, pill, show, table } from '../dom.js';

const ALERT_KINDS = ['unauthorized', 'blocked', 'rate_limited', 'recovered', 'disabled_by_admin', 'refresh_failed'];

function webhookActions(t) {
  const path = '/webhooks/' + encodeURIComponent(t.id);
  const test = h('button', { class: 'secondary' }, 'Send test');
  test.addEventListener('click', () => act(test, async () => {
    const r = await api('POST', path + '/test');
    dialog(h('h2', {}, r.delivered ? 'Test alert delivered' : 'Test alert not delivered'),
      h('p', {}, r.delivered ? `${t.name} accepted it.` : (r.error || 'the target refused it')));
  }));
  const toggle = h('button', { class: 'secondary' }, t.enabled ? 'Disable' : 'Enable');
  toggle.addEventListener('click', () => act(toggle, async () => {
    await api('POST', path + (t.enabled ? '/disable' : '/enable'));
    reload();
  }));
  const del = h('button', { class: 'danger' }, 'Delete');
  del.addEventListener('click', () => {
    if (!confirm(`Delete alert target "${t.name}"?`)) return;
    act(del, async () => { await api('DELETE', path); reload(); });
  });
  return h('div', { class: 'actions' }, test, toggle, del);
}

export async function webhooks() {
  const [targets, channels] = await Promise.all([api('GET', '/webhooks'), api('GET', '/webhooks/channels')]);
  const byName = Object.fromEntries(channels.data.map(c => [c.channel, c]));
  const channel = h('select', { name: 'channel' }, channels.data.map(c => h('option', { value: c.channel }, c.channel)));
  const configFields = h('div', { class: 'contents' });
  const kinds = ALERT_KINDS.map(k => h('label', { class: 'check' }, h('input', { type: 'checkbox', value: k }), k));
  const renderFields = () => configFields.replaceChildren(...byName[channel.value].fields.map(f => {
    const input = f.choices
      ? h('select', { 'data-config': f.name }, f.choices.map(c => h('option', { value: c, selected: c === f.default }, c)))
      : h('input', { 'data-config': f.name, type: f.secret ? 'password' : 'text', required: f.required,
        placeholder: f.default ?? '', autocomplete: 'off' });
    return h('label', {}, f.name + (f.required ? '' : ' (optional)'), input);
  }));
  channel.addEventListener('change', renderFields);
  renderFields();
  const form = h('form', { class: 'inline card' },
    field('Name', 'name', { required: true, placeholder: 'ops-slack' }),
    h('label', {}, 'Channel', channel),
    configFields,
    h('fieldset', {}, h('legend', {}, 'Alert kinds (none ticked = all)'), kinds),
    h('button', { type: 'submit' }, 'Add target'));
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    act(form, async () => {
      const config = {};
      for (const el of form.querySelectorAll('[data-config]')) {
        if (el.value !== '') config[el.dataset.config] = el.value;
      }
      const chosen = kinds.map(l => l.firstChild).filter(c => c.checked).map(c => c.value);
      await api('POST', '/webhooks', { name: form.elements.name.value, channel: channel.value, kinds: chosen, config });
      reload();
    });
  });
  show(h('h1', {}, 'Alert targets'),
    h('p', { class: 'muted' }, 'Account events (unauthorized, blocked, rate limited, recovered, disabled, refresh failed) '
      + 'are sent to every enabled target. Secrets are stored encrypted and shown masked.'),
    form,
    table(targets.data, [
      { label: 'Name', value: t => t.name },
      { label: 'Channel', value: t => t.channel },
      { label: 'Enabled', value: t => pill(t.enabled ? 'active' : 'disabled') },
      { label: 'Kinds', value: t => t.kinds.length ? t.kinds.join(', ') : 'all' },
      { label: 'Config', value: t => Object.entries(t.config).map(([k, v]) => `${k}=${v}`).join('  ') },
      { label: '', value: t => webhookActions(t) },
    ], 'No alert targets yet.'));
}
