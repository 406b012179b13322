// The cluster: its members, which node hosts each account's entity (with the leases it holds now), and how the
// shards of accounts, keys and sessions are spread over the nodes.

import { api } from '../client.js';
import { h, num, pill, show, stat, table } from '../dom.js';
import { words } from '../i18n.js';

const t = words({
  en: {
    title: 'Cluster', members: 'Members', up: 'Up', unreachable: 'Unreachable', placement: 'Where each account lives',
    placementNote: 'Each account is one entity on one node; the node that hosts it takes its leases and refreshes its tokens. Keys and sessions are placed the same way when they are used.',
    account: 'Account', node: 'Node', leases: 'Requests in flight', unknown: 'not answering', hosted: 'Accounts hosted',
    noAccounts: 'No accounts yet.', thisNode: 'this node', leader: 'Leader', reachable: 'Reachable',
    shardsTitle: 'Shards on each node', shardsNote: 'Entities are grouped in shards; each shard lives on one node and moves when nodes join or leave. Awake entities are those in memory now (an idle one sleeps and wakes where its shard is).',
    entityType: 'Entities', shards: 'Shards', awake: 'Awake', type_account: 'Accounts', type_key: 'Keys', type_session: 'Sessions',
    noShards: 'No shard has started yet.',
  },
  zh: {
    title: '集群', members: '成员', up: '在线', unreachable: '不可达', placement: '各账户所在节点',
    placementNote: '每个账户是某个节点上的一个实体；托管它的节点负责它的租约并刷新其令牌。密钥和会话在被使用时以相同方式分布。',
    account: '账户', node: '节点', leases: '进行中的请求', unknown: '无响应', hosted: '托管的账户数',
    noAccounts: '还没有账户。', thisNode: '本节点', leader: '领导节点', reachable: '可达',
    shardsTitle: '各节点上的分片', shardsNote: '实体按分片分组；每个分片位于一个节点上，节点加入或离开时会迁移。活跃实体是当前在内存中的实体（空闲的实体会休眠，并在其分片所在节点上被唤醒）。',
    entityType: '实体', shards: '分片数', awake: '活跃数', type_account: '账户', type_key: '密钥', type_session: '会话',
    noShards: '还没有启动任何分片。',
  },
});

/** A node's address (pekko://relay@host:port) shortened to host:port for the eye; matching uses the whole address. */
function hostPort(address) {
  const m = /@([^/]+)$/.exec(String(address ?? ''));
  return m ? m[1] : String(address ?? '');
}

/** One row per entity type and node, from the cluster answer's shard statistics. */
function shardRows(c) {
  return (c.entities || []).flatMap(e => (e.nodes || []).map(n => ({ type: e.type, ...n })));
}

export async function cluster() {
  const c = await api('GET', '/cluster');
  const members = c.members || [];
  const accounts = c.accounts || [];
  const hosted = new Map();
  for (const a of accounts) if (a.node) hosted.set(a.node, (hosted.get(a.node) || 0) + 1);
  show(
    h('h1', {}, t('title')),
    h('div', { class: 'cards' },
      stat(t('members'), num(members.length), 'stat-members'),
      stat(t('up'), num(members.filter(m => m.status === 'Up').length), 'stat-up'),
      stat(t('unreachable'), num(members.filter(m => !m.reachable).length), 'stat-unreachable')),
    h('p', {}, t('leader') + ': ', h('code', {}, hostPort(c.leader) || '-')),
    h('div', { 'data-test': 'members' }, table(members, [
      { label: t('node'), value: m => hostPort(m.address) + (m.address === c.self ? ` (${t('thisNode')})` : '') },
      { label: t('status'), value: m => pill(m.status) },
      { label: t('reachable'), value: m => (m.reachable ? t('yes') : t('no')) },
      { label: t('hosted'), value: m => num(hosted.get(m.address) || 0), num: true },
    ])),
    h('h2', {}, t('placement')),
    h('p', { class: 'muted' }, t('placementNote')),
    h('div', { 'data-test': 'placement' }, table(accounts, [
      { label: t('account'), value: a => h('a', { href: '#/accounts/' + encodeURIComponent(a.id) }, a.name || a.id) },
      { label: t('node'), value: a => a.node ? hostPort(a.node) + (a.node === c.self ? ` (${t('thisNode')})` : '') : t('unknown') },
      { label: t('leases'), value: a => a.leasesInFlight === undefined ? '-' : num(a.leasesInFlight), num: true },
    ], t('noAccounts'))),
    h('h2', {}, t('shardsTitle')),
    h('p', { class: 'muted' }, t('shardsNote')),
    h('div', { 'data-test': 'shards' }, table(shardRows(c), [
      { label: t('entityType'), value: r => t('type_' + r.type) },
      { label: t('node'), value: r => hostPort(r.node) + (r.node === c.self ? ` (${t('thisNode')})` : '') },
      { label: t('shards'), value: r => num(r.shards), num: true },
      { label: t('awake'), value: r => num(r.entities), num: true },
    ], t('noShards'))));
}
