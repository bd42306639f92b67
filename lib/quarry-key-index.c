/* quarry-key-index.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A trie over key segments. Each node has a hash table of children keyed
 * by the bytes of a segment's canonical encoding: open addressing with
 * linear probing, the slots holding the segment's hash, so a probe rarely
 * touches a key. A slot does not copy its segment: it holds a reference on
 * a key that has it (the key that made the slot) and the segment's offset
 * in it. A slot whose segment ends a key and leads nowhere else is a leaf:
 * it holds the value itself, and no node is allocated for it, so a leaf
 * costs one slot (24 bytes, at a load of at most 13/16).
 */

#include "config.h"

#include "quarry-key-index-private.h"

/* In Slot.offset: the slot holds a Node, not a value. */
#define SLOT_NODE 0x80000000u
#define SLOT_OFFSET(slot) ((slot)->offset & ~SLOT_NODE)
#define SLOT_IS_NODE(slot) (((slot)->offset & SLOT_NODE) != 0)

#define MIN_CAPACITY 4

typedef struct _Node Node;

typedef struct
{
  QuarryKey *key;       /* holds the segment; NULL for an empty slot */
  gpointer target;      /* a Node, or a leaf's value */
  guint32 hash;         /* the segment's */
  guint32 offset;       /* of the segment in key's encoding, and SLOT_NODE */
} Slot;

typedef struct
{
  Slot *slots;
  guint32 mask;         /* capacity - 1, when slots is not NULL */
  guint32 count;
} Table;

struct _Node
{
  gpointer value;       /* NULL when no key ends here */
  Table children;
};

struct _QuarryKeyIndex
{
  Node root;
};

/* A segment to look up: bytes of some key's encoding. */
typedef struct
{
  const guint8 *bytes;
  gsize size;
  guint32 hash;
} Probe;

static void node_free (Node *node);

static inline const guint8 *
slot_segment (const Slot *slot)
{
  gsize size;

  return _quarry_key_get_encoding (slot->key, &size) + SLOT_OFFSET (slot);
}

static inline gboolean
slot_equal (const Slot  *slot,
            const Probe *probe)
{
  gsize size;
  const guint8 *data = _quarry_key_get_encoding (slot->key, &size);
  guint32 offset = SLOT_OFFSET (slot);

  /* Encodings are self-delimiting: when the probe's bytes start the
   * slot's segment, they are the whole of it. */
  return size - offset >= probe->size &&
         memcmp (data + offset, probe->bytes, probe->size) == 0;
}

static void
slot_clear (Slot *slot)
{
  if (SLOT_IS_NODE (slot))
    node_free (slot->target);
  quarry_key_unref (slot->key);
  slot->key = NULL;
}

static void
table_clear (Table *table)
{
  if (table->slots == NULL)
    return;

  for (guint32 i = 0; i <= table->mask; i++)
    if (table->slots[i].key != NULL)
      slot_clear (&table->slots[i]);
  g_clear_pointer (&table->slots, g_free);
  table->mask = 0;
  table->count = 0;
}

static void
node_free (Node *node)
{
  table_clear (&node->children);
  g_free (node);
}

static Slot *
table_lookup (Table       *table,
              const Probe *probe)
{
  guint32 i;

  if (table->count == 0)
    return NULL;

  for (i = probe->hash & table->mask; table->slots[i].key != NULL; i = (i + 1) & table->mask)
    if (table->slots[i].hash == probe->hash && slot_equal (&table->slots[i], probe))
      return &table->slots[i];

  return NULL;
}

static void
table_resize (Table   *table,
              guint32  capacity)
{
  Slot *old = table->slots;
  guint32 old_capacity = old != NULL ? table->mask + 1 : 0;

  table->slots = g_new0 (Slot, capacity);
  table->mask = capacity - 1;

  for (guint32 i = 0; i < old_capacity; i++)
    if (old[i].key != NULL)
      {
        guint32 j = old[i].hash & table->mask;

        while (table->slots[j].key != NULL)
          j = (j + 1) & table->mask;
        table->slots[j] = old[i];
      }

  g_free (old);
}

/* Adds a slot for @probe, which is not in @table yet. */
static Slot *
table_add (Table       *table,
           const Probe *probe,
           QuarryKey   *key,
           guint32      offset)
{
  guint32 capacity = table->slots != NULL ? table->mask + 1 : 0;
  guint32 i;

  if ((table->count + 1) * 16 > capacity * 13)
    table_resize (table, MAX (capacity * 2, MIN_CAPACITY));

  for (i = probe->hash & table->mask; table->slots[i].key != NULL; i = (i + 1) & table->mask)
    ;

  table->slots[i].key = quarry_key_ref (key);
  table->slots[i].hash = probe->hash;
  table->slots[i].offset = offset;
  table->slots[i].target = NULL;
  table->count++;
  return &table->slots[i];
}

/* Empties @slot, which must be in @table, without freeing what it holds;
 * later slots of its cluster move back (no tombstones). */
static void
table_remove (Table *table,
              Slot  *slot)
{
  guint32 mask = table->mask;
  guint32 hole = slot - table->slots;
  guint32 i = hole;

  for (;;)
    {
      guint32 home;

      i = (i + 1) & mask;
      if (table->slots[i].key == NULL)
        break;

      /* The slot at i may fill the hole if its home is not in (hole, i]. */
      home = table->slots[i].hash & mask;
      if (((i - home) & mask) >= ((i - hole) & mask))
        {
          table->slots[hole] = table->slots[i];
          hole = i;
        }
    }

  table->slots[hole].key = NULL;
  table->slots[hole].target = NULL;
  table->count--;

  if (table->count == 0)
    {
      g_clear_pointer (&table->slots, g_free);
      table->mask = 0;
    }
  else if (table->count * 8 < mask + 1 && mask + 1 > MIN_CAPACITY)
    table_resize (table, (mask + 1) / 2);
}

/* The node of @slot, making one (holding the leaf's value) for a leaf. */
static Node *
slot_node (Slot *slot)
{
  Node *node;

  if (SLOT_IS_NODE (slot))
    return slot->target;

  node = g_new0 (Node, 1);
  node->value = slot->target;
  slot->target = node;
  slot->offset |= SLOT_NODE;
  return node;
}

static inline void
probe_init (Probe        *probe,
            const guint8 *segment)
{
  probe->bytes = segment;
  probe->size = _quarry_key_value_size (segment);
  probe->hash = _quarry_key_hash_bytes (segment, probe->size);
}

QuarryKeyIndex *
_quarry_key_index_new (void)
{
  return g_new0 (QuarryKeyIndex, 1);
}

void
_quarry_key_index_free (QuarryKeyIndex *self)
{
  table_clear (&self->root.children);
  g_free (self);
}

/* Sets the value of @key to @value, which is not NULL. */
void
_quarry_key_index_insert (QuarryKeyIndex *self,
                          QuarryKey      *key,
                          gpointer        value)
{
  guint n = quarry_key_get_length (key);
  gsize size;
  const guint8 *data = _quarry_key_get_encoding (key, &size);
  const guint8 *segment = data;
  Node *node = &self->root;

  g_assert (value != NULL);
  g_assert (size < SLOT_NODE);

  if (n == 0)
    {
      node->value = value;
      return;
    }

  for (guint i = 0; i < n; i++)
    {
      gboolean last = i + 1 == n;
      Probe probe;
      Slot *slot;

      probe_init (&probe, segment);
      slot = table_lookup (&node->children, &probe);

      if (slot == NULL)
        {
          slot = table_add (&node->children, &probe, key, segment - data);
          if (last)
            {
              slot->target = value;
              return;
            }
          slot->target = g_new0 (Node, 1);
          slot->offset |= SLOT_NODE;
        }
      else if (last)
        {
          if (SLOT_IS_NODE (slot))
            ((Node *) slot->target)->value = value;
          else
            {
              /* Hold the newer key: the older may be gone soon. */
              quarry_key_ref (key);
              quarry_key_unref (slot->key);
              slot->key = key;
              slot->offset = segment - data;
              slot->target = value;
            }
          return;
        }

      node = slot_node (slot);
      segment += probe.size;
    }
}

typedef struct
{
  Node *node;
  Slot *slot;
} Step;

/* Removes the value of @key, if there is one. */
void
_quarry_key_index_remove (QuarryKeyIndex *self,
                          QuarryKey      *key)
{
  guint n = quarry_key_get_length (key);
  gsize size;
  const guint8 *segment = _quarry_key_get_encoding (key, &size);
  Step stack_path[16];
  g_autofree Step *heap_path = NULL;
  Step *path = stack_path;
  Node *node = &self->root;
  Slot *slot;
  guint i;

  if (n == 0)
    {
      node->value = NULL;
      return;
    }

  if (n > G_N_ELEMENTS (stack_path))
    path = heap_path = g_new (Step, n);

  /* path[i] is the node looked in at depth i and the slot found there. */
  for (i = 0; i < n; i++)
    {
      Probe probe;

      probe_init (&probe, segment);
      slot = table_lookup (&node->children, &probe);
      if (slot == NULL || (i + 1 < n && !SLOT_IS_NODE (slot)))
        return;

      path[i].node = node;
      path[i].slot = slot;
      segment += probe.size;
      if (i + 1 < n)
        node = slot->target;
    }

  /* Drop the value, then prune what no longer leads to one: a node
   * without children goes, or turns back into a leaf if it has a value. */
  slot = path[n - 1].slot;
  if (SLOT_IS_NODE (slot))
    {
      Node *child = slot->target;

      child->value = NULL;
      if (child->children.count > 0)
        return;
    }

  for (i = n; i-- > 0;)
    {
      Table *table = &path[i].node->children;

      slot = path[i].slot;
      if (SLOT_IS_NODE (slot))
        {
          Node *child = slot->target;

          if (child->children.count > 0)
            return;
          if (child->value != NULL)
            {
              slot->target = child->value;
              slot->offset &= ~SLOT_NODE;
              node_free (child);
              return;
            }
          node_free (child);
        }

      quarry_key_unref (slot->key);
      table_remove (table, slot);
    }
}

static void
collect_subtree (Node      *node,
                 GPtrArray *values)
{
  if (node->value != NULL)
    g_ptr_array_add (values, node->value);

  if (node->children.count == 0)
    return;

  for (guint32 i = 0; i <= node->children.mask; i++)
    {
      Slot *slot = &node->children.slots[i];

      if (slot->key == NULL)
        continue;
      if (SLOT_IS_NODE (slot))
        collect_subtree (slot->target, values);
      else
        g_ptr_array_add (values, slot->target);
    }
}

static void collect (Node         *node,
                     const guint8 *segment,
                     guint         remaining,
                     GPtrArray    *values);

static void
collect_slot (Slot         *slot,
              const guint8 *next,
              guint         remaining,
              GPtrArray    *values)
{
  if (SLOT_IS_NODE (slot))
    collect (slot->target, next, remaining, values);
  else if (remaining == 0)
    g_ptr_array_add (values, slot->target);
}

/* Collects under @node what matches the @remaining segments at @segment. */
static void
collect (Node         *node,
         const guint8 *segment,
         guint         remaining,
         GPtrArray    *values)
{
  Probe probe;

  if (remaining == 0)
    {
      collect_subtree (node, values);
      return;
    }

  if (node->children.count == 0)
    return;

  probe.bytes = segment;
  probe.size = _quarry_key_value_size (segment);

  /* An array or object matches partially: scan this level. */
  if (_quarry_key_value_is_container (segment))
    {
      for (guint32 i = 0; i <= node->children.mask; i++)
        {
          Slot *slot = &node->children.slots[i];

          if (slot->key != NULL && _quarry_key_value_matches (slot_segment (slot), segment))
            collect_slot (slot, segment + probe.size, remaining - 1, values);
        }
    }
  else
    {
      Slot *slot;

      probe.hash = _quarry_key_hash_bytes (segment, probe.size);
      slot = table_lookup (&node->children, &probe);
      if (slot != NULL)
        collect_slot (slot, segment + probe.size, remaining - 1, values);
    }
}

/* Appends to @values every value whose key starts with @prefix (partial
 * matching), in no particular order. */
void
_quarry_key_index_collect (QuarryKeyIndex *self,
                           QuarryKey      *prefix,
                           GPtrArray      *values)
{
  gsize size;

  collect (&self->root, _quarry_key_get_encoding (prefix, &size),
           quarry_key_get_length (prefix), values);
}
