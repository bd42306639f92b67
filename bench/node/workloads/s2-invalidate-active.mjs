// SPDX-License-Identifier: LGPL-2.1-or-later
//
// S2-invalidate-active: Q active queries, keys ["s", i], one subscribed
// QueryObserver each with default options (so each fetches once when it
// mounts, untimed), fetchers resolving on the next microtask. Timed:
// invalidateQueries({queryKey: ["s"]}) until the last observer has been
// told of its refetched data. `notifications` counts the listener calls
// that brought an observer new data (one per observer); observers are
// also told that fetching started (`listener_calls`).

import { QueryClient, QueryObserver } from '@tanstack/query-core'
import { now, secondsSince, timeRuns, within } from '../measure.mjs'

export async function run ({ s2Queries: queries }, runs) {
  const timed = await timeRuns(runs, async () => {
    const client = new QueryClient()
    client.mount()
    let version = 0
    let fetcherCalls = 0
    let notifications = 0
    let listenerCalls = 0
    let end = 0n
    let wanted = 0
    let allNotified = null
    const shown = new Array(queries).fill(undefined)

    const expect = () => {
      wanted = queries
      return new Promise((resolve) => { allNotified = resolve })
    }
    const mounted = expect()
    const unsubscribes = []
    for (let i = 0; i < queries; i++) {
      const observer = new QueryObserver(client, {
        queryKey: ['s', i],
        queryFn: () => {
          fetcherCalls++
          return Promise.resolve({ id: i, version })
        },
      })
      unsubscribes.push(observer.subscribe((result) => {
        listenerCalls++
        if (result.data === shown[i])
          return
        shown[i] = result.data
        notifications++
        if (result.data?.version === version && --wanted === 0) {
          end = now()
          allNotified()
        }
      }))
    }
    await within(60, 'S2 mount fetches', mounted)

    version = 1
    fetcherCalls = 0
    notifications = 0
    listenerCalls = 0
    const refetched = expect()
    const start = now()
    const invalidation = client.invalidateQueries({ queryKey: ['s'] })
    await within(60, 'S2 refetches', refetched)
    const seconds = Number(end - start) / 1e9
    await invalidation
    const settled = secondsSince(start)

    for (const unsubscribe of unsubscribes)
      unsubscribe()
    client.clear()
    client.unmount()
    return { seconds, settled, fetcherCalls, notifications, listenerCalls }
  })

  const problems = timed.results
    .filter((result) => result.fetcherCalls !== queries || result.notifications !== queries)
    .map((result) => `${result.fetcherCalls} fetcher calls and ${result.notifications} data notifications, not ${queries}`)
  return {
    figures: {
      seconds: timed.seconds,
      runs: timed.runs,
      queries,
      notifications: timed.middle.notifications,
      fetcher_calls: timed.middle.fetcherCalls,
      listener_calls: timed.middle.listenerCalls,
      settled_seconds: timed.middle.settled,
    },
    problems,
  }
}
