// Checks the export against the scenario: every plain key is found in
// apikey:hash_map under sha256(plainKey + ENCRYPTION_KEY), and every fake
// credential decrypts from the account record with the scheme observed in CRS:
//   most types: AES-256-CBC, key = scrypt(ENCRYPTION_KEY, <salt>, 32), value "hex(iv):hex(ct)"
//   bedrock:    AES-256-CBC, key = sha256(ENCRYPTION_KEY), value {"encrypted": hex, "iv": hex}
//               inside the JSON string record; plaintext is JSON of the credentials.
// Usage: node check-secrets.js <crs-redis-export.json> <crs-scenario.json>
'use strict'
const fs = require('fs')
const crypto = require('crypto')

const doc = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'))
const scenario = JSON.parse(fs.readFileSync(process.argv[3], 'utf8'))
const ek = doc.encryptionKey
const byKey = new Map(doc.keys.map((k) => [k.key, k]))
const problems = []
const ok = []

const SALTS = {
  'claude-oauth': ['claude:account:', 'salt'],
  'claude-console': ['claude_console_account:', 'claude-console-salt'],
  ccr: ['ccr_account:', 'ccr-account-salt'],
  'gemini-oauth': ['gemini_account:', 'gemini-account-salt'],
  'gemini-api': ['gemini_api_account:', 'gemini-api-salt'],
  'openai-oauth': ['openai:account:', 'openai-account-salt'],
  'openai-responses': ['openai_responses_account:', 'openai-responses-salt'],
  'azure-openai': ['azure_openai:account:', 'azure-openai-account-default-salt'],
  droid: ['droid:account:', 'droid-account-salt'],
  bedrock: ['bedrock_account:', null]
}

function decryptColon(value, salt) {
  const [ivHex, ctHex] = value.split(':')
  const key = crypto.scryptSync(ek, salt, 32)
  const d = crypto.createDecipheriv('aes-256-cbc', key, Buffer.from(ivHex, 'hex'))
  return Buffer.concat([d.update(Buffer.from(ctHex, 'hex')), d.final()]).toString('utf8')
}

function decryptBedrock(obj) {
  const key = crypto.createHash('sha256').update(ek).digest()
  const d = crypto.createDecipheriv('aes-256-cbc', key, Buffer.from(obj.iv, 'hex'))
  return JSON.parse(Buffer.concat([d.update(Buffer.from(obj.encrypted, 'hex')), d.final()]).toString('utf8'))
}

function expect(what, got, want) {
  if (got === want) ok.push(what)
  else problems.push(`${what}: got ${JSON.stringify(got)} want ${JSON.stringify(want)}`)
}

// API keys
const hashMap = byKey.get('apikey:hash_map').value
for (const k of scenario.keys) {
  const h = crypto.createHash('sha256').update(k.plainKey + ek).digest('hex')
  // soft delete removes the key from the hash map; the record keeps the hash
  expect(`hash_map ${k.name}`, hashMap[h], k.deleted ? undefined : k.id)
  expect(`apikey:${k.id}.apiKey`, byKey.get(`apikey:${k.id}`).value.apiKey, h)
}

// accounts
for (const a of scenario.accounts) {
  const [prefix, salt] = SALTS[a.crsType]
  const rec = byKey.get(prefix + a.id)
  if (!rec) { problems.push(`missing ${prefix}${a.id}`); continue }
  const v = rec.value
  const c = a.credentials
  switch (a.crsType) {
    case 'claude-oauth':
      expect(`${a.name} accessToken`, decryptColon(v.accessToken, salt), c.accessToken)
      if (c.refreshToken) expect(`${a.name} refreshToken`, decryptColon(v.refreshToken, salt), c.refreshToken)
      else expect(`${a.name} refreshToken (none)`, v.refreshToken, '')
      expect(`${a.name} claudeAiOauth.accessToken`, JSON.parse(decryptColon(v.claudeAiOauth, salt)).accessToken, c.accessToken)
      if (c.email) expect(`${a.name} email`, decryptColon(v.email, salt), c.email)
      if (c.password) expect(`${a.name} password`, decryptColon(v.password, salt), c.password)
      break
    case 'gemini-oauth':
      expect(`${a.name} accessToken`, decryptColon(v.accessToken, salt), c.access_token)
      expect(`${a.name} refreshToken`, decryptColon(v.refreshToken, salt), c.refresh_token)
      expect(`${a.name} geminiOauth.refresh_token`, JSON.parse(decryptColon(v.geminiOauth, salt)).refresh_token, c.refresh_token)
      break
    case 'openai-oauth':
      expect(`${a.name} accessToken`, decryptColon(v.accessToken, salt), c.accessToken)
      expect(`${a.name} refreshToken`, decryptColon(v.refreshToken, salt), c.refreshToken)
      expect(`${a.name} idToken`, decryptColon(v.idToken, salt), c.idToken)
      break
    case 'droid': {
      const entries = JSON.parse(v.apiKeys)
      const plain = entries.map((e) => decryptColon(e.encryptedKey, salt))
      expect(`${a.name} apiKeys`, JSON.stringify(plain), JSON.stringify(c.apiKeys))
      for (const e of entries) {
        expect(`${a.name} apiKeys[].hash`, e.hash, crypto.createHash('sha256').update(decryptColon(e.encryptedKey, salt)).digest('hex'))
      }
      break
    }
    case 'bedrock': {
      const json = JSON.parse(v)
      if (c.bearerToken) expect(`${a.name} bearerToken`, decryptBedrock(json.bearerToken).token, c.bearerToken)
      else expect(`${a.name} awsCredentials`, JSON.stringify(decryptBedrock(json.awsCredentials)), JSON.stringify(c))
      break
    }
    default:
      expect(`${a.name} apiKey`, decryptColon(v.apiKey, salt), c.apiKey)
  }
}

if (problems.length) {
  console.error('SECRET CHECK FAILED\n' + problems.join('\n'))
  process.exit(1)
}
console.log(`secrets check: ${ok.length} values match (key hashes and decrypted credentials)`)
