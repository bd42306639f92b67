/* quarry-keyed-list-model.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <errno.h>
#include <string.h>

#include "quarry-keyed-list-model.h"

#include "quarry-infinite-data.h"
#include "quarry-infinite-query.h"
#include "quarry-json-item.h"
#include "quarry-keyed-json-private.h"

/**
 * QuarryKeyedListModel:
 *
 * A [iface@Gio.ListModel] of a query's list that keeps one item object per
 * id across refetches, for a `GtkListView` whose selection and scroll
 * position must survive them.
 *
 * The model follows [property@Query:data] of its [property@KeyedListModel:query].
 * The data can be:
 *
 * - a JSON array of objects;
 * - a JSON object holding the array in its
 *   [property@KeyedListModel:items-member] (`{"items": [...], "next": 2}`);
 * - the [struct@InfiniteData] of an [class@InfiniteQuery]: the elements of
 *   all its pages, in order, each page being an array or an object holding
 *   the array in the query's [property@InfiniteQuery:items-member] (or, when
 *   that is unset, the model's own);
 * - a [iface@Gio.ListModel] of objects, such as the `GListStore` the HTTP
 *   layer makes with an object type (a page of an infinite query may be one
 *   too).
 *
 * Each element has an id: the member named [property@KeyedListModel:id-member]
 * (`"id"` by default; a string, or an integer whose id is its decimal text,
 * so `"42"` and `42` are the same id), or what the function given to
 * [method@KeyedListModel.set_id_func] returns. For a list model of objects
 * the id is the property named by the id member.
 *
 * On each change of the data the model matches the new elements to its items
 * by id, and then:
 *
 * - an element whose id it already has keeps its item object; when the
 *   element's contents changed the item is updated in place, and only the
 *   properties that changed are notified. No `items-changed` is emitted for
 *   it, so a refetch that changes the contents of 10 items of 10 000 emits
 *   no `items-changed` at all;
 * - items that stay in the same relative order are never reported; each run
 *   of removed and added items is one `items-changed` emission, as small as
 *   it can be;
 * - an item that moved is reported removed and added again, the same object,
 *   in one emission together with the items between its old and new place,
 *   so that `GtkSingleSelection`, `GtkMultiSelection` and `GtkListView` keep
 *   its selection and its row.
 *
 * Elements are compared by pointer first: the HTTP layer rebuilds a
 * refetched list from the cached list's unchanged elements, so those cost
 * nothing to match.
 *
 * The items are instances of [property@KeyedListModel:item-type]:
 *
 * - [class@JsonItem] (the default) holds the element itself; an update
 *   replaces its node, which notifies [property@JsonItem:node] and emits
 *   [signal@JsonItem::changed] for each member that changed;
 * - any other object type is made with `g_object_new()` and its properties
 *   are set from the members of the same name (member `updated_at` or
 *   `updatedAt` sets the property `updated-at`). Strings, booleans, numbers,
 *   enums (by nick, name or number), flags, string arrays (`GStrv`), JSON
 *   (`JsonNode`, `JsonObject`, `JsonArray`), ISO 8601 dates (`GDateTime`),
 *   `GVariant` and nested objects (through `json_gobject_deserialize()`)
 *   are converted; a type that implements `JsonSerializable` converts its
 *   own. Members without a property are ignored, and a member that does not
 *   fit its property, or is `null`, gives the property's default. An update
 *   sets only the properties whose members changed, inside
 *   `g_object_freeze_notify()`, so each is notified once and nothing else
 *   is; a member that disappeared resets its property to its default.
 *   Construct-only properties are set when the item is made, never updated
 *   (those of a `JsonSerializable` type too: as `json_gobject_deserialize()`
 *   does, they are found by name and converted by the model, since the
 *   type's own methods need an instance);
 * - for a list model of objects, the item of an id is the first object that
 *   had it; later objects with that id have their readable and writable
 *   properties copied into it, those that differ only.
 *
 * Elements with no id (not an object, no id member, an id that is neither a
 * string nor an integer, or `NULL` from the id function), elements whose id
 * an earlier element of the same list already has (the first one wins), and
 * objects that are not of the item type are left out of the model and
 * counted in [property@KeyedListModel:n-skipped].
 *
 * ```c
 * QuarryQuery *query = quarry_query_new (client, key, fetch_todos, NULL, NULL);
 * QuarryKeyedListModel *todos = quarry_keyed_list_model_new (query, TODO_TYPE_ITEM);
 * GtkSingleSelection *selection = gtk_single_selection_new (G_LIST_MODEL (todos));
 *
 * gtk_list_view_set_model (list_view, GTK_SELECTION_MODEL (selection));
 * ```
 */

typedef struct
{
  GObject *item;               /* owned */
  gpointer element;            /* owned: the JsonNode or GObject the item is up to date with */
  char *id_text;               /* owned; NULL when the id is id_number */
  gint64 id_number;
  guint position;              /* in the model; G_MAXUINT while new */
  guint new_position;          /* in the new order, during an update */
  guint stamp;                 /* the update that last matched it */
  guint anchor;                /* the update in which it kept its place */
  guint region;                /* during an update: the run its old place is in */
  guint element_is_object : 1;
  guint keyed : 1;             /* whether it is in by_id */
} Entry;

struct _QuarryKeyedListModel
{
  GObject parent_instance;

  QuarryQuery *query;
  GType item_type;
  gpointer item_class;         /* a reference that keeps item_type's class */
  char *id_member;
  char *items_member;
  QuarryItemIdFunc id_func;
  gpointer id_func_data;
  GDestroyNotify id_func_destroy;

  GPtrArray *entries;          /* Entry, in model order */
  GHashTable *by_id;           /* Entry, hashed and compared by id */
  GHashTable *member_pspecs;   /* member name → GParamSpec of the item type, or NULL */
  GPtrArray *copy_pspecs;      /* GParamSpec copied between objects; made when needed */
  guint n_skipped;
  guint generation;

  /* Scratch arrays of an update, kept between updates. */
  GPtrArray *elements;         /* the data's elements, unowned */
  GPtrArray *new_entries;      /* Entry, in the new order */
  GPtrArray *new_elements;     /* the element of each of new_entries */
  GArray *ints;                /* guint scratch */

  /* While an update emits its changes, the model reads as the first
   * building_len entries of the new order followed by the old entries from
   * old_cursor on. */
  gboolean building;
  guint building_len;
  guint old_cursor;

  guint updating : 1;
  guint update_pending : 1;
  guint rekey_pending : 1;
  /* Disposed while an update walks the entries: they are freed when it
   * is over, the model reads as empty until then and reports nothing. */
  guint clear_pending : 1;
};

enum {
  PROP_0,
  PROP_QUERY,
  PROP_ITEM_TYPE,
  PROP_ID_MEMBER,
  PROP_ITEMS_MEMBER,
  PROP_N_ITEMS,
  PROP_N_SKIPPED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (QuarryKeyedListModel, quarry_keyed_list_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

/* Ids */

static guint
entry_hash (gconstpointer key)
{
  const Entry *entry = key;
  guint64 v;

  if (entry->id_text != NULL)
    return g_str_hash (entry->id_text);
  v = (guint64) entry->id_number;
  return (guint) (v ^ (v >> 32));
}

static gboolean
entry_equal (gconstpointer a,
             gconstpointer b)
{
  const Entry *ea = a, *eb = b;

  if (ea->id_text == NULL || eb->id_text == NULL)
    return ea->id_text == eb->id_text && ea->id_number == eb->id_number;
  return strcmp (ea->id_text, eb->id_text) == 0;
}

/* Whether @text is an integer as JSON writes it (no sign but '-', no
 * leading zero), which is the same id as that integer. */
static gboolean
canonical_integer (const char *text,
                   gint64     *out)
{
  const char *digits = text[0] == '-' ? text + 1 : text;
  gsize length = 0;
  gint64 v;
  char *end;

  for (const char *p = digits; *p != '\0'; p++, length++)
    if (*p < '0' || *p > '9')
      return FALSE;
  if (length == 0 || length > 19 || (digits[0] == '0' && (length > 1 || digits != text)))
    return FALSE;

  errno = 0;
  v = g_ascii_strtoll (text, &end, 10);
  if (errno != 0 || *end != '\0')
    return FALSE;
  *out = v;
  return TRUE;
}

/* Sets the id of @probe from @text: a number when it is one. The text is
 * borrowed. */
static void
probe_set_text (Entry      *probe,
                const char *text)
{
  if (canonical_integer (text, &probe->id_number))
    probe->id_text = NULL;
  else
    probe->id_text = (char *) text;
}

static gboolean
json_element_id (QuarryKeyedListModel  *self,
                 JsonNode              *node,
                 Entry                 *probe,
                 char                 **owned)
{
  JsonNode *member;
  GType type;

  if (self->id_func != NULL)
    {
      *owned = self->id_func (node, self->id_func_data);
      if (*owned == NULL)
        return FALSE;
      probe_set_text (probe, *owned);
      return TRUE;
    }

  if (JSON_NODE_TYPE (node) != JSON_NODE_OBJECT)
    return FALSE;
  member = json_object_get_member (json_node_get_object (node), self->id_member);
  if (member == NULL || JSON_NODE_TYPE (member) != JSON_NODE_VALUE)
    return FALSE;

  type = json_node_get_value_type (member);
  if (type == G_TYPE_INT64)
    {
      probe->id_number = json_node_get_int (member);
      probe->id_text = NULL;
      return TRUE;
    }
  if (type == G_TYPE_STRING)
    {
      probe_set_text (probe, json_node_get_string (member));
      return TRUE;
    }
  if (type == G_TYPE_DOUBLE)
    {
      double d = json_node_get_double (member);

      /* The range first: casting a double that does not fit is undefined. */
      if (d >= -9223372036854775808.0 && d < 9223372036854775808.0 && d == (double) (gint64) d)
        {
          probe->id_number = (gint64) d;
          probe->id_text = NULL;
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
object_element_id (QuarryKeyedListModel  *self,
                   GObject               *object,
                   Entry                 *probe,
                   char                 **owned)
{
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (object), self->id_member);
  g_auto(GValue) value = G_VALUE_INIT;

  if (pspec == NULL || !(pspec->flags & G_PARAM_READABLE))
    return FALSE;

  g_value_init (&value, pspec->value_type);
  g_object_get_property (object, pspec->name, &value);

  probe->id_text = NULL;
  switch (G_TYPE_FUNDAMENTAL (pspec->value_type))
    {
    case G_TYPE_INT:
      probe->id_number = g_value_get_int (&value);
      return TRUE;
    case G_TYPE_UINT:
      probe->id_number = g_value_get_uint (&value);
      return TRUE;
    case G_TYPE_LONG:
      probe->id_number = g_value_get_long (&value);
      return TRUE;
    case G_TYPE_ULONG:
      if (g_value_get_ulong (&value) > G_MAXINT64)
        return FALSE;
      probe->id_number = (gint64) g_value_get_ulong (&value);
      return TRUE;
    case G_TYPE_INT64:
      probe->id_number = g_value_get_int64 (&value);
      return TRUE;
    case G_TYPE_UINT64:
      if (g_value_get_uint64 (&value) > G_MAXINT64)
        return FALSE;
      probe->id_number = (gint64) g_value_get_uint64 (&value);
      return TRUE;
    case G_TYPE_STRING:
      *owned = g_value_dup_string (&value);
      if (*owned == NULL)
        return FALSE;
      probe_set_text (probe, *owned);
      return TRUE;
    default:
      return FALSE;
    }
}

/* The id of an element, in @probe; *@owned may receive a string @probe
 * borrows, to free after use. */
static gboolean
element_id (QuarryKeyedListModel  *self,
            gpointer               element,
            gboolean               is_object,
            Entry                 *probe,
            char                 **owned)
{
  *owned = NULL;
  if (is_object)
    return object_element_id (self, element, probe, owned);
  return json_element_id (self, element, probe, owned);
}

/* Entries */

static void
element_unref (gpointer element,
               gboolean is_object)
{
  if (is_object)
    g_object_unref (element);
  else
    json_node_unref (element);
}

static void
entry_set_element (Entry    *entry,
                   gpointer  element,
                   gboolean  is_object)
{
  gpointer old = entry->element;
  gboolean old_is_object = entry->element_is_object;

  entry->element = is_object ? g_object_ref (element) : json_node_ref (element);
  entry->element_is_object = !!is_object;
  if (old != NULL)
    element_unref (old, old_is_object);
}

static void
entry_set_id (Entry       *entry,
              const Entry *probe)
{
  g_free (entry->id_text);
  entry->id_text = g_strdup (probe->id_text);
  entry->id_number = probe->id_number;
}

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  g_clear_object (&entry->item);
  if (entry->element != NULL)
    element_unref (entry->element, entry->element_is_object);
  g_free (entry->id_text);
  g_free (entry);
}

/* Items: JSON members → properties */

static gboolean
is_serializable (QuarryKeyedListModel *self)
{
  return g_type_is_a (self->item_type, JSON_TYPE_SERIALIZABLE);
}

/* "updatedAt" → "updated-at" */
static char *
camel_to_kebab (const char *name)
{
  GString *kebab = g_string_new (NULL);

  for (const char *p = name; *p != '\0'; p++)
    {
      if (g_ascii_isupper (*p))
        {
          if (p != name)
            g_string_append_c (kebab, '-');
          g_string_append_c (kebab, g_ascii_tolower (*p));
        }
      else
        g_string_append_c (kebab, *p);
    }
  return g_string_free (kebab, FALSE);
}

static GParamSpec *
member_pspec (QuarryKeyedListModel *self,
              GObject              *item,
              const char           *member)
{
  gpointer key, value;
  GParamSpec *pspec;

  if (g_hash_table_lookup_extended (self->member_pspecs, member, &key, &value))
    return value;

  /* A JsonSerializable type may name its properties its own way. */
  if (item != NULL && is_serializable (self))
    pspec = json_serializable_find_property (JSON_SERIALIZABLE (item), member);
  else
    pspec = g_object_class_find_property (self->item_class, member);

  if (pspec == NULL && !is_serializable (self))
    {
      g_autofree char *kebab = camel_to_kebab (member);

      if (strcmp (kebab, member) != 0)
        pspec = g_object_class_find_property (self->item_class, kebab);
    }

  if (pspec != NULL && !(pspec->flags & G_PARAM_WRITABLE))
    pspec = NULL;

  g_hash_table_insert (self->member_pspecs, g_strdup (member), pspec);
  return pspec;
}

/* A value for @pspec from @member (NULL: the member went). */
static void
member_value (QuarryKeyedListModel *self,
              GObject              *item,
              GParamSpec           *pspec,
              JsonNode             *member,
              GValue               *value)
{
  if (member != NULL && item != NULL && is_serializable (self))
    {
      g_value_init (value, pspec->value_type);
      if (json_serializable_deserialize_property (JSON_SERIALIZABLE (item), pspec->name,
                                                  value, pspec, member))
        return;
      g_value_unset (value);
    }
  else if (member != NULL && _quarry_keyed_json_to_value (pspec, member, value))
    return;

  g_value_init (value, pspec->value_type);
  g_param_value_set_default (pspec, value);
}

typedef struct
{
  QuarryKeyedListModel *self;
  GObject *item;
} ApplyData;

static void
apply_member_cb (const char *name,
                 JsonNode   *old_member,
                 JsonNode   *new_member,
                 gpointer    user_data)
{
  ApplyData *data = user_data;
  GParamSpec *pspec = member_pspec (data->self, data->item, name);
  g_auto(GValue) value = G_VALUE_INIT;

  if (pspec == NULL || (pspec->flags & G_PARAM_CONSTRUCT_ONLY))
    return;

  member_value (data->self, data->item, pspec, new_member, &value);
  g_object_set_property (data->item, pspec->name, &value);
}

/* Sets the properties of @item whose members differ between @old_node
 * (NULL: none) and @new_node; each is notified once, at the thaw. */
static void
apply_members (QuarryKeyedListModel *self,
               GObject              *item,
               JsonNode             *old_node,
               JsonNode             *new_node)
{
  ApplyData data = { self, item };

  g_object_freeze_notify (item);
  _quarry_keyed_json_diff_members (old_node, new_node, apply_member_cb, &data);
  g_object_thaw_notify (item);
}

/* The property a member sets at construction, or NULL. A JsonSerializable
 * type finds and converts its properties on an instance, which does not
 * exist yet: its construct-only properties are found by name and
 * converted here, as json_gobject_deserialize() does, and the rest is left
 * to the instance. Any other type gets every member at construction. */
static GParamSpec *
construct_pspec (QuarryKeyedListModel *self,
                 const char           *member)
{
  GParamSpec *pspec;

  if (!is_serializable (self))
    return member_pspec (self, NULL, member);

  pspec = g_object_class_find_property (self->item_class, member);
  if (pspec == NULL || !(pspec->flags & G_PARAM_WRITABLE) || !(pspec->flags & G_PARAM_CONSTRUCT_ONLY))
    return NULL;
  return pspec;
}

static GObject *
make_json_item (QuarryKeyedListModel *self,
                JsonNode             *node)
{
  g_autoptr(GPtrArray) pspecs = NULL;
  g_autoptr(GArray) values = NULL;
  g_autofree const char **names = NULL;
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;
  GObject *item;

  if (self->item_type == QUARRY_TYPE_JSON_ITEM)
    return G_OBJECT (quarry_json_item_new (node));

  if (G_TYPE_IS_ABSTRACT (self->item_type))
    return NULL;

  pspecs = g_ptr_array_new ();
  values = g_array_new (FALSE, TRUE, sizeof (GValue));
  g_array_set_clear_func (values, (GDestroyNotify) g_value_unset);
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      json_object_iter_init_ordered (&iter, json_node_get_object (node));
      while (json_object_iter_next_ordered (&iter, &name, &member))
        {
          GParamSpec *pspec = construct_pspec (self, name);
          GValue value = G_VALUE_INIT;

          /* Two members may name one property: the first counts. */
          if (pspec == NULL || g_ptr_array_find (pspecs, pspec, NULL))
            continue;
          if (!_quarry_keyed_json_to_value (pspec, member, &value))
            continue;
          g_ptr_array_add (pspecs, pspec);
          g_array_append_val (values, value);
        }
    }

  names = g_new (const char *, pspecs->len + 1);
  for (guint i = 0; i < pspecs->len; i++)
    names[i] = ((GParamSpec *) g_ptr_array_index (pspecs, i))->name;
  item = g_object_new_with_properties (self->item_type, pspecs->len, names,
                                       (const GValue *) values->data);

  /* A JsonSerializable type deserializes its other members itself. */
  if (is_serializable (self))
    apply_members (self, item, NULL, node);
  return item;
}

/* Items: objects → the kept object */

static gboolean
values_differ (GParamSpec   *pspec,
               const GValue *a,
               const GValue *b)
{
  GType type = pspec->value_type;

  /* Boxed values compare by pointer in GLib; compare these by contents. */
  if (type == G_TYPE_STRV)
    {
      const char * const *sa = g_value_get_boxed (a);
      const char * const *sb = g_value_get_boxed (b);

      if (sa == NULL || sb == NULL)
        return sa != sb;
      return !g_strv_equal (sa, sb);
    }
  if (type == JSON_TYPE_NODE)
    return !_quarry_keyed_json_equal (g_value_get_boxed (a), g_value_get_boxed (b));
  if (type == G_TYPE_DATE_TIME)
    {
      GDateTime *da = g_value_get_boxed (a);
      GDateTime *db = g_value_get_boxed (b);

      if (da == NULL || db == NULL)
        return da != db;
      return !g_date_time_equal (da, db);
    }
  return g_param_values_cmp (pspec, a, b) != 0;
}

static void
copy_properties (QuarryKeyedListModel *self,
                 GObject              *item,
                 GObject              *source)
{
  if (self->copy_pspecs == NULL)
    {
      guint n_pspecs;
      g_autofree GParamSpec **pspecs = g_object_class_list_properties (self->item_class, &n_pspecs);

      self->copy_pspecs = g_ptr_array_new ();
      for (guint i = 0; i < n_pspecs; i++)
        if ((pspecs[i]->flags & G_PARAM_READWRITE) == G_PARAM_READWRITE &&
            !(pspecs[i]->flags & G_PARAM_CONSTRUCT_ONLY))
          g_ptr_array_add (self->copy_pspecs, pspecs[i]);
    }

  g_object_freeze_notify (item);
  for (guint i = 0; i < self->copy_pspecs->len; i++)
    {
      GParamSpec *pspec = g_ptr_array_index (self->copy_pspecs, i);
      g_auto(GValue) new_value = G_VALUE_INIT;
      g_auto(GValue) old_value = G_VALUE_INIT;

      g_value_init (&new_value, pspec->value_type);
      g_value_init (&old_value, pspec->value_type);
      g_object_get_property (source, pspec->name, &new_value);
      g_object_get_property (item, pspec->name, &old_value);
      if (values_differ (pspec, &new_value, &old_value))
        g_object_set_property (item, pspec->name, &new_value);
    }
  g_object_thaw_notify (item);
}

static GObject *
make_item (QuarryKeyedListModel *self,
           gpointer              element,
           gboolean              is_object)
{
  if (is_object)
    return g_object_ref (element);
  return make_json_item (self, element);
}

/* Brings the item of @entry up to date with @element, which has its id. */
static void
update_entry (QuarryKeyedListModel *self,
              Entry                *entry,
              gpointer              element,
              gboolean              is_object)
{
  if (!is_object)
    {
      JsonNode *old_node = entry->element_is_object ? NULL : entry->element;

      if (old_node != NULL && _quarry_keyed_json_equal (old_node, element))
        {
          /* Equal contents: keep the new node, so that the next refetch,
           * shared with this data, matches by pointer. */
          entry_set_element (entry, element, FALSE);
          return;
        }

      if (QUARRY_IS_JSON_ITEM (entry->item))
        quarry_json_item_set_node (QUARRY_JSON_ITEM (entry->item), element);
      else
        apply_members (self, entry->item, old_node, element);
    }
  else if (element != (gpointer) entry->item)
    copy_properties (self, entry->item, element);

  entry_set_element (entry, element, is_object);
}

/* The view during an update */

static guint
view_n_items (QuarryKeyedListModel *self)
{
  if (self->clear_pending)
    return 0;
  if (self->building)
    return self->building_len + self->entries->len - self->old_cursor;
  return self->entries->len;
}

static Entry *
view_get (QuarryKeyedListModel *self,
          guint                 position)
{
  if (self->clear_pending)
    return NULL;
  if (self->building)
    {
      if (position < self->building_len)
        return g_ptr_array_index (self->new_entries, position);
      position = position - self->building_len + self->old_cursor;
    }
  if (position >= self->entries->len)
    return NULL;
  return g_ptr_array_index (self->entries, position);
}

/* The position of @entry in the view, or G_MAXUINT when it is not there
 * (yet, or any more). */
static guint
view_position (QuarryKeyedListModel *self,
               Entry                *entry)
{
  if (self->clear_pending)
    return G_MAXUINT;
  if (!self->building)
    return entry->position;

  if (entry->stamp == self->generation && entry->new_position < self->building_len)
    return entry->new_position;
  if (entry->position != G_MAXUINT && entry->position >= self->old_cursor)
    return self->building_len + entry->position - self->old_cursor;
  return G_MAXUINT;
}

/* The one place that reports changes of the list. */
static void
items_changed (QuarryKeyedListModel *self,
               guint                 position,
               guint                 removed,
               guint                 added)
{
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
  if (removed != added && !self->clear_pending)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

/* Reading the data */

typedef struct
{
  gboolean is_object;        /* whether the elements are GObjects */
  gboolean kind_known;
  GPtrArray *owned;          /* references on GObject elements */
  guint n_skipped;
} Gather;

static void
gather_json (QuarryKeyedListModel *self,
             Gather               *gather,
             JsonNode             *node,
             const char           *items_member)
{
  JsonArray *array;
  guint length;

  if (items_member != NULL && JSON_NODE_HOLDS_OBJECT (node))
    node = json_object_get_member (json_node_get_object (node), items_member);
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return;

  array = json_node_get_array (node);
  length = json_array_get_length (array);
  if (gather->kind_known && gather->is_object)
    {
      /* Pages of another kind than the first are left out. */
      gather->n_skipped += length;
      return;
    }
  gather->kind_known = TRUE;
  gather->is_object = FALSE;

  for (guint i = 0; i < length; i++)
    g_ptr_array_add (self->elements, json_array_get_element (array, i));
}

static void
gather_objects (QuarryKeyedListModel *self,
                Gather               *gather,
                GListModel           *model)
{
  guint n = g_list_model_get_n_items (model);

  if (gather->kind_known && !gather->is_object)
    {
      gather->n_skipped += n;
      return;
    }
  gather->kind_known = TRUE;
  gather->is_object = TRUE;

  for (guint i = 0; i < n; i++)
    {
      GObject *object = g_list_model_get_item (model, i);

      g_ptr_array_add (gather->owned, object);
      g_ptr_array_add (self->elements, object);
    }
}

static void
gather_value (QuarryKeyedListModel *self,
              Gather               *gather,
              const GValue         *value,
              const char           *items_member)
{
  if (G_VALUE_HOLDS (value, JSON_TYPE_NODE))
    {
      if (g_value_get_boxed (value) != NULL)
        gather_json (self, gather, g_value_get_boxed (value), items_member);
    }
  else if (G_VALUE_HOLDS_OBJECT (value) && G_IS_LIST_MODEL (g_value_get_object (value)))
    gather_objects (self, gather, g_value_get_object (value));
}

static void
gather_data (QuarryKeyedListModel *self,
             Gather               *gather,
             const GValue         *value)
{
  if (value == NULL)
    return;

  if (G_VALUE_HOLDS (value, QUARRY_TYPE_INFINITE_DATA))
    {
      QuarryInfiniteData *data = g_value_get_boxed (value);
      const char *items_member = self->items_member;
      guint n_pages = data != NULL ? quarry_infinite_data_get_n_pages (data) : 0;

      if (QUARRY_IS_INFINITE_QUERY (self->query) &&
          quarry_infinite_query_get_items_member (QUARRY_INFINITE_QUERY (self->query)) != NULL)
        items_member = quarry_infinite_query_get_items_member (QUARRY_INFINITE_QUERY (self->query));

      for (guint i = 0; i < n_pages; i++)
        gather_value (self, gather, quarry_infinite_data_get_page (data, i), items_member);
    }
  else
    gather_value (self, gather, value, self->items_member);
}

/* Updating */

/* The entries of the new order that keep their place: a longest run of
 * old positions that increase, in O(n log n). Marks them anchor. */
static void
mark_anchors (QuarryKeyedListModel *self)
{
  GPtrArray *order = self->new_entries;
  guint gen = self->generation;
  guint *tails, *prev;
  guint n_tails = 0;
  guint n = order->len;
  gboolean increasing = TRUE;
  guint last = 0;
  gboolean any = FALSE;

  /* Without moves every kept entry keeps its place. */
  for (guint k = 0; k < n; k++)
    {
      Entry *entry = g_ptr_array_index (order, k);

      if (entry->position == G_MAXUINT)
        continue;
      if (any && entry->position < last)
        {
          increasing = FALSE;
          break;
        }
      last = entry->position;
      any = TRUE;
    }
  if (increasing)
    {
      for (guint k = 0; k < n; k++)
        {
          Entry *entry = g_ptr_array_index (order, k);

          if (entry->position != G_MAXUINT)
            entry->anchor = gen;
        }
      return;
    }

  /* tails[l]: the new index ending the best run of length l + 1 found so
   * far (the one with the smallest old position); prev[k]: the entry
   * before k in its run. */
  g_array_set_size (self->ints, 2 * n);
  tails = &g_array_index (self->ints, guint, 0);
  prev = &g_array_index (self->ints, guint, n);
  for (guint k = 0; k < n; k++)
    {
      Entry *entry = g_ptr_array_index (order, k);
      guint lo = 0, hi = n_tails;

      if (entry->position == G_MAXUINT)
        continue;

      while (lo < hi)
        {
          guint mid = lo + (hi - lo) / 2;
          Entry *tail = g_ptr_array_index (order, tails[mid]);

          if (tail->position < entry->position)
            lo = mid + 1;
          else
            hi = mid;
        }
      prev[k] = lo > 0 ? tails[lo - 1] : G_MAXUINT;
      tails[lo] = k;
      if (lo == n_tails)
        n_tails++;
    }

  if (n_tails > 0)
    for (guint k = tails[n_tails - 1]; k != G_MAXUINT; k = prev[k])
      ((Entry *) g_ptr_array_index (order, k))->anchor = gen;
}

/* Emits the changes from self->entries to self->new_entries: one
 * emission per run of removed and added entries between two anchors,
 * runs joined when an entry moved from one to another, so that a moved
 * item is removed and added in the same emission. */
static void
emit_changes (QuarryKeyedListModel *self)
{
  GPtrArray *old = self->entries;
  GPtrArray *order = self->new_entries;
  guint gen = self->generation;
  guint n_anchors = 0;
  guint *reach, *old_anchor, *new_anchor;
  guint region;

  for (guint k = 0; k < order->len; k++)
    if (((Entry *) g_ptr_array_index (order, k))->anchor == gen)
      n_anchors++;

  /* Region r lies between anchors r - 1 and r; there are n_anchors + 1. */
  g_array_set_size (self->ints, 3 * n_anchors + 1);
  reach = &g_array_index (self->ints, guint, 0);
  old_anchor = reach + n_anchors + 1;
  new_anchor = old_anchor + n_anchors;
  for (guint r = 0; r <= n_anchors; r++)
    reach[r] = r;

  region = 0;
  for (guint i = 0; i < old->len; i++)
    {
      Entry *entry = g_ptr_array_index (old, i);

      if (entry->stamp == gen && entry->anchor == gen)
        old_anchor[region++] = i;
      else
        entry->region = region;
    }

  region = 0;
  for (guint k = 0; k < order->len; k++)
    {
      Entry *entry = g_ptr_array_index (order, k);

      if (entry->anchor == gen)
        new_anchor[region++] = k;
      else if (entry->position != G_MAXUINT)
        {
          /* Moved: the regions from its old place to its new one go
           * together. */
          guint lo = MIN (entry->region, region);
          guint hi = MAX (entry->region, region);

          reach[lo] = MAX (reach[lo], hi);
        }
    }

  self->building = TRUE;
  self->building_len = 0;
  self->old_cursor = 0;

  for (guint r = 0; r <= n_anchors;)
    {
      guint first = r, last = reach[r];
      guint old_start, old_end, new_start, new_end;

      while (r < last)
        {
          r++;
          last = MAX (last, reach[r]);
        }
      r = last + 1;

      old_start = first > 0 ? old_anchor[first - 1] + 1 : 0;
      new_start = first > 0 ? new_anchor[first - 1] + 1 : 0;
      old_end = last < n_anchors ? old_anchor[last] : old->len;
      new_end = last < n_anchors ? new_anchor[last] : order->len;
      if (old_start == old_end && new_start == new_end)
        continue;
      /* Disposed by a handler of an earlier emission. */
      if (self->clear_pending)
        break;

      /* The anchors before the run are the same entries in both orders. */
      g_assert (new_start - self->building_len == old_start - self->old_cursor);
      self->building_len = new_end;
      self->old_cursor = old_end;
      items_changed (self, new_start, old_end - old_start, new_end - new_start);
    }

  self->building = FALSE;
}

static void
update_once (QuarryKeyedListModel *self)
{
  g_autoptr(GPtrArray) owned = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) removed = NULL;
  g_auto(GValue) data = G_VALUE_INIT;
  const GValue *value = self->query != NULL ? quarry_query_get_value (self->query) : NULL;
  Gather gather = { FALSE, FALSE, owned, 0 };
  GPtrArray *swap;
  gboolean in_place = TRUE;
  guint n_old = self->entries->len;
  guint n_skipped;
  guint gen;

  /* A handler may replace the data while this update runs. */
  if (value != NULL)
    {
      g_value_init (&data, G_VALUE_TYPE (value));
      g_value_copy (value, &data);
      value = &data;
    }

  g_ptr_array_set_size (self->elements, 0);
  g_ptr_array_set_size (self->new_entries, 0);
  g_ptr_array_set_size (self->new_elements, 0);
  gather_data (self, &gather, value);
  n_skipped = gather.n_skipped;

  gen = ++self->generation;
  if (gen == 0)
    gen = ++self->generation;

  /* Match each element to an entry: the one at the same place when it
   * holds this very element or has its id, else the one with its id, else
   * a new one. */
  for (guint j = 0; j < self->elements->len && !self->clear_pending; j++)
    {
      gpointer element = g_ptr_array_index (self->elements, j);
      guint k = self->new_entries->len;
      Entry *same_place = k < n_old ? g_ptr_array_index (self->entries, k) : NULL;
      Entry *entry = NULL;

      if (same_place != NULL && same_place->element == element && same_place->keyed)
        entry = same_place;
      else if (same_place != NULL && same_place->keyed && same_place->stamp != gen &&
               !gather.is_object && !same_place->element_is_object &&
               _quarry_keyed_json_equal (same_place->element, element))
        {
          /* Equal contents have equal ids: no need to look the id up. The
           * new node is kept, so that the next refetch, shared with this
           * data, matches by pointer. */
          entry = same_place;
          entry_set_element (entry, element, FALSE);
        }
      else
        {
          Entry probe = { 0, };
          g_autofree char *owned_id = NULL;

          if (gather.is_object && !G_TYPE_CHECK_INSTANCE_TYPE (element, self->item_type))
            {
              n_skipped++;
              continue;
            }
          if (!element_id (self, element, gather.is_object, &probe, &owned_id))
            {
              n_skipped++;
              continue;
            }

          if (same_place != NULL && same_place->keyed && entry_equal (same_place, &probe))
            entry = same_place;
          else
            entry = g_hash_table_lookup (self->by_id, &probe);

          if (entry == NULL)
            {
              GObject *item = make_item (self, element, gather.is_object);

              if (item == NULL)
                {
                  n_skipped++;
                  continue;
                }
              entry = g_new0 (Entry, 1);
              entry_set_id (entry, &probe);
              entry->item = item;
              entry_set_element (entry, element, gather.is_object);
              entry->position = G_MAXUINT;
              entry->keyed = TRUE;
              g_hash_table_add (self->by_id, entry);
            }
        }

      /* A later element with an id already seen is left out. */
      if (entry->stamp == gen)
        {
          n_skipped++;
          continue;
        }

      entry->stamp = gen;
      entry->new_position = k;
      if (entry->position != k)
        in_place = FALSE;
      g_ptr_array_add (self->new_entries, entry);
      g_ptr_array_add (self->new_elements, element);
    }
  if (self->new_entries->len != n_old)
    in_place = FALSE;

  /* Items that stay are brought up to date, in place. */
  for (guint k = 0; k < self->new_entries->len && !self->clear_pending; k++)
    {
      Entry *entry = g_ptr_array_index (self->new_entries, k);
      gpointer element = g_ptr_array_index (self->new_elements, k);

      if (entry->element != element)
        update_entry (self, entry, element, gather.is_object);
    }

  /* Disposed by a handler (of an item's notify, the id function, an item
   * type's constructor): the update stops, and the entries it made join
   * the others, which update() frees once it is over. */
  if (self->clear_pending)
    {
      for (guint k = 0; k < self->new_entries->len; k++)
        {
          Entry *entry = g_ptr_array_index (self->new_entries, k);

          if (entry->position == G_MAXUINT)
            g_ptr_array_add (self->entries, entry);
        }
      in_place = TRUE;
    }

  if (!in_place)
    {
      removed = g_ptr_array_new_with_free_func (entry_free);
      for (guint i = 0; i < n_old; i++)
        {
          Entry *entry = g_ptr_array_index (self->entries, i);

          if (entry->stamp != gen)
            g_ptr_array_add (removed, entry);
        }

      mark_anchors (self);
      emit_changes (self);

      /* Removed entries leave by_id only now, so that lookup() finds each
       * one until the emission that removes it, as get_item() does
       * (view_position() hides it after that). No entry of the new order
       * has the id of a removed one. */
      for (guint i = 0; i < removed->len; i++)
        {
          Entry *entry = g_ptr_array_index (removed, i);

          if (entry->keyed && g_hash_table_lookup (self->by_id, entry) == entry)
            g_hash_table_remove (self->by_id, entry);
        }

      /* The new order becomes the model. */
      swap = self->entries;
      self->entries = self->new_entries;
      self->new_entries = swap;
      for (guint k = 0; k < self->entries->len; k++)
        ((Entry *) g_ptr_array_index (self->entries, k))->position = k;
    }

  g_ptr_array_set_size (self->elements, 0);
  g_ptr_array_set_size (self->new_entries, 0);
  g_ptr_array_set_size (self->new_elements, 0);

  if (self->n_skipped != n_skipped && !self->clear_pending)
    {
      self->n_skipped = n_skipped;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_SKIPPED]);
    }
}

/* The id member or function changed: every entry gets its id again from
 * its element. One that gets none, or one an earlier entry has, is keyed
 * no more and goes at the next update. */
static void
rekey (QuarryKeyedListModel *self)
{
  g_hash_table_remove_all (self->by_id);

  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->entries, i);
      Entry probe = { 0, };
      g_autofree char *owned_id = NULL;

      entry->keyed = FALSE;
      if (!element_id (self, entry->element, entry->element_is_object, &probe, &owned_id))
        continue;
      if (g_hash_table_contains (self->by_id, &probe))
        continue;
      entry_set_id (entry, &probe);
      entry->keyed = TRUE;
      g_hash_table_add (self->by_id, entry);
    }
}

/* Frees the entries and the id function, on dispose. The model reads as
 * empty from here on, without telling anyone: it is going away. */
static void
release_contents (QuarryKeyedListModel *self)
{
  GPtrArray *entries = self->entries;
  GDestroyNotify id_func_destroy = self->id_func_destroy;
  gpointer id_func_data = self->id_func_data;

  self->entries = g_ptr_array_new ();
  g_hash_table_remove_all (self->by_id);
  g_ptr_array_set_free_func (entries, entry_free);
  g_ptr_array_unref (entries);

  self->id_func = NULL;
  self->id_func_data = NULL;
  self->id_func_destroy = NULL;
  if (id_func_destroy != NULL)
    id_func_destroy (id_func_data);
}

/* Handlers of the signals an update emits may change the data again: that
 * change is applied once the update is over, never in its middle. */
static void
update (QuarryKeyedListModel *self)
{
  if (self->updating)
    {
      self->update_pending = TRUE;
      return;
    }

  g_object_ref (self);
  self->updating = TRUE;
  do
    {
      self->update_pending = FALSE;
      if (self->rekey_pending)
        {
          self->rekey_pending = FALSE;
          rekey (self);
        }
      update_once (self);
    }
  while (self->update_pending && !self->clear_pending);
  self->updating = FALSE;

  /* Disposed during the update: what dispose left is done now. */
  if (self->clear_pending)
    {
      self->update_pending = FALSE;
      release_contents (self);
      self->clear_pending = FALSE;
    }
  g_object_unref (self);
}

static void
update_keys (QuarryKeyedListModel *self)
{
  self->rekey_pending = TRUE;
  update (self);
}

static void
data_changed_cb (QuarryKeyedListModel *self)
{
  update (self);
}

/* GListModel */

static GType
quarry_keyed_list_model_get_item_type (GListModel *model)
{
  return QUARRY_KEYED_LIST_MODEL (model)->item_type;
}

static guint
quarry_keyed_list_model_get_n_items (GListModel *model)
{
  return view_n_items (QUARRY_KEYED_LIST_MODEL (model));
}

static gpointer
quarry_keyed_list_model_get_item (GListModel *model,
                                  guint       position)
{
  Entry *entry = view_get (QUARRY_KEYED_LIST_MODEL (model), position);

  return entry != NULL ? g_object_ref (entry->item) : NULL;
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = quarry_keyed_list_model_get_item_type;
  iface->get_n_items = quarry_keyed_list_model_get_n_items;
  iface->get_item = quarry_keyed_list_model_get_item;
}

/* GObject */

static void
quarry_keyed_list_model_constructed (GObject *object)
{
  QuarryKeyedListModel *self = (QuarryKeyedListModel *)object;

  G_OBJECT_CLASS (quarry_keyed_list_model_parent_class)->constructed (object);

  if (self->item_type == G_TYPE_NONE || self->item_type == G_TYPE_INVALID)
    self->item_type = QUARRY_TYPE_JSON_ITEM;
  else if (!G_TYPE_IS_OBJECT (self->item_type))
    {
      g_critical ("%s: the item type %s is not an object type; using QuarryJsonItem",
                  G_STRFUNC, g_type_name (self->item_type));
      self->item_type = QUARRY_TYPE_JSON_ITEM;
    }
  self->item_class = g_type_class_ref (self->item_type);
}

static void
quarry_keyed_list_model_dispose (GObject *object)
{
  QuarryKeyedListModel *self = (QuarryKeyedListModel *)object;

  if (self->query != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->query, self);
      g_clear_object (&self->query);
    }

  /* A handler of a signal an update emits may dispose the model: the
   * update still walks the entries and may call the id function, so
   * those go when it is over. */
  if (self->updating)
    self->clear_pending = TRUE;
  else
    release_contents (self);

  G_OBJECT_CLASS (quarry_keyed_list_model_parent_class)->dispose (object);
}

static void
quarry_keyed_list_model_finalize (GObject *object)
{
  QuarryKeyedListModel *self = (QuarryKeyedListModel *)object;

  g_ptr_array_unref (self->entries);
  g_hash_table_unref (self->by_id);
  g_hash_table_unref (self->member_pspecs);
  g_clear_pointer (&self->copy_pspecs, g_ptr_array_unref);
  g_ptr_array_unref (self->elements);
  g_ptr_array_unref (self->new_entries);
  g_ptr_array_unref (self->new_elements);
  g_array_unref (self->ints);
  g_clear_pointer (&self->item_class, g_type_class_unref);
  g_free (self->id_member);
  g_free (self->items_member);

  G_OBJECT_CLASS (quarry_keyed_list_model_parent_class)->finalize (object);
}

static void
quarry_keyed_list_model_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  QuarryKeyedListModel *self = QUARRY_KEYED_LIST_MODEL (object);

  switch (prop_id)
    {
    case PROP_QUERY:
      g_value_set_object (value, quarry_keyed_list_model_get_query (self));
      break;
    case PROP_ITEM_TYPE:
      g_value_set_gtype (value, self->item_type);
      break;
    case PROP_ID_MEMBER:
      g_value_set_string (value, quarry_keyed_list_model_get_id_member (self));
      break;
    case PROP_ITEMS_MEMBER:
      g_value_set_string (value, quarry_keyed_list_model_get_items_member (self));
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, view_n_items (self));
      break;
    case PROP_N_SKIPPED:
      g_value_set_uint (value, quarry_keyed_list_model_get_n_skipped (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quarry_keyed_list_model_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  QuarryKeyedListModel *self = QUARRY_KEYED_LIST_MODEL (object);

  switch (prop_id)
    {
    case PROP_QUERY:
      quarry_keyed_list_model_set_query (self, g_value_get_object (value));
      break;
    case PROP_ITEM_TYPE:
      self->item_type = g_value_get_gtype (value);
      break;
    case PROP_ID_MEMBER:
      quarry_keyed_list_model_set_id_member (self, g_value_get_string (value));
      break;
    case PROP_ITEMS_MEMBER:
      quarry_keyed_list_model_set_items_member (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
quarry_keyed_list_model_class_init (QuarryKeyedListModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = quarry_keyed_list_model_constructed;
  object_class->dispose = quarry_keyed_list_model_dispose;
  object_class->finalize = quarry_keyed_list_model_finalize;
  object_class->get_property = quarry_keyed_list_model_get_property;
  object_class->set_property = quarry_keyed_list_model_set_property;

  /**
   * QuarryKeyedListModel:query: (getter get_query) (setter set_query)
   *
   * The query whose data the model shows, or `NULL` for an empty model.
   */
  properties[PROP_QUERY] =
    g_param_spec_object ("query", NULL, NULL, QUARRY_TYPE_QUERY, rw);

  /**
   * QuarryKeyedListModel:item-type:
   *
   * The type of the items: [class@JsonItem] (the default, also for
   * `G_TYPE_NONE`) or any object type, whose properties are set from the
   * members of the same name. For data that is a list model of objects, the
   * type the objects must have.
   */
  properties[PROP_ITEM_TYPE] =
    g_param_spec_gtype ("item-type", NULL, NULL, G_TYPE_NONE,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * QuarryKeyedListModel:id-member: (getter get_id_member) (setter set_id_member)
   *
   * The member (or, for objects, the property) holding each element's id.
   * Setting `NULL` restores the default, `"id"`. A function given to
   * [method@KeyedListModel.set_id_func] takes precedence for JSON elements.
   */
  properties[PROP_ID_MEMBER] =
    g_param_spec_string ("id-member", NULL, NULL, "id", rw);

  /**
   * QuarryKeyedListModel:items-member: (getter get_items_member) (setter set_items_member)
   *
   * The member holding the list when the data is a JSON object, as in
   * `{"items": [...], "has_more": true}`; `NULL` when the data is the list
   * itself. It also applies to the pages of an infinite query whose own
   * [property@InfiniteQuery:items-member] is unset.
   */
  properties[PROP_ITEMS_MEMBER] =
    g_param_spec_string ("items-member", NULL, NULL, NULL, rw);

  /**
   * QuarryKeyedListModel:n-items:
   *
   * The number of items, as [method@Gio.ListModel.get_n_items].
   */
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0, ro);

  /**
   * QuarryKeyedListModel:n-skipped: (getter get_n_skipped)
   *
   * The number of elements of the data left out of the model: those with
   * no id, those whose id an earlier element has, and objects that are not
   * of [property@KeyedListModel:item-type].
   */
  properties[PROP_N_SKIPPED] =
    g_param_spec_uint ("n-skipped", NULL, NULL, 0, G_MAXUINT, 0, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
quarry_keyed_list_model_init (QuarryKeyedListModel *self)
{
  self->item_type = G_TYPE_NONE;
  self->id_member = g_strdup ("id");
  self->entries = g_ptr_array_new ();
  self->by_id = g_hash_table_new (entry_hash, entry_equal);
  self->member_pspecs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->elements = g_ptr_array_new ();
  self->new_entries = g_ptr_array_new ();
  self->new_elements = g_ptr_array_new ();
  self->ints = g_array_new (FALSE, FALSE, sizeof (guint));
}

/**
 * quarry_keyed_list_model_new:
 * @query: (nullable): the query whose data to show
 * @item_type: the type of the items: `G_TYPE_NONE` for [class@JsonItem],
 *   or an object type
 *
 * Makes a list model of @query's list, with one item per id.
 *
 * Returns: (transfer full): a new model
 */
QuarryKeyedListModel *
quarry_keyed_list_model_new (QuarryQuery *query,
                             GType        item_type)
{
  g_return_val_if_fail (query == NULL || QUARRY_IS_QUERY (query), NULL);
  g_return_val_if_fail (item_type == G_TYPE_NONE || item_type == G_TYPE_INVALID ||
                        G_TYPE_IS_OBJECT (item_type), NULL);

  return g_object_new (QUARRY_TYPE_KEYED_LIST_MODEL,
                       "item-type", item_type,
                       "query", query,
                       NULL);
}

/**
 * quarry_keyed_list_model_get_query: (get-property query)
 * @self: a keyed list model
 *
 * Gets the query whose data the model shows.
 *
 * Returns: (transfer none) (nullable): the query
 */
QuarryQuery *
quarry_keyed_list_model_get_query (QuarryKeyedListModel *self)
{
  g_return_val_if_fail (QUARRY_IS_KEYED_LIST_MODEL (self), NULL);

  return self->query;
}

/**
 * quarry_keyed_list_model_set_query: (set-property query)
 * @self: a keyed list model
 * @query: (nullable): the query whose data to show
 *
 * Sets the query whose data the model shows. Items whose ids the new
 * query's data has too are kept; `NULL` empties the model.
 */
void
quarry_keyed_list_model_set_query (QuarryKeyedListModel *self,
                                   QuarryQuery          *query)
{
  g_return_if_fail (QUARRY_IS_KEYED_LIST_MODEL (self));
  g_return_if_fail (query == NULL || QUARRY_IS_QUERY (query));

  if (self->query == query)
    return;

  if (self->query != NULL)
    g_signal_handlers_disconnect_by_data (self->query, self);
  g_set_object (&self->query, query);
  if (query != NULL)
    {
      g_signal_connect_object (query, "notify::data",
                               G_CALLBACK (data_changed_cb), self, G_CONNECT_SWAPPED);
      if (QUARRY_IS_INFINITE_QUERY (query))
        g_signal_connect_object (query, "notify::items-member",
                                 G_CALLBACK (data_changed_cb), self, G_CONNECT_SWAPPED);
    }

  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUERY]);
}

/**
 * quarry_keyed_list_model_get_id_member: (get-property id-member)
 * @self: a keyed list model
 *
 * Gets the member holding each element's id.
 *
 * Returns: (transfer none): the [property@KeyedListModel:id-member]
 */
const char *
quarry_keyed_list_model_get_id_member (QuarryKeyedListModel *self)
{
  g_return_val_if_fail (QUARRY_IS_KEYED_LIST_MODEL (self), NULL);

  return self->id_member;
}

/**
 * quarry_keyed_list_model_set_id_member: (set-property id-member)
 * @self: a keyed list model
 * @id_member: (nullable): a member name, or `NULL` for `"id"`
 *
 * Sets the member holding each element's id. The items are matched again:
 * those whose elements keep distinct ids stay.
 */
void
quarry_keyed_list_model_set_id_member (QuarryKeyedListModel *self,
                                       const char           *id_member)
{
  g_return_if_fail (QUARRY_IS_KEYED_LIST_MODEL (self));

  if (id_member == NULL)
    id_member = "id";
  if (g_strcmp0 (self->id_member, id_member) == 0)
    return;

  g_free (self->id_member);
  self->id_member = g_strdup (id_member);
  update_keys (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID_MEMBER]);
}

/**
 * quarry_keyed_list_model_get_items_member: (get-property items-member)
 * @self: a keyed list model
 *
 * Gets the member holding the list in object data.
 *
 * Returns: (transfer none) (nullable): the [property@KeyedListModel:items-member]
 */
const char *
quarry_keyed_list_model_get_items_member (QuarryKeyedListModel *self)
{
  g_return_val_if_fail (QUARRY_IS_KEYED_LIST_MODEL (self), NULL);

  return self->items_member;
}

/**
 * quarry_keyed_list_model_set_items_member: (set-property items-member)
 * @self: a keyed list model
 * @items_member: (nullable): a member name, or `NULL` when the data is the
 *   list itself
 *
 * Sets the member holding the list in object data.
 */
void
quarry_keyed_list_model_set_items_member (QuarryKeyedListModel *self,
                                          const char           *items_member)
{
  g_return_if_fail (QUARRY_IS_KEYED_LIST_MODEL (self));

  if (g_strcmp0 (self->items_member, items_member) == 0)
    return;

  g_free (self->items_member);
  self->items_member = g_strdup (items_member);
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEMS_MEMBER]);
}

/**
 * quarry_keyed_list_model_set_id_func:
 * @self: a keyed list model
 * @func: (nullable) (scope notified) (closure user_data) (destroy destroy): computes
 *   the id of a JSON element, or `NULL` to use [property@KeyedListModel:id-member]
 * @user_data: data for @func
 * @destroy: (nullable): frees @user_data
 *
 * Sets a function that computes the id of each JSON element, for ids that
 * are not one member: `"<type>/<id>"`, or an element that is a string.
 * The items are matched again, as when the id member changes. Elements of
 * a list model of objects always take their id from the id member.
 */
void
quarry_keyed_list_model_set_id_func (QuarryKeyedListModel *self,
                                     QuarryItemIdFunc      func,
                                     gpointer              user_data,
                                     GDestroyNotify        destroy)
{
  GDestroyNotify old_destroy;
  gpointer old_data;

  g_return_if_fail (QUARRY_IS_KEYED_LIST_MODEL (self));

  old_destroy = self->id_func_destroy;
  old_data = self->id_func_data;
  self->id_func = func;
  self->id_func_data = user_data;
  self->id_func_destroy = destroy;
  if (old_destroy != NULL)
    old_destroy (old_data);

  update_keys (self);
}

/**
 * quarry_keyed_list_model_get_n_skipped: (get-property n-skipped)
 * @self: a keyed list model
 *
 * Gets how many elements of the data were left out of the model.
 *
 * Returns: the [property@KeyedListModel:n-skipped]
 */
guint
quarry_keyed_list_model_get_n_skipped (QuarryKeyedListModel *self)
{
  g_return_val_if_fail (QUARRY_IS_KEYED_LIST_MODEL (self), 0);

  return self->n_skipped;
}

/**
 * quarry_keyed_list_model_lookup:
 * @self: a keyed list model
 * @id: an id; an integer id is its decimal text
 * @position: (out) (optional): return location for the item's position
 *
 * Finds the item of an id.
 *
 * Returns: (transfer none) (nullable) (type GObject): the item, or `NULL`
 *   if the model has no item with that id
 */
gpointer
quarry_keyed_list_model_lookup (QuarryKeyedListModel *self,
                                const char           *id,
                                guint                *position)
{
  Entry probe = { 0, };
  Entry *entry;
  guint found;

  g_return_val_if_fail (QUARRY_IS_KEYED_LIST_MODEL (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  probe_set_text (&probe, id);
  entry = g_hash_table_lookup (self->by_id, &probe);
  found = entry != NULL ? view_position (self, entry) : G_MAXUINT;
  if (found == G_MAXUINT)
    return NULL;

  if (position != NULL)
    *position = found;
  return entry->item;
}
