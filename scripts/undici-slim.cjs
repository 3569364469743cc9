// The part of undici the extension and the CLI use, as dist/undici.js: request() and
// EnvHttpProxyAgent (which brings Agent, ProxyAgent and Client). fetch, WebSocket, EventSource,
// the caches and the mocks are left out: they were most of the .vsix. Mirrors undici's index.js.
'use strict'

const Dispatcher = require('undici/lib/dispatcher/dispatcher')
const EnvHttpProxyAgent = require('undici/lib/dispatcher/env-http-proxy-agent')
const api = require('undici/lib/api')
const util = require('undici/lib/core/util')
const { InvalidArgumentError } = require('undici/lib/core/errors')
const { getGlobalDispatcher } = require('undici/lib/global')

Object.assign(Dispatcher.prototype, api)

/** undici's own makeDispatcher(api.request), for the one call shape we use: request(url, opts). */
function request (url, opts) {
  if (!url || (typeof url !== 'string' && typeof url !== 'object')) throw new InvalidArgumentError('invalid url')
  if (opts != null && typeof opts !== 'object') throw new InvalidArgumentError('invalid opts')
  opts = opts || {}
  if (opts.path != null) throw new InvalidArgumentError('opts.path is not supported here')
  url = util.parseURL(url)
  const { dispatcher = getGlobalDispatcher() } = opts
  return api.request.call(dispatcher, {
    ...opts,
    origin: url.origin,
    path: url.search ? `${url.pathname}${url.search}` : url.pathname,
    method: opts.method || (opts.body ? 'PUT' : 'GET')
  })
}

module.exports = { Dispatcher, EnvHttpProxyAgent, request }
