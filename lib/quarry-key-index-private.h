/* quarry-key-index-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "quarry-key-private.h"

G_BEGIN_DECLS

/* A trie over key segments: finding the entries under a key prefix costs the
 * size of the match, not the size of the cache. A filter segment that is an
 * array or an object matches partially, so at that level the children are
 * scanned. */
typedef struct _QuarryKeyIndex QuarryKeyIndex;

QuarryKeyIndex *_quarry_key_index_new     (void);
void            _quarry_key_index_free    (QuarryKeyIndex *self);
void            _quarry_key_index_insert  (QuarryKeyIndex *self,
                                           QuarryKey      *key,
                                           gpointer        value);
void            _quarry_key_index_remove  (QuarryKeyIndex *self,
                                           QuarryKey      *key);
void            _quarry_key_index_collect (QuarryKeyIndex *self,
                                           QuarryKey      *prefix,
                                           GPtrArray      *values);

G_END_DECLS
