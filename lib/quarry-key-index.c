/* quarry-key-index.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "quarry-key-index-private.h"

typedef struct _Node Node;

struct _Node
{
  GVariant *segment;
  Node *parent;
  GHashTable *children;
  gpointer value;
};

struct _QuarryKeyIndex
{
  Node root;
};

static void
node_free (gpointer data)
{
  Node *node = data;

  g_clear_pointer (&node->children, g_hash_table_unref);
  g_clear_pointer (&node->segment, g_variant_unref);
  g_free (node);
}

QuarryKeyIndex *
_quarry_key_index_new (void)
{
  return g_new0 (QuarryKeyIndex, 1);
}

void
_quarry_key_index_free (QuarryKeyIndex *self)
{
  g_clear_pointer (&self->root.children, g_hash_table_unref);
  g_free (self);
}

static Node *
lookup_child (Node     *node,
              GVariant *segment)
{
  if (node->children == NULL)
    return NULL;
  return g_hash_table_lookup (node->children, segment);
}

void
_quarry_key_index_insert (QuarryKeyIndex *self,
                          QuarryKey      *key,
                          gpointer        value)
{
  guint n = quarry_key_get_length (key);
  Node *node = &self->root;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GVariant) segment = _quarry_key_dup_segment (key, i);
      Node *child = lookup_child (node, segment);

      if (child == NULL)
        {
          if (node->children == NULL)
            node->children = g_hash_table_new_full (_quarry_segment_hash, _quarry_segment_equal,
                                                    NULL, node_free);
          child = g_new0 (Node, 1);
          child->segment = g_variant_ref (segment);
          child->parent = node;
          g_hash_table_insert (node->children, child->segment, child);
        }
      node = child;
    }

  node->value = value;
}

void
_quarry_key_index_remove (QuarryKeyIndex *self,
                          QuarryKey      *key)
{
  guint n = quarry_key_get_length (key);
  Node *node = &self->root;

  for (guint i = 0; i < n && node != NULL; i++)
    {
      g_autoptr(GVariant) segment = _quarry_key_dup_segment (key, i);

      node = lookup_child (node, segment);
    }

  if (node == NULL)
    return;

  node->value = NULL;

  /* Prune the branch that no longer leads to a value. */
  while (node != &self->root &&
         node->value == NULL &&
         (node->children == NULL || g_hash_table_size (node->children) == 0))
    {
      Node *parent = node->parent;

      g_hash_table_remove (parent->children, node->segment);
      node = parent;
    }
}

static void
collect_subtree (Node      *node,
                 GPtrArray *values)
{
  if (node->value != NULL)
    g_ptr_array_add (values, node->value);

  if (node->children != NULL)
    {
      GHashTableIter iter;
      gpointer child;

      g_hash_table_iter_init (&iter, node->children);
      while (g_hash_table_iter_next (&iter, NULL, &child))
        collect_subtree (child, values);
    }
}

static void
collect (Node      *node,
         QuarryKey *prefix,
         guint      depth,
         GPtrArray *values)
{
  g_autoptr(GVariant) segment = NULL;

  if (depth == quarry_key_get_length (prefix))
    {
      collect_subtree (node, values);
      return;
    }

  if (node->children == NULL)
    return;

  segment = _quarry_key_dup_segment (prefix, depth);

  if (_quarry_segment_is_container (segment))
    {
      GHashTableIter iter;
      gpointer child;

      g_hash_table_iter_init (&iter, node->children);
      while (g_hash_table_iter_next (&iter, NULL, &child))
        if (_quarry_segment_matches (((Node *) child)->segment, segment))
          collect (child, prefix, depth + 1, values);
    }
  else
    {
      Node *child = lookup_child (node, segment);

      if (child != NULL)
        collect (child, prefix, depth + 1, values);
    }
}

/* Appends to @values every value whose key starts with @prefix (partial
 * matching), in no particular order. */
void
_quarry_key_index_collect (QuarryKeyIndex *self,
                           QuarryKey      *prefix,
                           GPtrArray      *values)
{
  collect (&self->root, prefix, 0, values);
}
