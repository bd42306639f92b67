/* quarry.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#define _QUARRY_INSIDE

#include "quarry-version.h"
#include "quarry-types.h"
#include "quarry-enums.h"
#include "quarry-error.h"
#include "quarry-key.h"
#include "quarry-clock.h"
#include "quarry-query-state.h"
#include "quarry-query-options.h"
#include "quarry-query-filter.h"
#include "quarry-fetch-context.h"
#include "quarry-http-client.h"
#include "quarry-http-endpoint.h"
#include "quarry-query-client.h"
#include "quarry-query.h"
#include "quarry-infinite-data.h"
#include "quarry-json-item.h"
#include "quarry-keyed-list-model.h"
#include "quarry-page.h"
#include "quarry-infinite-query.h"
#include "quarry-restorer.h"
#include "quarry-optimistic-update.h"
#include "quarry-mutation-state.h"
#include "quarry-mutation-filter.h"
#include "quarry-mutation-options.h"
#include "quarry-mutation.h"

#undef _QUARRY_INSIDE
