// One request's decision trace, readable: where its session key came from, whether the key admitted it, each
// try (how the account was chosen, every candidate with its place or why it was passed over, the lease,
// upstream's answer and what followed) and how it ended, next to its row of the request log.

import { ApiError, api } from '../client.js';
import { h, show } from '../dom.js';
import { duration, num, usd, when, words } from '../i18n.js';
import { dialects } from '../tables.js';
import { label } from './parts/labels.js';
import { accountLink, facts, grid, hint, keyLink, section } from './parts/ui.js';

const t = words({
  en: {
    title: 'Request trace', id: 'Request id', open: 'Show the trace', where: 'The id is in the x-relay-request-id header of every answer, and behind "Why here?" in the request logs.',
    notFound: 'No node knows a request with this id (traces are kept for each node\'s last requests; the log keeps every request).',
    gone: 'The node that served this request no longer keeps its trace (it restarted, or the request is older than what it keeps). Its row of the request log is below.',
    request: 'Request', node: 'Served by node', started: 'Started', key: 'Key', client: 'Client spoke', pool: 'Pool',
    endpoint: 'Endpoint', model: 'Model asked for', session: 'Session key', sessionHash: 'fingerprint {hash}',
    admission: 'Key limits', admitted: 'Admitted: within the key\'s limits', notAdmitted: 'Not admitted: {why}',
    attempt: 'Try {n}', at: 'at {time}', routedBy: 'How the account was chosen', account: 'Account', lease: 'Account lease',
    upstream: 'Upstream answered', verdict: 'Verdict', then: 'Then', noAnswer: 'no answer', inMs: '{status} in {ms}',
    candidates: 'The pool as this try saw it', place: 'Place', why: 'Why not', chosen: 'chosen', noCandidates: 'No account in the pool.',
    end: 'The end', status: 'Status sent', outcome: 'Outcome', servedBy: 'Served by', tries: 'Tries', took: 'Took',
    firstByte: 'First byte after', errorType: 'Error', ledger: 'Request log row', notYet: 'Not written yet (the log follows in a moment).',
    dialects: 'Dialect (client → upstream)', app: 'Client program', tokens: 'Tokens (in / out / cache read / cache write)', cost: 'Cost (rated)', version: 'Client version',
    r_session: 'The conversation\'s account (sticky session)',
    r_rebound: 'Sticky session, moved to another account: its account could not take the request',
    r_noKey: 'Scheduler (the request has no session key)',
    r_noEntity: 'Scheduler (the session\'s record did not answer)', r_none: 'No account could take it: {why}',
    l_granted: 'Granted', l_refused: 'Refused: {why}',
    n_answered: 'Answered the client', n_failover: 'Failed over to the next account',
    n_giveUp: 'No further try allowed: the refusal went to the client', n_refresh: 'Refreshed the token and tried again',
    n_passed: 'Passed to the client as upstream sent it',
    w_tried: 'Already tried for this request', w_binding: 'Outside the key\'s dedicated accounts', w_passed: 'Passed over',
    w_paused: 'Not schedulable ({why})', w_cooling: 'Cooling down until {until} ({why})', w_tier: 'Its subscription ({tier}) does not serve {model}',
  },
  zh: {
    title: '请求追踪', id: '请求 ID', open: '查看追踪', where: '每个应答的 x-relay-request-id 头中都有此 ID；请求日志中的“为何到这里？”也链接到这里。',
    notFound: '没有节点知道此 ID 的请求（每个节点只保留最近请求的追踪；请求日志保留全部请求）。',
    gone: '处理该请求的节点已不再保留其追踪（节点重启，或请求早于其保留范围）。下方是请求日志中的记录。',
    request: '请求', node: '处理节点', started: '开始时间', key: '密钥', client: '客户端格式', pool: '账户池',
    endpoint: '端点', model: '请求的模型', session: '会话键', sessionHash: '指纹 {hash}',
    admission: '密钥限额', admitted: '通过：在密钥限额之内', notAdmitted: '未通过：{why}',
    attempt: '第 {n} 次尝试', at: '于 {time}', routedBy: '账户选择方式', account: '账户', lease: '账户租约',
    upstream: '上游应答', verdict: '判定', then: '随后', noAnswer: '无应答', inMs: '{status}，耗时 {ms}',
    candidates: '本次尝试所见的账户池', place: '顺位', why: '未选原因', chosen: '选中', noCandidates: '账户池中没有账户。',
    end: '结果', status: '返回状态码', outcome: '结果', servedBy: '服务账户', tries: '尝试次数', took: '耗时',
    firstByte: '首字节时间', errorType: '错误', ledger: '请求日志记录', notYet: '尚未写入（稍后即会写入日志）。',
    dialects: '协议格式（客户端 → 上游）', app: '客户端程序', tokens: 'Token（输入 / 输出 / 缓存读取 / 缓存写入）', cost: '费用（计费）', version: '客户端版本',
    r_session: '会话绑定的账户（粘性会话）',
    r_rebound: '粘性会话改绑到其他账户：原账户无法接收该请求',
    r_noKey: '调度器（请求没有会话键）',
    r_noEntity: '调度器（会话记录未应答）', r_none: '没有账户可以接收：{why}',
    l_granted: '已获得', l_refused: '被拒绝：{why}',
    n_answered: '已应答客户端', n_failover: '切换到下一个账户',
    n_giveUp: '不允许再尝试：拒绝结果已返回客户端', n_refresh: '刷新令牌后重试',
    n_passed: '按上游原样返回客户端',
    w_tried: '本请求已尝试过', w_binding: '不在密钥的专属账户内', w_passed: '未被选中',
    w_paused: '不可调度（{why}）', w_cooling: '冷却至 {until}（{why}）', w_tier: '其订阅（{tier}）不提供 {model}',
  },
});

function routedText(s) {
  if (!s) return '-';
  if (s === 'session') return t('r_session');
  if (s.startsWith('session (rebound')) return t('r_rebound');
  if (s === 'scheduler (no session key)') return t('r_noKey');
  if (s.startsWith('scheduler (the session')) return t('r_noEntity');
  if (s.startsWith('none: ')) return t('r_none', { why: s.slice(6) });
  return s;
}

function leaseText(s) {
  if (!s) return '-';
  if (s === 'granted') return t('l_granted');
  if (s.startsWith('refused: ')) return t('l_refused', { why: s.slice(9) });
  return s;
}

function thenText(s) {
  const known = { 'answered the client': 'n_answered', 'failed over to the next account': 'n_failover',
    'no further try allowed: the refusal went to the client': 'n_giveUp', 'refresh the token and retry': 'n_refresh',
    'passed to the client': 'n_passed' };
  return !s ? '-' : known[s] ? t(known[s]) : s;
}

function whyText(s) {
  if (!s) return '';
  const known = { 'already tried for this request': 'w_tried', "outside the key's binding": 'w_binding', 'passed over': 'w_passed' };
  if (known[s]) return t(known[s]);
  let m = s.match(/^not schedulable \((.*)\)$/);
  if (m) return t('w_paused', { why: label('state', m[1].split(':')[0]) + (m[1].includes(':') ? ':' + m[1].split(':').slice(1).join(':') : '') });
  m = s.match(/^cooling until (\S+) \((.*)\)$/);
  if (m) return t('w_cooling', { until: when(m[1]), why: m[2] });
  m = s.match(/^its subscription \((\w+)\) does not serve (.*)$/);
  if (m) return t('w_tier', { tier: label('tier', m[1].toLowerCase()), model: m[2] });
  return s;
}

function attemptCard(a, chosenId) {
  const status = a.upstreamStatus !== undefined && a.upstreamStatus !== null
    ? t('inMs', { status: a.upstreamStatus, ms: duration(a.upstreamMs) }) : t('noAnswer');
  return h('li', { class: 'card trace-step', 'data-test': 'trace-attempt' },
    h('h3', {}, t('attempt', { n: a.attempt }), ' ', h('span', { class: 'muted' }, t('at', { time: when(a.at) }))),
    facts([
      [t('routedBy'), routedText(a.routedBy)],
      [t('account'), accountLink(a.accountId, a.accountName)],
      [t('lease'), leaseText(a.lease)],
      [t('upstream'), status],
      [t('verdict'), a.verdict ? label('verdict', a.verdict) : '-'],
      [t('then'), thenText(a.then)],
    ]),
    h('details', { open: (a.candidates || []).length <= 8 || undefined },
      h('summary', {}, t('candidates'), ` (${num((a.candidates || []).length)})`),
      grid((a.candidates || []).map(c => ({ ...c, id: c.accountId })), [
        { label: t('place'), value: c => c.rank ? '#' + c.rank + (c.accountId === chosenId ? ' · ' + t('chosen') : '') : '-', num: true },
        { label: t('account'), value: c => accountLink(c.accountId, c.name) },
        { label: t('why'), value: c => whyText(c.why) || '-' },
      ], t('noCandidates'), c => ({ class: c.accountId === chosenId ? 'chosen' : c.rank ? '' : 'passed' }))));
}

function traceView(tr, name) {
  const e = tr.end;
  return [
    section(t('request'), facts([
      [t('id'), h('code', {}, tr.requestId)], [t('started'), when(tr.startedAt)], [t('node'), tr.node],
      [t('key'), keyLink(tr.key?.id, tr.key?.name)], [t('client'), label('dialect', tr.dialect)],
      [t('pool'), label('pool', tr.pool)], [t('endpoint'), tr.endpoint], [t('model'), tr.model ?? '-'],
    ])),
    h('ol', { class: 'trace-steps' },
      h('li', { class: 'card trace-step' }, h('h3', {}, t('session')),
        h('p', {}, label('sessionSource', tr.session?.source),
          tr.session?.hash ? h('span', { class: 'muted' }, ' · ', t('sessionHash', { hash: tr.session.hash })) : null)),
      h('li', { class: 'card trace-step' }, h('h3', {}, t('admission')),
        h('p', {}, tr.admission === 'admitted' ? t('admitted') : t('notAdmitted', { why: tr.admission }))),
      (tr.attempts || []).map(a => attemptCard(a, a.accountId)),
      e ? h('li', { class: 'card trace-step', 'data-test': 'trace-end' }, h('h3', {}, t('end')), facts([
        [t('status'), e.status], [t('outcome'), label('outcome', e.outcome)],
        [t('servedBy'), accountLink(e.accountId, name(e.accountId))], [t('tries'), num(e.attempts)],
        [t('took'), duration(e.durationMs)], [t('firstByte'), e.firstByteMs >= 0 ? duration(e.firstByteMs) : '-'],
        e.errorType ? [t('errorType'), e.errorType] : null,
      ])) : null),
  ];
}

function ledgerView(r, name, keyName) {
  if (!r) return section(t('ledger'), hint(t('notYet')));
  return section(t('ledger'), facts([
    [t('started'), when(r.time)], [t('key'), keyLink(r.keyId, keyName)], [t('servedBy'), accountLink(r.accountId, name(r.accountId))],
    [t('model'), r.servedModel || r.model], [t('dialects'), dialects(r)], [t('status'), r.status], [t('outcome'), label('outcome', r.outcome)],
    [t('tokens'), [r.inputTokens, r.outputTokens, r.cacheReadTokens, r.cacheWriteTokens].map(x => num(x)).join(' / ')],
    [t('cost'), `${usd(r.costMicros)} (${usd(r.ratedCostMicros)})`], [t('tries'), num(r.attempts)],
    [t('took'), duration(r.durationMs)],
    [t('app'), r.client && r.client !== 'unknown' ? `${r.client} ${r.clientVersion ?? ''}` : '-'],
  ]));
}

function idForm(id) {
  const form = h('form', { class: 'inline card', 'data-test': 'trace-form' },
    h('label', {}, t('id'), h('input', { name: 'id', required: true, value: id ?? '', size: 40, autocomplete: 'off', spellcheck: 'false' })),
    h('button', { type: 'submit' }, t('open')));
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    location.hash = '#/trace/' + encodeURIComponent(form.elements.id.value.trim());
  });
  return form;
}

export async function trace(requestId) {
  if (!requestId) {
    show(h('h1', {}, t('title')), idForm(null), hint(t('where')));
    return;
  }
  let found;
  try {
    found = await api('GET', '/requests/' + encodeURIComponent(requestId) + '/trace');
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) {
      show(h('h1', {}, t('title')), idForm(requestId), h('p', { class: 'muted', 'data-test': 'trace' }, t('notFound')));
      return;
    }
    throw e;
  }
  const accounts = await api('GET', '/accounts').catch(() => ({ data: [] }));
  const name = id => accounts.data.find(a => a.id === id)?.name ?? null;
  show(h('h1', {}, t('title')), idForm(requestId),
    h('div', { 'data-test': 'trace' },
      found.trace ? traceView(found.trace, name) : hint(t('gone')),
      ledgerView(found.ledger, name, found.trace?.key?.name)));
}
