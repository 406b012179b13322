// Exports every key of one Redis database (type, PTTL, value) as JSON in the
// format the Java CRS importer tests read. Needs ioredis (CRS's node_modules).
// Usage: node export-redis.js <out.json>
// Environment: REDIS_HOST, REDIS_PORT, REDIS_DB, CRS_DIR (for VERSION),
// CRS_COMMIT, ENCRYPTION_KEY, TIMEZONE_OFFSET.
'use strict'
const fs = require('fs')
const path = require('path')
const Redis = require('ioredis')

async function main() {
  const out = process.argv[2]
  const redis = new Redis({
    host: process.env.REDIS_HOST || '127.0.0.1',
    port: Number(process.env.REDIS_PORT || 6390),
    db: Number(process.env.REDIS_DB || 0),
    lazyConnect: true
  })
  await redis.connect()
  const names = []
  let cursor = '0'
  do {
    const [next, batch] = await redis.scan(cursor, 'COUNT', 1000)
    cursor = next
    names.push(...batch)
  } while (cursor !== '0')
  const unique = [...new Set(names)].sort()

  const keys = []
  for (const key of unique) {
    const type = await redis.type(key)
    const ttlMillis = await redis.pttl(key)
    let value
    switch (type) {
      case 'hash': {
        const h = await redis.hgetall(key)
        value = {}
        for (const f of Object.keys(h).sort()) value[f] = h[f]
        break
      }
      case 'string':
        value = await redis.get(key)
        break
      case 'set':
        value = (await redis.smembers(key)).sort()
        break
      case 'zset': {
        const flat = await redis.zrange(key, 0, -1, 'WITHSCORES')
        value = []
        for (let i = 0; i < flat.length; i += 2) value.push({ member: flat[i], score: Number(flat[i + 1]) })
        break
      }
      case 'list':
        value = await redis.lrange(key, 0, -1)
        break
      case 'stream': {
        const entries = await redis.xrange(key, '-', '+')
        value = entries.map(([id, kv]) => {
          const fields = {}
          for (let i = 0; i < kv.length; i += 2) fields[kv[i]] = kv[i + 1]
          return { id, fields }
        })
        break
      }
      case 'none':
        continue // expired between SCAN and TYPE
      default:
        throw new Error(`unsupported type ${type} for ${key}`)
    }
    keys.push({ key, type, ttlMillis, value })
  }
  await redis.quit()

  const crsDir = process.env.CRS_DIR || '/tmp/crs'
  const doc = {
    crs: {
      repo: 'Wei-Shaw/claude-relay-service',
      commit: process.env.CRS_COMMIT,
      version: fs.readFileSync(path.join(crsDir, 'VERSION'), 'utf8').trim()
    },
    encryptionKey: process.env.ENCRYPTION_KEY,
    exportedAt: new Date().toISOString(),
    timezoneOffset: Number(process.env.TIMEZONE_OFFSET || 8),
    keys
  }
  fs.writeFileSync(out, JSON.stringify(doc, null, 1) + '\n')
  const byType = {}
  for (const k of keys) byType[k.type] = (byType[k.type] || 0) + 1
  console.log(`exported ${keys.length} keys`, byType)
}

main().catch((e) => { console.error(e); process.exit(1) })
