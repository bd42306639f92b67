// SPDX-License-Identifier: LGPL-2.1-or-later
//
// W4-fanout: one key with K subscribed QueryObservers (what K mounted
// useQuery calls hold), then R setQueryData calls with distinct data; each
// observer counts the notifications its listener receives, which the
// synchronous scheduler (setup.mjs) delivers inside the timed section.
// The observers have staleTime Infinity: the key has data when they mount,
// so none of them refetches, and the R updates are all there is to deliver.

import { QueryClient, QueryObserver } from '@tanstack/query-core'
import { now, secondsSince, timeRuns } from '../measure.mjs'

export async function run ({ observers, updates }, runs) {
  const timed = await timeRuns(runs, () => {
    const client = new QueryClient()
    client.mount()
    const key = ['fanout']
    client.setQueryData(key, { update: 0 })

    const counts = new Uint32Array(observers)
    const unsubscribes = []
    for (let k = 0; k < observers; k++) {
      const observer = new QueryObserver(client, {
        queryKey: key,
        queryFn: () => client.getQueryData(key),
        staleTime: Infinity,
      })
      unsubscribes.push(observer.subscribe(() => { counts[k]++ }))
    }
    counts.fill(0)

    const start = now()
    for (let r = 1; r <= updates; r++)
      client.setQueryData(key, { update: r })
    const seconds = secondsSince(start)

    let notifications = 0
    let fewest = Infinity
    for (const count of counts) {
      notifications += count
      fewest = Math.min(fewest, count)
    }
    for (const unsubscribe of unsubscribes)
      unsubscribe()
    client.clear()
    client.unmount()
    return { seconds, notifications, fewest }
  })

  const expected = observers * updates
  const problems = timed.results
    .filter((result) => result.notifications !== expected || result.fewest !== updates)
    .map((result) => `${result.notifications} notifications (fewest per observer ${result.fewest}), not ${expected}`)
  return {
    figures: {
      seconds: timed.seconds,
      runs: timed.runs,
      observers,
      updates,
      notifications: timed.middle.notifications,
      per_notification_us: timed.seconds * 1e6 / expected,
    },
    problems,
  }
}
