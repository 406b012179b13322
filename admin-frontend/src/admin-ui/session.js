// Who is signed in: the admin from GET /admin/api/me (name, role, two-factor state), fetched once per sign-in.
// Pages use canWrite() / isOwner() to leave out what the admin's role may not do (the API refuses it anyway).

import { api, TOKEN } from './client.js';

let cached = null;

/** The signed-in admin ({username, role, ...}), or null before sign-in. */
export async function currentAdmin() {
  if (!sessionStorage.getItem(TOKEN)) return null;
  if (!cached) cached = api('GET', '/me').catch(e => { cached = null; throw e; });
  return cached;
}

/** Forgets the admin (at sign-out, or when the session ended). */
export function forgetAdmin() {
  cached = null;
}

/** Whether the admin may change keys, accounts and settings (owner or admin). */
export async function canWrite() {
  const me = await currentAdmin();
  return me !== null && (me.role === 'owner' || me.role === 'admin');
}

/** Whether the admin may manage admins and security settings (owner). */
export async function isOwner() {
  const me = await currentAdmin();
  return me !== null && me.role === 'owner';
}
