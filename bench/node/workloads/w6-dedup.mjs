// SPDX-License-Identifier: LGPL-2.1-or-later
//
// W6-dedup: M fetchQuery calls for one key started in the same tick, whose
// fetcher resolves after a real 10 ms timer; seconds until Promise.all of
// the M promises settles. fetchQuery (staleTime 0) hands every call after
// the first the fetch in flight, so the fetcher must run once.

import { setTimeout as sleep } from 'node:timers/promises'
import { QueryClient } from '@tanstack/query-core'
import { now, secondsSince, timeRuns, within } from '../measure.mjs'

export async function run ({ m }, runs) {
  const timed = await timeRuns(runs, async () => {
    const client = new QueryClient()
    client.mount()
    let fetcherCalls = 0
    const queryFn = () => {
      fetcherCalls++
      return sleep(10, { title: 'fetched' })
    }

    const start = now()
    const fetches = []
    for (let k = 0; k < m; k++)
      fetches.push(client.fetchQuery({ queryKey: ['dedup'], queryFn }))
    const values = await within(60, 'W6 fetches', Promise.all(fetches))
    const seconds = secondsSince(start)

    const delivered = values.filter((value) => value?.title === 'fetched').length
    client.clear()
    client.unmount()
    return { seconds, fetcherCalls, delivered }
  })

  const problems = timed.results
    .filter((result) => result.fetcherCalls !== 1 || result.delivered !== m)
    .map((result) => `${result.fetcherCalls} fetcher calls (not 1), ${result.delivered} of ${m} fetches delivered the data`)
  return {
    figures: {
      seconds: timed.seconds,
      runs: timed.runs,
      m,
      fetcher_calls: Math.max(...timed.results.map((result) => result.fetcherCalls)),
    },
    problems,
  }
}
