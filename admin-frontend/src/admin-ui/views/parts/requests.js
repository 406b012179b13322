// Recent requests as a table (key and account by name, the client's and upstream's dialects, a link to each
// request's decision trace), and a short history from the audit log of one object.

import { api } from '../../client.js';
import { h } from '../../dom.js';
import { dialects } from '../../tables.js';
import { duration, num, usd, when, words } from '../../i18n.js';
import { label } from './labels.js';
import { accountLink, grid, keyLink } from './ui.js';

const t = words({
  en: {
    time: 'Time', key: 'Key', account: 'Account', model: 'Model', status: 'Status', outcome: 'Outcome',
    dialect: 'Dialect', tokens: 'Tokens in / out', cost: 'Cost', took: 'Took', tries: 'Tries', trace: 'Why here?', none: 'No requests yet.',
    who: 'Who', what: 'What', fields: 'Fields', from: 'From', history: 'No changes recorded.',
  },
  zh: {
    time: '时间', key: '密钥', account: '账户', model: '模型', status: '状态码', outcome: '结果',
    dialect: '协议格式', tokens: '输入 / 输出 Token', cost: '费用', took: '耗时', tries: '尝试次数', trace: '为何到这里？', none: '暂无请求。',
    who: '操作人', what: '操作', fields: '字段', from: '来源地址', history: '暂无变更记录。',
  },
});

/** Request log rows; {@code keyName(id)} and {@code accountName(id)} give names (null: unknown). */
export function requestGrid(rows, { keyName, accountName, withKey = false, withAccount = true } = {}) {
  return grid(rows, [
    { label: t('time'), value: r => when(r.time) },
    ...(withKey ? [{ label: t('key'), value: r => keyLink(r.keyId, keyName?.(r.keyId)) }] : []),
    ...(withAccount ? [{ label: t('account'), value: r => accountLink(r.accountId, accountName?.(r.accountId)) }] : []),
    { label: t('model'), value: r => r.servedModel || r.model },
    { label: t('dialect'), value: r => dialects(r) },
    { label: t('status'), value: r => r.status, num: true },
    { label: t('outcome'), value: r => label('outcome', r.outcome) },
    { label: t('tokens'), value: r => `${num(r.inputTokens)} / ${num(r.outputTokens)}`, num: true },
    { label: t('cost'), value: r => usd(r.costMicros), num: true },
    { label: t('took'), value: r => duration(r.durationMs), num: true },
    { label: t('tries'), value: r => r.attempts, num: true },
    { label: '', value: r => h('a', { href: '#/trace/' + encodeURIComponent(r.requestId), 'data-test': 'trace-link' }, t('trace')) },
  ], t('none'), r => ({ 'data-id': r.requestId }));
}

/** What admins did to one object (from the audit log), newest first; empty when the log cannot be read. */
export async function history(objectType, objectId) {
  let rows = [];
  try {
    rows = (await api('GET', '/audit?limit=20&objectType=' + encodeURIComponent(objectType)
      + '&objectId=' + encodeURIComponent(objectId))).data;
  } catch {
    return null;
  }
  return grid(rows, [
    { label: t('time'), value: e => when(e.at) },
    { label: t('who'), value: e => e.actor ?? '-' },
    { label: t('what'), value: e => label('action', e.action) },
    { label: t('fields'), value: e => (e.fields || []).map(f => label('field', f)).join(', ') || '-' },
    { label: t('from'), value: e => e.client ?? '-' },
  ], t('history'));
}
