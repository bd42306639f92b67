// SPDX-License-Identifier: LGPL-2.1-or-later
//
// How every TanStack workload of run.mjs runs query-core: as it runs in an
// application's production bundle in a browser, the counterpart of a GTK
// application.
//
// - NODE_ENV is 'production'. Bundlers replace process.env.NODE_ENV with a
//   constant in production builds; without it query-core takes its
//   development paths (warnings, try/catch around structural sharing) and
//   reads the environment on every setQueryData.
// - The runtime is a client, not a server. query-core treats Node (no
//   `window`) as a server: gcTime defaults to Infinity and observers arm no
//   stale timers. In a browser, as in Quarry, every unobserved query holds a
//   5-minute gc timer and every observer with a finite staleTime a stale
//   timer, so S1 and W5 count them.
// - Notifications are delivered synchronously (notifyManager's scheduler
//   calls at once instead of setTimeout(0)), so that what a notification
//   costs lands in the timed section, as Quarry's notify does.

import v8 from 'node:v8'
import vm from 'node:vm'
import { environmentManager, notifyManager } from '@tanstack/query-core'

process.env.NODE_ENV = 'production'
environmentManager.setIsServer(() => false)
notifyManager.setScheduler((callback) => callback())

// A full garbage collection: global.gc under `node --expose-gc`, otherwise
// the same function fetched from a fresh context once the flag is set.
export const gc = globalThis.gc ?? (() => {
  v8.setFlagsFromString('--expose-gc')
  return vm.runInNewContext('gc')
})()
