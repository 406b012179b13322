// Tiny mock upstream for the CRS export run. Speaks just enough of the
// Anthropic Messages API (JSON and SSE) and the OpenAI Responses API (SSE)
// for CRS to record usage. The token counts come from the last user text:
// "usage in=<n> out=<n> cc=<n> cr=<n>" so the driver decides them.
// Every request's path, model and auth header are appended to MOCK_LOG.
'use strict'
const http = require('http')
const fs = require('fs')

const port = Number(process.env.MOCK_PORT || 3391)
const logFile = process.env.MOCK_LOG || '/tmp/crs-mock-upstream.log'

function lastUserText(body) {
  const msgs = Array.isArray(body.messages) ? body.messages : []
  let text = ''
  for (const m of msgs) {
    if (typeof m.content === 'string') text = m.content
    else if (Array.isArray(m.content)) {
      for (const b of m.content) if (b && b.type === 'text') text = b.text
    }
  }
  if (typeof body.input === 'string') text = body.input
  else if (Array.isArray(body.input)) {
    for (const item of body.input) {
      const c = item && item.content
      if (typeof c === 'string') text = c
      else if (Array.isArray(c)) for (const b of c) if (b && b.text) text = b.text
    }
  }
  return text
}

function usageFrom(text) {
  const num = (k, d) => {
    const m = new RegExp(`${k}=(\\d+)`).exec(text)
    return m ? Number(m[1]) : d
  }
  return { input: num('in', 10), output: num('out', 5), cacheCreate: num('cc', 0), cacheRead: num('cr', 0) }
}

function sse(res, event, data) {
  res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`)
}

function anthropic(req, res, body) {
  const u = usageFrom(lastUserText(body))
  const id = `msg_mock_${Date.now()}`
  const model = body.model
  if (!body.stream) {
    res.writeHead(200, { 'content-type': 'application/json', 'request-id': `req_${id}` })
    res.end(JSON.stringify({
      id, type: 'message', role: 'assistant', model,
      content: [{ type: 'text', text: 'Hello from the mock upstream.' }],
      stop_reason: 'end_turn', stop_sequence: null,
      usage: {
        input_tokens: u.input, cache_creation_input_tokens: u.cacheCreate,
        cache_read_input_tokens: u.cacheRead, output_tokens: u.output
      }
    }))
    return
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
  sse(res, 'message_start', {
    type: 'message_start',
    message: {
      id, type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null,
      usage: {
        input_tokens: u.input, cache_creation_input_tokens: u.cacheCreate,
        cache_read_input_tokens: u.cacheRead, output_tokens: 1
      }
    }
  })
  sse(res, 'content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } })
  sse(res, 'ping', { type: 'ping' })
  sse(res, 'content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hello from ' } })
  sse(res, 'content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'the mock upstream.' } })
  sse(res, 'content_block_stop', { type: 'content_block_stop', index: 0 })
  sse(res, 'message_delta', {
    type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null },
    usage: { output_tokens: u.output }
  })
  sse(res, 'message_stop', { type: 'message_stop' })
  res.end()
}

function responses(req, res, body) {
  const u = usageFrom(lastUserText(body))
  const id = `resp_mock_${Date.now()}`
  const usage = {
    input_tokens: u.input + u.cacheRead,
    input_tokens_details: { cached_tokens: u.cacheRead },
    output_tokens: u.output,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: u.input + u.cacheRead + u.output
  }
  const item = {
    id: 'msg_mock_1', type: 'message', status: 'completed', role: 'assistant',
    content: [{ type: 'output_text', text: 'Hello from the mock upstream.', annotations: [] }]
  }
  const base = { id, object: 'response', created_at: Math.floor(Date.now() / 1000), model: body.model }
  if (body.stream === false) {
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ ...base, status: 'completed', output: [item], usage }))
    return
  }
  res.writeHead(200, { 'content-type': 'text/event-stream' })
  let seq = 0
  const ev = (type, data) => sse(res, type, { type, sequence_number: seq++, ...data })
  ev('response.created', { response: { ...base, status: 'in_progress', output: [] } })
  ev('response.output_text.delta', { item_id: item.id, output_index: 0, content_index: 0, delta: 'Hello from the mock upstream.' })
  ev('response.output_item.done', { output_index: 0, item })
  ev('response.completed', { response: { ...base, status: 'completed', output: [item], usage } })
  res.end()
}

http.createServer((req, res) => {
  const chunks = []
  req.on('data', (c) => chunks.push(c))
  req.on('end', () => {
    let body = {}
    try { body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') } catch (e) { body = {} }
    fs.appendFileSync(logFile, JSON.stringify({
      at: new Date().toISOString(), method: req.method, path: req.url, model: body.model,
      stream: body.stream, xApiKey: req.headers['x-api-key'] || null,
      authorization: req.headers.authorization || null
    }) + '\n')
    const path = req.url.split('?')[0]
    if (req.method === 'POST' && path.endsWith('/v1/messages')) return anthropic(req, res, body)
    if (req.method === 'POST' && path.endsWith('/responses')) return responses(req, res, body)
    res.writeHead(404, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ type: 'error', error: { type: 'not_found_error', message: `no mock for ${req.method} ${path}` } }))
  })
}).listen(port, '127.0.0.1', () => console.log(`mock upstream on 127.0.0.1:${port}`))
