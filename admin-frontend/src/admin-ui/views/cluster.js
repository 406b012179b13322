// The cluster's members.

import { api } from '../client.js';
import { h, show } from '../dom.js';
import { clusterTable } from '../tables.js';

export async function cluster() {
  const cluster = await api('GET', '/cluster');
  show(h('h1', {}, 'Cluster'), clusterTable(cluster));
}
