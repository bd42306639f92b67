// SPDX-License-Identifier: LGPL-2.1-or-later
//
// W5-memory: V8 heap bytes per entry for W1's N entries, the data kept
// alive: process.memoryUsage().heapUsed after a full collection, before and
// after the sets, divided by N. A warm-up fills and drops one cache first.
// In a browser each unobserved query also holds its gc timer (setup.mjs);
// Node's Timeout objects live on the V8 heap and are counted. The resident
// set grows too (rss_bytes_per_entry), but by whole pages the heap reserves
// ahead, so heapUsed is the figure. server_bytes_per_entry is one more
// measurement with query-core's default on Node (a server: gcTime Infinity,
// no gc timers), to tell the entries from their timers.

import { QueryClient, environmentManager } from '@tanstack/query-core'
import { median } from '../measure.mjs'
import { gc } from '../setup.mjs'

function fill (client, n) {
  for (let i = 0; i < n; i++)
    client.setQueryData(['todos', { page: i % 100, id: i }], { id: i, title: `t${i}`, done: false })
}

function settledMemory () {
  gc()
  gc()
  return process.memoryUsage()
}

function measure (n) {
  const client = new QueryClient()
  client.mount()
  const before = settledMemory()
  fill(client, n)
  const after = settledMemory()

  const entries = client.getQueryCache().getAll().length
  client.clear()
  client.unmount()
  return {
    entries,
    bytes: (after.heapUsed - before.heapUsed) / n,
    rss: (after.rss - before.rss) / n,
  }
}

export async function run ({ n }, runs) {
  const warmUp = new QueryClient()
  fill(warmUp, n)
  warmUp.clear()

  const results = []
  for (let r = 0; r < runs; r++)
    results.push(measure(n))

  environmentManager.setIsServer(() => true)
  const server = measure(n)
  environmentManager.setIsServer(() => false)

  const problems = [...results, server]
    .filter((result) => result.entries !== n)
    .map((result) => `${result.entries} entries in the cache, not ${n}`)
  return {
    figures: {
      seconds: null,
      runs: [],
      n,
      bytes_per_entry: Math.round(median(results.map((result) => result.bytes))),
      bytes_runs: results.map((result) => Math.round(result.bytes)),
      rss_bytes_per_entry: Math.round(median(results.map((result) => result.rss))),
      server_bytes_per_entry: Math.round(server.bytes),
      method: 'v8 heapUsed delta after global.gc()',
    },
    problems,
  }
}
