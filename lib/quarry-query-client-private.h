/* quarry-query-client-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "quarry-entry-private.h"
#include "quarry-option-values-private.h"
#include "quarry-query-client.h"

G_BEGIN_DECLS

QuarryEntry  *_quarry_query_client_ensure_entry   (QuarryQueryClient  *self,
                                                   QuarryKey          *key);
QuarryEntry  *_quarry_query_client_lookup_entry   (QuarryQueryClient  *self,
                                                   QuarryKey          *key);
void          _quarry_query_client_remove_entry   (QuarryQueryClient  *self,
                                                   QuarryEntry        *entry);
void          _quarry_query_client_entry_updated  (QuarryQueryClient  *self,
                                                   QuarryEntry        *entry,
                                                   QuarryQueryAction   action,
                                                   QuarryFetchStatus   old_fetch_status);
void          _quarry_query_client_resolve_options (QuarryQueryClient *self,
                                                    QuarryKey         *key,
                                                    QuarryOptionValues *values);
void          _quarry_query_client_index_tags     (QuarryQueryClient  *self,
                                                   QuarryEntry        *entry,
                                                   const char * const *tags);

G_END_DECLS
