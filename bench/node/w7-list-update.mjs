// SPDX-License-Identifier: LGPL-2.1-or-later
//
// W7-list-update of shared/bench/WORKLOADS.md, the TanStack side; the
// Quarry side is bench/w7-list-update.c, on the same data.
//
// A 10 000-item list is held by a query with an active QueryObserver
// (subscribed, as a mounted useQuery is). Each of 100 updates is
// setQueryData() of a fresh copy of the list (new objects throughout, as a
// refetch parses them) in which 10 items changed their title and done;
// structural sharing (replaceEqualDeep, the default) keeps the other 9 990
// objects. The copies are made before timing. Notifications are delivered
// synchronously (notifyManager's scheduler is set to call at once) so that
// the listener runs inside the timed section, as Quarry's notify does.
//
// Prints one JSON line: the median of 5 runs (after one warm-up run).

import { QueryClient, QueryObserver, notifyManager } from '@tanstack/query-core'

const N_ITEMS = 10000
const N_UPDATES = 100
const N_CHANGED = 10
const RUNS = 5

// The data shape and the changes, as in w7-list-update.c.
function baseItem (i) {
  return {
    id: i + 1,
    title: `Todo ${i}`,
    done: i % 3 === 0,
    priority: i % 5,
    tags: [`tag${i % 7}`, `tag${i % 11}`],
  }
}

function changedIndex (update, k) {
  return (update * 7919 + k * 1000) % N_ITEMS
}

// A fresh deep copy of @prev with update @u's changes.
function nextList (prev, u) {
  const list = prev.map((item) => ({ ...item, tags: [...item.tags] }))
  for (let k = 0; k < N_CHANGED; k++) {
    const i = changedIndex(u, k)
    list[i].title = `Todo ${i} rev ${u}`
    list[i].done = !list[i].done
  }
  return list
}

function run () {
  const client = new QueryClient()
  const key = ['todos']
  const initial = Array.from({ length: N_ITEMS }, (_, i) => baseItem(i))
  client.setQueryData(key, initial)

  const observer = new QueryObserver(client, {
    queryKey: key,
    queryFn: () => initial,
    staleTime: Infinity,
    enabled: false,
  })
  const shown = []
  const unsubscribe = observer.subscribe((result) => {
    shown.push(result.data)
  })

  const copies = []
  let prev = initial
  for (let u = 1; u <= N_UPDATES; u++) {
    prev = nextList(prev, u)
    copies.push(prev)
  }

  const start = process.hrtime.bigint()
  for (let u = 0; u < N_UPDATES; u++)
    client.setQueryData(key, copies[u])
  const seconds = Number(process.hrtime.bigint() - start) / 1e9

  // What a keyed list would re-render: the items whose object changed.
  let itemsReported = 0
  let before = initial
  for (const data of shown) {
    for (let i = 0; i < N_ITEMS; i++)
      if (data[i] !== before[i])
        itemsReported++
    before = data
  }

  unsubscribe()
  client.clear()
  return { seconds, notifications: shown.length, itemsReported }
}

notifyManager.setScheduler((callback) => callback())

run()
const runs = []
for (let r = 0; r < RUNS; r++)
  runs.push(run())
const seconds = runs.map((result) => result.seconds)
runs.sort((a, b) => a.seconds - b.seconds)
const median = runs[Math.floor(RUNS / 2)]

console.log(JSON.stringify({
  workload: 'W7-list-update',
  side: 'tanstack',
  seconds: median.seconds,
  runs: seconds,
  per_update_ms: median.seconds * 1000 / N_UPDATES,
  items_changed_emissions: median.notifications,
  items_reported: median.itemsReported,
  notifications: median.notifications,
}))
