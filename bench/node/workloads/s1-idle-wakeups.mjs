// SPDX-License-Identifier: LGPL-2.1-or-later
//
// S1-idle-wakeups: Q queries with data, each with a subscribed QueryObserver
// with staleTime and gcTime 5 minutes, then an idle period; counts the timer
// callbacks that fire while idle. query-core arms its timers through
// timeoutManager, whose default provider calls the global setTimeout and
// setInterval at each call, so wrapping those globals sees every one of
// them. Each observer arms its own stale timer (setup.mjs makes the runtime
// a client); a query's gc timer runs only while it has no observer.
//
// timers is how many query-core timers are armed when the idle period
// starts. os_wakeups is what Linux counts for the main thread while idle: its
// voluntary context switches (each a return from epoll_wait), less the
// one that ends the idle period. setup_seconds is what subscribing the Q
// observers took, instrumented timers included.

import { readFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { QueryClient, QueryObserver } from '@tanstack/query-core'
import { now, secondsSince } from '../measure.mjs'

const FIVE_MINUTES = 5 * 60 * 1000

function mainThreadSwitches () {
  try {
    const status = readFileSync(`/proc/self/task/${process.pid}/status`, 'utf8')
    const match = /^voluntary_ctxt_switches:\s*(\d+)$/m.exec(status)
    return match ? Number(match[1]) : null
  } catch {
    return null
  }
}

// Wraps the global timer functions so that the callbacks they schedule
// count when they fire while `counting` is set, and the timers not yet
// fired or cleared are in `live`; returns the restorer.
function instrumentTimers (counter) {
  const {
    setTimeout: originalTimeout,
    setInterval: originalInterval,
    clearTimeout: originalClearTimeout,
    clearInterval: originalClearInterval,
  } = globalThis
  const wrap = (original, once) => (callback, delay, ...args) => {
    const timer = original((...callbackArgs) => {
      if (once)
        counter.live.delete(timer)
      if (counter.counting)
        counter.fired++
      callback(...callbackArgs)
    }, delay, ...args)
    counter.live.add(timer)
    return timer
  }
  const wrapClear = (original) => (timer) => {
    counter.live.delete(timer)
    original(timer)
  }
  globalThis.setTimeout = wrap(originalTimeout, true)
  globalThis.setInterval = wrap(originalInterval, false)
  globalThis.clearTimeout = wrapClear(originalClearTimeout)
  globalThis.clearInterval = wrapClear(originalClearInterval)
  return () => {
    globalThis.setTimeout = originalTimeout
    globalThis.setInterval = originalInterval
    globalThis.clearTimeout = originalClearTimeout
    globalThis.clearInterval = originalClearInterval
  }
}

export async function run ({ s1Queries: queries, idleSeconds }) {
  const counter = { counting: false, fired: 0, live: new Set() }
  const restore = instrumentTimers(counter)
  const client = new QueryClient()
  client.mount()

  const unsubscribes = []
  let armed = 0
  const start = now()
  for (let q = 0; q < queries; q++) {
    const key = ['todos', { page: q % 100, id: q }]
    client.setQueryData(key, { id: q, title: `t${q}`, done: false })
    const observer = new QueryObserver(client, {
      queryKey: key,
      queryFn: () => client.getQueryData(key),
      staleTime: FIVE_MINUTES,
      gcTime: FIVE_MINUTES,
    })
    unsubscribes.push(observer.subscribe(() => {}))
  }
  const setupSeconds = secondsSince(start)
  // Let whatever the setup queued run before idling.
  await new Promise((resolve) => setImmediate(resolve))
  for (const query of client.getQueryCache().getAll())
    armed += query.observers.length

  const timers = counter.live.size
  const switchesBefore = mainThreadSwitches()
  counter.counting = true
  const idleStart = now()
  await sleep(idleSeconds * 1000)
  const idled = secondsSince(idleStart)
  counter.counting = false
  const switchesAfter = mainThreadSwitches()

  for (const unsubscribe of unsubscribes)
    unsubscribe()
  client.clear()
  client.unmount()
  restore()

  const problems = armed === queries ? [] : [`${armed} observers subscribed, not ${queries}`]
  return {
    figures: {
      seconds: null,
      runs: [],
      queries,
      idle_seconds: idled,
      wakeups: counter.fired,
      wakeups_per_second: counter.fired / idled,
      timers,
      os_wakeups: switchesBefore === null ? null : Math.max(0, switchesAfter - switchesBefore - 1),
      setup_seconds: setupSeconds,
    },
    problems,
  }
}
