/* quarry-key-builder.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <math.h>

#include "quarry-key-builder-private.h"
#include "quarry-key-private.h"

/**
 * QuarryKeyBuilder: (skip)
 *
 * Builds a [struct@Key] value by value, without parsing text or going
 * through `JsonNode` or `GVariant`: the fastest way to make a key in C.
 *
 * A builder lives on the stack, like `GVariantBuilder` or `GString`: its
 * first 128 bytes are inline, and only a larger key touches the heap.
 * Values are added in order; arrays and objects are opened and closed
 * around their contents, and each value inside an object follows its
 * member's name. Closing an object sorts its members by name, so the
 * order in which they are added does not matter.
 *
 * ```c
 * QuarryKeyBuilder builder;
 * g_autoptr(QuarryKey) key = NULL;
 *
 * quarry_key_builder_init (&builder);
 * quarry_key_builder_add_string (&builder, "todos");
 * quarry_key_builder_open_object (&builder);
 * quarry_key_builder_add_member_int (&builder, "page", 7);
 * quarry_key_builder_add_member_int (&builder, "id", 123);
 * quarry_key_builder_close_object (&builder);
 * key = quarry_key_builder_end (&builder);   // ["todos", {"id": 123, "page": 7}]
 * ```
 *
 * The canonical rules of [struct@Key] apply: a double with an integral
 * value in the 64-bit range is that integer, and NaN and infinities are
 * `null`. A name repeated in one object keeps its last value.
 *
 * Misuse is a programmer error, reported as a critical warning: a value
 * inside an object without a member name, a name outside an object,
 * closing what is not open, ending with containers still open, nesting
 * deeper than 128 containers, or a string that is not UTF-8. After it,
 * the builder ignores what is added and `quarry_key_builder_end()` returns
 * `NULL`.
 *
 * Language bindings make keys from their own lists instead, with
 * [ctor@Key.new_from_string] or [ctor@Key.new_from_json].
 */

#define INLINE_DATA 128
#define INLINE_FRAMES 4
#define INLINE_MARKS 8

/* Objects with at most this many members are sorted on the stack. */
#define STACK_MEMBERS 16

typedef enum
{
  FRAME_ARRAY,
  FRAME_OBJECT,
} FrameKind;

/* An open container; frame 0 is the key itself. */
typedef struct
{
  guint32 start;          /* offset of the container's tag */
  guint32 count;          /* elements, or members, so far */
  guint32 marks_base;     /* an object's first member in the marks */
  guint8 kind;            /* FrameKind */
  guint8 has_name;        /* an object's last member waits for its value */
} Frame;

/* The pointers point into the builder itself until the bytes, frames or
 * marks outgrow the inline arrays. All zeros (QUARRY_KEY_BUILDER_INIT) is
 * a builder that sets itself up on first use. */
typedef struct
{
  guint8 *data;
  Frame *frames;
  Frame *frame;           /* the current one: frames + depth */
  guint32 *marks;         /* the start of each open object's members */
  guint32 size;
  guint32 allocated;
  guint32 n_marks;
  guint32 marks_allocated;
  guint32 string_start;   /* see _quarry_key_builder_begin_string() */
  guint16 depth;
  guint16 frames_allocated;
  gboolean invalid;
  Frame inline_frames[INLINE_FRAMES];
  guint32 inline_marks[INLINE_MARKS];
  guint8 inline_data[INLINE_DATA];
} RealBuilder;

G_STATIC_ASSERT (sizeof (RealBuilder) <= sizeof (QuarryKeyBuilder));
G_STATIC_ASSERT (QUARRY_KEY_MAX_DEPTH < G_MAXUINT16);

typedef struct
{
  const guint8 *name;
  gsize name_size;
  guint32 start;
  guint32 end;
} Member;

static void
setup (RealBuilder *b)
{
  b->data = b->inline_data;
  b->frames = b->inline_frames;
  b->frame = b->inline_frames;
  b->marks = b->inline_marks;
  b->size = 0;
  b->allocated = INLINE_DATA;
  b->n_marks = 0;
  b->marks_allocated = INLINE_MARKS;
  b->string_start = 0;
  b->depth = 0;
  b->frames_allocated = INLINE_FRAMES;
  b->invalid = FALSE;
  memset (b->frame, 0, sizeof (Frame));
}

static inline Frame *
current_frame (RealBuilder *b)
{
  if (G_UNLIKELY (b->frame == NULL))
    setup (b);
  return b->frame;
}

/* Logs a programmer error through g_log() (not the structured API, so that
 * g_test_expect_message() sees it) and poisons the builder. */
static void
misuse (RealBuilder *b,
        const char  *func,
        const char  *message)
{
  g_log (G_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "%s: %s", func, message);
  b->invalid = TRUE;
}

static G_GNUC_NO_INLINE void
grow_data (RealBuilder *b,
           gsize        needed)
{
  gsize capacity;

  if (b->frame == NULL)
    setup (b);
  if (needed <= b->allocated)
    return;
  if (needed > G_MAXINT32)
    g_error ("QuarryKeyBuilder: a key cannot take more than 2 GiB");

  capacity = MIN (MAX ((gsize) b->allocated * 2, needed), G_MAXINT32);
  if (b->data == b->inline_data)
    {
      b->data = g_malloc (capacity);
      memcpy (b->data, b->inline_data, b->size);
    }
  else
    b->data = g_realloc (b->data, capacity);
  b->allocated = capacity;
}

/* Room for @n more bytes: returns where they go. */
static inline guint8 *
reserve (RealBuilder *b,
         gsize        n)
{
  if (G_UNLIKELY (b->size + n > b->allocated))
    grow_data (b, (gsize) b->size + n);
  return b->data + b->size;
}

static inline void
commit (RealBuilder  *b,
        const guint8 *end)
{
  b->size = end - b->data;
}

static G_GNUC_NO_INLINE void
grow_marks (RealBuilder *b)
{
  guint32 capacity = b->marks_allocated * 2;

  if (b->marks == b->inline_marks)
    {
      b->marks = g_new (guint32, capacity);
      memcpy (b->marks, b->inline_marks, sizeof b->inline_marks);
    }
  else
    b->marks = g_renew (guint32, b->marks, capacity);
  b->marks_allocated = capacity;
}

static inline void
push_mark (RealBuilder *b,
           guint32      mark)
{
  if (G_UNLIKELY (b->n_marks == b->marks_allocated))
    grow_marks (b);
  b->marks[b->n_marks++] = mark;
}

/* Counts a value in the current container: checks that it may be added. */
static inline gboolean
begin_value (RealBuilder *b,
             const char  *func)
{
  Frame *frame;

  if (G_UNLIKELY (b->invalid))
    return FALSE;

  frame = current_frame (b);
  if (frame->kind == FRAME_OBJECT)
    {
      if (G_UNLIKELY (!frame->has_name))
        {
          misuse (b, func, "a value inside an object needs a member name first "
                           "(quarry_key_builder_add_member())");
          return FALSE;
        }
      frame->has_name = FALSE;
    }
  else
    frame->count++;

  return TRUE;
}

static inline gboolean
begin_member (RealBuilder *b,
              const char  *func)
{
  Frame *frame;

  if (G_UNLIKELY (b->invalid))
    return FALSE;

  frame = current_frame (b);
  if (G_UNLIKELY (frame->kind != FRAME_OBJECT))
    {
      misuse (b, func, "a member name can only be added inside an object "
                       "(quarry_key_builder_open_object())");
      return FALSE;
    }
  if (G_UNLIKELY (frame->has_name))
    {
      misuse (b, func, "the previous member has no value yet");
      return FALSE;
    }

  push_mark (b, b->size);
  frame->count++;
  frame->has_name = TRUE;
  return TRUE;
}

/* The size of @value's UTF-8, or -1 when it is not UTF-8. */
static inline gssize
utf8_size (const char *value)
{
  const char *p = value;
  const char *end;

  while ((guchar) *p - 1u < 0x7fu)
    p++;
  if (*p == '\0')
    return p - value;

  if (!g_utf8_validate (p, -1, &end))
    return -1;
  return end - value;
}

/* The most bytes write_double() writes. */
#define DOUBLE_MAX (1 + QUARRY_VARINT_MAX)

static inline guint8 *
write_int (guint8 *p,
           gint64  value)
{
  *p++ = QUARRY_KEY_TAG_INT;
  return _quarry_varint_write (p, _quarry_zigzag_encode (value));
}

/* JSON cannot write NaN or infinities: like JSON.stringify() in TanStack's
 * hashKey(), they are null, so that the canonical text stays valid JSON.
 * An integral value is the integer, so 1.0 equals 1. */
static inline guint8 *
write_double (guint8 *p,
              double  value)
{
  if (!isfinite (value))
    {
      *p++ = QUARRY_KEY_TAG_NULL;
      return p;
    }
  if (value >= -9.2233720368547758e18 && value < 9.2233720368547758e18 &&
      value == (double) (gint64) value)
    return write_int (p, (gint64) value);

  *p++ = QUARRY_KEY_TAG_DOUBLE;
  memcpy (p, &value, sizeof value);
  return p + sizeof value;
}

/* Copies @size bytes: short runs (names, small strings) without a call
 * to memcpy(), in overlapping fixed-size moves. */
static inline void
copy_bytes (guint8       *dst,
            const guint8 *src,
            gsize         size)
{
  if (size > 16)
    memcpy (dst, src, size);
  else if (size >= 8)
    {
      guint64 head, tail;

      memcpy (&head, src, 8);
      memcpy (&tail, src + size - 8, 8);
      memcpy (dst, &head, 8);
      memcpy (dst + size - 8, &tail, 8);
    }
  else if (size >= 4)
    {
      guint32 head, tail;

      memcpy (&head, src, 4);
      memcpy (&tail, src + size - 4, 4);
      memcpy (dst, &head, 4);
      memcpy (dst + size - 4, &tail, 4);
    }
  else if (size > 0)
    {
      guint8 first = src[0];
      guint8 middle = src[size / 2];
      guint8 last = src[size - 1];

      dst[0] = first;
      dst[size / 2] = middle;
      dst[size - 1] = last;
    }
}

static inline guint8 *
write_bytes (guint8     *p,
             const char *bytes,
             gsize       size)
{
  p = _quarry_varint_write (p, size);
  copy_bytes (p, (const guint8 *) bytes, size);
  return p + size;
}

static void
add_tag (RealBuilder *b,
         guint8       tag)
{
  guint8 *p = reserve (b, 1);

  *p = tag;
  b->size++;
}

static inline void
add_int (RealBuilder *b,
         gint64       value)
{
  commit (b, write_int (reserve (b, 1 + QUARRY_VARINT_MAX), value));
}

static inline void
add_double (RealBuilder *b,
            double       value)
{
  commit (b, write_double (reserve (b, DOUBLE_MAX), value));
}

static inline void
add_string_len (RealBuilder *b,
                const char  *value,
                gsize        size)
{
  guint8 *p = reserve (b, 1 + QUARRY_VARINT_MAX + size);

  *p++ = QUARRY_KEY_TAG_STRING;
  commit (b, write_bytes (p, value, size));
}

static inline void
add_member_len (RealBuilder *b,
                const char  *name,
                gsize        size)
{
  commit (b, write_bytes (reserve (b, QUARRY_VARINT_MAX + size), name, size));
}

/* Begins a member named @name whose value, of at most @value_size bytes,
 * the caller writes where this returns (NULL on misuse), then commits. */
static inline guint8 *
begin_member_with_value (RealBuilder *b,
                         const char  *name,
                         gsize        value_size,
                         const char  *func)
{
  gssize size = utf8_size (name);
  guint8 *p;

  if (G_UNLIKELY (size < 0))
    {
      if (!b->invalid)
        misuse (b, func, "the member name is not valid UTF-8");
      return NULL;
    }
  if (!begin_member (b, func))
    return NULL;

  current_frame (b)->has_name = FALSE;
  p = reserve (b, QUARRY_VARINT_MAX + size + value_size);
  return write_bytes (p, name, size);
}

static void
open_container (RealBuilder *b,
                FrameKind    kind,
                const char  *func)
{
  Frame *frame;
  guint8 *p;

  if (G_UNLIKELY (b->invalid))
    return;
  if (G_UNLIKELY (b->depth >= QUARRY_KEY_MAX_DEPTH))
    {
      misuse (b, func, "arrays and objects cannot nest more than 128 deep in a key");
      return;
    }
  if (!begin_value (b, func))
    return;

  if (G_UNLIKELY ((guint) b->depth + 1 >= b->frames_allocated))
    {
      guint capacity = MIN (b->frames_allocated * 2, QUARRY_KEY_MAX_DEPTH + 1);

      if (b->frames == b->inline_frames)
        {
          b->frames = g_new (Frame, capacity);
          memcpy (b->frames, b->inline_frames, sizeof b->inline_frames);
        }
      else
        b->frames = g_renew (Frame, b->frames, capacity);
      b->frames_allocated = capacity;
    }

  /* The tag, then one byte for the count, which is known at the close. */
  p = reserve (b, 2);
  p[0] = kind == FRAME_ARRAY ? QUARRY_KEY_TAG_ARRAY : QUARRY_KEY_TAG_OBJECT;

  b->depth++;
  frame = b->frame = b->frames + b->depth;
  frame->start = b->size;
  frame->count = 0;
  frame->marks_base = b->n_marks;
  frame->kind = kind;
  frame->has_name = FALSE;
  b->size += 2;
}

/* Writes the count of the container of @frame where open_container() left
 * a byte for it, making room when it takes more. */
static void
write_count (RealBuilder *b,
             Frame       *frame,
             guint32      count)
{
  guint size = _quarry_varint_size (count);
  guint8 *data;

  if (G_UNLIKELY (size > 1))
    {
      guint32 content = frame->start + 2;

      reserve (b, size - 1);
      data = b->data;
      memmove (data + content + size - 1, data + content, b->size - content);
      b->size += size - 1;
    }

  data = b->data;
  _quarry_varint_write (data + frame->start + 1, count);
}

static gboolean
check_close (RealBuilder *b,
             FrameKind    kind,
             const char  *func)
{
  Frame *frame;

  if (G_UNLIKELY (b->invalid))
    return FALSE;

  frame = current_frame (b);
  if (G_UNLIKELY (b->depth == 0 || frame->kind != kind))
    {
      misuse (b, func, kind == FRAME_ARRAY ? "no array is open" : "no object is open");
      return FALSE;
    }
  if (G_UNLIKELY (frame->has_name))
    {
      misuse (b, func, "the last member has no value");
      return FALSE;
    }
  return TRUE;
}

static inline int
member_compare (const Member *a,
                const Member *b)
{
  return _quarry_key_name_compare (a->name, a->name_size, b->name, b->name_size);
}

static int
member_compare_stable (gconstpointer a,
                       gconstpointer b,
                       gpointer      user_data)
{
  const Member *ma = a;
  const Member *mb = b;
  int cmp = member_compare (ma, mb);

  if (cmp != 0)
    return cmp;
  return ma->start < mb->start ? -1 : 1;
}

/* Puts the @n members at @marks, which end at the builder's end, in
 * canonical order: sorted by name, a repeated name keeping its last
 * value. Returns how many are left. */
static G_GNUC_NO_INLINE guint32
sort_members_slow (RealBuilder *b,
                   guint32     *marks,
                   guint32      n)
{
  Member stack_members[STACK_MEMBERS];
  g_autofree Member *heap_members = NULL;
  guint8 stack_content[256];
  g_autofree guint8 *heap_content = NULL;
  Member *members = stack_members;
  guint8 *data = b->data;
  guint32 content = marks[0];
  guint32 content_size = b->size - content;
  guint32 kept = 0;
  guint8 *out;
  guint8 *p;

  if (n > STACK_MEMBERS)
    members = heap_members = g_new (Member, n);

  for (guint32 i = 0; i < n; i++)
    {
      members[i].start = marks[i];
      members[i].end = i + 1 < n ? marks[i + 1] : b->size;
      members[i].name = _quarry_key_member_name (data + marks[i], &members[i].name_size);
    }

  /* Stable, so that the last of equal names is last. */
  if (n <= STACK_MEMBERS)
    {
      for (guint32 i = 1; i < n; i++)
        {
          Member m = members[i];
          guint32 j = i;

          for (; j > 0 && member_compare (&members[j - 1], &m) > 0; j--)
            members[j] = members[j - 1];
          members[j] = m;
        }
    }
  else
    g_qsort_with_data (members, n, sizeof (Member), member_compare_stable, NULL);

  out = content_size <= sizeof stack_content ? stack_content
                                             : (heap_content = g_malloc (content_size));
  p = out;
  for (guint32 i = 0; i < n; i++)
    {
      if (i + 1 < n && member_compare (&members[i], &members[i + 1]) == 0)
        continue;
      memcpy (p, data + members[i].start, members[i].end - members[i].start);
      p += members[i].end - members[i].start;
      kept++;
    }

  memcpy (data + content, out, p - out);
  b->size = content + (p - out);
  return kept;
}

static guint32
sort_members (RealBuilder *b,
              Frame       *frame)
{
  guint32 n = frame->count;
  guint32 *marks = b->marks + frame->marks_base;
  guint8 *data = b->data;
  const guint8 *name;
  gsize name_size;

  if (n < 2)
    return n;

  /* Two members (a common object in a key) are swapped in place. */
  if (n == 2)
    {
      gsize a_size;
      gsize b_size;
      const guint8 *a = _quarry_key_member_name (data + marks[0], &a_size);
      const guint8 *b_name = _quarry_key_member_name (data + marks[1], &b_size);
      int cmp = _quarry_key_name_compare (a, a_size, b_name, b_size);
      guint32 first = marks[1] - marks[0];
      guint32 second = b->size - marks[1];
      guint8 stack_first[128];
      g_autofree guint8 *heap_first = NULL;
      guint8 *saved;

      if (cmp < 0)
        return 2;
      if (cmp == 0)
        {
          /* The same name twice: the last value wins. */
          memmove (data + marks[0], data + marks[1], second);
          b->size -= first;
          return 1;
        }

      saved = first <= sizeof stack_first ? stack_first : (heap_first = g_malloc (first));
      copy_bytes (saved, data + marks[0], first);
      memmove (data + marks[0], data + marks[1], second);
      copy_bytes (data + marks[0] + second, saved, first);
      return 2;
    }

  /* Members given in order need nothing. */
  name = _quarry_key_member_name (data + marks[0], &name_size);
  for (guint32 i = 1; i < n; i++)
    {
      gsize next_size;
      const guint8 *next = _quarry_key_member_name (data + marks[i], &next_size);

      if (_quarry_key_name_compare (name, name_size, next, next_size) >= 0)
        return sort_members_slow (b, marks, n);
      name = next;
      name_size = next_size;
    }

  return n;
}

/**
 * quarry_key_builder_init: (skip)
 * @builder: a builder, on the stack
 *
 * Initializes @builder to make a new key, empty for now.
 *
 * Finish with `quarry_key_builder_end()`, or abandon the key with
 * `quarry_key_builder_clear()`. A builder declared with
 * `g_auto(QuarryKeyBuilder) builder = QUARRY_KEY_BUILDER_INIT` needs no
 * init, and is cleared when it goes out of scope.
 */
void
quarry_key_builder_init (QuarryKeyBuilder *builder)
{
  RealBuilder *b = (RealBuilder *) builder;

  g_return_if_fail (builder != NULL);

  setup (b);
}

/**
 * quarry_key_builder_clear: (skip)
 * @builder: a builder
 *
 * Abandons the key being built and frees what @builder holds.
 *
 * @builder is then empty, as after `quarry_key_builder_init()`. Clearing a
 * builder twice, or after `quarry_key_builder_end()`, is allowed.
 */
void
quarry_key_builder_clear (QuarryKeyBuilder *builder)
{
  RealBuilder *b = (RealBuilder *) builder;

  g_return_if_fail (builder != NULL);

  /* NULL in a builder that was never used. */
  if (G_UNLIKELY (b->data != b->inline_data))
    g_free (b->data);
  if (G_UNLIKELY (b->frames != b->inline_frames))
    g_free (b->frames);
  if (G_UNLIKELY (b->marks != b->inline_marks))
    g_free (b->marks);
  b->data = NULL;
  b->frames = NULL;
  b->frame = NULL;
  b->marks = NULL;
  b->size = 0;
  b->allocated = 0;
  b->depth = 0;
  b->invalid = FALSE;
}

/**
 * quarry_key_builder_end: (skip)
 * @builder: a builder
 *
 * Makes the key built so far, and clears @builder.
 *
 * Returns: (transfer full) (nullable): a new key, or `NULL` after a
 *   misuse of @builder, or with an array or object still open
 */
QuarryKey *
quarry_key_builder_end (QuarryKeyBuilder *builder)
{
  RealBuilder *b = (RealBuilder *) builder;
  QuarryKey *key = NULL;

  g_return_val_if_fail (builder != NULL, NULL);

  if (b->depth != 0 && !b->invalid)
    misuse (b, G_STRFUNC, current_frame (b)->kind == FRAME_ARRAY ? "an array is still open"
                                                                 : "an object is still open");

  if (!b->invalid)
    {
      if (G_UNLIKELY (b->frame == NULL))
        setup (b);
      key = _quarry_key_new_from_encoding (b->data, b->size, b->frames[0].count);
    }

  quarry_key_builder_clear (builder);
  return key;
}

/**
 * quarry_key_builder_add_string: (skip)
 * @builder: a builder
 * @value: a UTF-8 string
 *
 * Adds a string.
 */
void
quarry_key_builder_add_string (QuarryKeyBuilder *builder,
                               const char       *value)
{
  RealBuilder *b = (RealBuilder *) builder;
  gssize size;

  g_return_if_fail (builder != NULL);
  g_return_if_fail (value != NULL);

  size = utf8_size (value);
  if (G_UNLIKELY (size < 0))
    {
      if (!b->invalid)
        misuse (b, G_STRFUNC, "the string is not valid UTF-8");
      return;
    }

  if (begin_value (b, G_STRFUNC))
    add_string_len (b, value, size);
}

/**
 * quarry_key_builder_add_int: (skip)
 * @builder: a builder
 * @value: an integer
 *
 * Adds an integer.
 */
void
quarry_key_builder_add_int (QuarryKeyBuilder *builder,
                            gint64            value)
{
  RealBuilder *b = (RealBuilder *) builder;

  g_return_if_fail (builder != NULL);

  if (begin_value (b, G_STRFUNC))
    add_int (b, value);
}

/**
 * quarry_key_builder_add_double: (skip)
 * @builder: a builder
 * @value: a number
 *
 * Adds a number: an integer when @value is integral and in the 64-bit
 * range, `null` when it is NaN or infinite.
 */
void
quarry_key_builder_add_double (QuarryKeyBuilder *builder,
                               double            value)
{
  RealBuilder *b = (RealBuilder *) builder;

  g_return_if_fail (builder != NULL);

  if (begin_value (b, G_STRFUNC))
    add_double (b, value);
}

/**
 * quarry_key_builder_add_boolean: (skip)
 * @builder: a builder
 * @value: a boolean
 *
 * Adds `true` or `false`.
 */
void
quarry_key_builder_add_boolean (QuarryKeyBuilder *builder,
                                gboolean          value)
{
  RealBuilder *b = (RealBuilder *) builder;

  g_return_if_fail (builder != NULL);

  if (begin_value (b, G_STRFUNC))
    add_tag (b, value ? QUARRY_KEY_TAG_TRUE : QUARRY_KEY_TAG_FALSE);
}

/**
 * quarry_key_builder_add_null: (skip)
 * @builder: a builder
 *
 * Adds `null`.
 */
void
quarry_key_builder_add_null (QuarryKeyBuilder *builder)
{
  RealBuilder *b = (RealBuilder *) builder;

  g_return_if_fail (builder != NULL);

  if (begin_value (b, G_STRFUNC))
    add_tag (b, QUARRY_KEY_TAG_NULL);
}

/**
 * quarry_key_builder_open_array: (skip)
 * @builder: a builder
 *
 * Opens an array: the values added next are its elements, until
 * `quarry_key_builder_close_array()`.
 */
void
quarry_key_builder_open_array (QuarryKeyBuilder *builder)
{
  g_return_if_fail (builder != NULL);

  open_container ((RealBuilder *) builder, FRAME_ARRAY, G_STRFUNC);
}

/**
 * quarry_key_builder_close_array: (skip)
 * @builder: a builder
 *
 * Closes the array opened last.
 */
void
quarry_key_builder_close_array (QuarryKeyBuilder *builder)
{
  RealBuilder *b = (RealBuilder *) builder;
  Frame *frame;

  g_return_if_fail (builder != NULL);

  if (!check_close (b, FRAME_ARRAY, G_STRFUNC))
    return;

  frame = current_frame (b);
  write_count (b, frame, frame->count);
  b->depth--;
  b->frame--;
}

/**
 * quarry_key_builder_open_object: (skip)
 * @builder: a builder
 *
 * Opens an object: its members follow, each a name
 * (`quarry_key_builder_add_member()`) then a value, until
 * `quarry_key_builder_close_object()`.
 */
void
quarry_key_builder_open_object (QuarryKeyBuilder *builder)
{
  g_return_if_fail (builder != NULL);

  open_container ((RealBuilder *) builder, FRAME_OBJECT, G_STRFUNC);
}

/**
 * quarry_key_builder_close_object: (skip)
 * @builder: a builder
 *
 * Closes the object opened last, sorting its members by name.
 */
void
quarry_key_builder_close_object (QuarryKeyBuilder *builder)
{
  RealBuilder *b = (RealBuilder *) builder;
  Frame *frame;

  g_return_if_fail (builder != NULL);

  if (!check_close (b, FRAME_OBJECT, G_STRFUNC))
    return;

  frame = current_frame (b);
  write_count (b, frame, sort_members (b, frame));
  b->n_marks = frame->marks_base;
  b->depth--;
  b->frame--;
}

/**
 * quarry_key_builder_add_member: (skip)
 * @builder: a builder
 * @name: a UTF-8 member name
 *
 * Names the next member of the open object: the value added next is its
 * value, and may be an array or an object.
 */
void
quarry_key_builder_add_member (QuarryKeyBuilder *builder,
                               const char       *name)
{
  RealBuilder *b = (RealBuilder *) builder;
  gssize size;

  g_return_if_fail (builder != NULL);
  g_return_if_fail (name != NULL);

  size = utf8_size (name);
  if (G_UNLIKELY (size < 0))
    {
      if (!b->invalid)
        misuse (b, G_STRFUNC, "the member name is not valid UTF-8");
      return;
    }

  if (begin_member (b, G_STRFUNC))
    add_member_len (b, name, size);
}

/**
 * quarry_key_builder_add_member_string: (skip)
 * @builder: a builder
 * @name: a UTF-8 member name
 * @value: a UTF-8 string
 *
 * Adds a member of the open object whose value is a string.
 */
void
quarry_key_builder_add_member_string (QuarryKeyBuilder *builder,
                                      const char       *name,
                                      const char       *value)
{
  RealBuilder *b = (RealBuilder *) builder;
  gssize size;
  guint8 *p;

  g_return_if_fail (builder != NULL);
  g_return_if_fail (name != NULL);
  g_return_if_fail (value != NULL);

  size = utf8_size (value);
  if (G_UNLIKELY (size < 0))
    {
      if (!b->invalid)
        misuse (b, G_STRFUNC, "the string is not valid UTF-8");
      return;
    }

  p = begin_member_with_value (b, name, 1 + QUARRY_VARINT_MAX + size, G_STRFUNC);
  if (p != NULL)
    {
      *p++ = QUARRY_KEY_TAG_STRING;
      commit (b, write_bytes (p, value, size));
    }
}

/**
 * quarry_key_builder_add_member_int: (skip)
 * @builder: a builder
 * @name: a UTF-8 member name
 * @value: an integer
 *
 * Adds a member of the open object whose value is an integer.
 */
void
quarry_key_builder_add_member_int (QuarryKeyBuilder *builder,
                                   const char       *name,
                                   gint64            value)
{
  RealBuilder *b = (RealBuilder *) builder;
  guint8 *p;

  g_return_if_fail (builder != NULL);
  g_return_if_fail (name != NULL);

  p = begin_member_with_value (b, name, 1 + QUARRY_VARINT_MAX, G_STRFUNC);
  if (p != NULL)
    commit (b, write_int (p, value));
}

/**
 * quarry_key_builder_add_member_double: (skip)
 * @builder: a builder
 * @name: a UTF-8 member name
 * @value: a number
 *
 * Adds a member of the open object whose value is a number, as
 * `quarry_key_builder_add_double()` adds it.
 */
void
quarry_key_builder_add_member_double (QuarryKeyBuilder *builder,
                                      const char       *name,
                                      double            value)
{
  RealBuilder *b = (RealBuilder *) builder;
  guint8 *p;

  g_return_if_fail (builder != NULL);
  g_return_if_fail (name != NULL);

  p = begin_member_with_value (b, name, DOUBLE_MAX, G_STRFUNC);
  if (p != NULL)
    commit (b, write_double (p, value));
}

/**
 * quarry_key_builder_add_member_boolean: (skip)
 * @builder: a builder
 * @name: a UTF-8 member name
 * @value: a boolean
 *
 * Adds a member of the open object whose value is `true` or `false`.
 */
void
quarry_key_builder_add_member_boolean (QuarryKeyBuilder *builder,
                                       const char       *name,
                                       gboolean          value)
{
  RealBuilder *b = (RealBuilder *) builder;
  guint8 *p;

  g_return_if_fail (builder != NULL);
  g_return_if_fail (name != NULL);

  p = begin_member_with_value (b, name, 1, G_STRFUNC);
  if (p != NULL)
    {
      *p++ = value ? QUARRY_KEY_TAG_TRUE : QUARRY_KEY_TAG_FALSE;
      commit (b, p);
    }
}

/**
 * quarry_key_builder_add_member_null: (skip)
 * @builder: a builder
 * @name: a UTF-8 member name
 *
 * Adds a member of the open object whose value is `null`.
 */
void
quarry_key_builder_add_member_null (QuarryKeyBuilder *builder,
                                    const char       *name)
{
  RealBuilder *b = (RealBuilder *) builder;
  guint8 *p;

  g_return_if_fail (builder != NULL);
  g_return_if_fail (name != NULL);

  p = begin_member_with_value (b, name, 1, G_STRFUNC);
  if (p != NULL)
    {
      *p++ = QUARRY_KEY_TAG_NULL;
      commit (b, p);
    }
}

guint
_quarry_key_builder_get_depth (QuarryKeyBuilder *builder)
{
  return ((RealBuilder *) builder)->depth;
}

void
_quarry_key_builder_add_string_len (QuarryKeyBuilder *builder,
                                    const char       *value,
                                    gsize             size)
{
  RealBuilder *b = (RealBuilder *) builder;

  if (begin_value (b, G_STRFUNC))
    add_string_len (b, value, size);
}

void
_quarry_key_builder_add_member_len (QuarryKeyBuilder *builder,
                                    const char       *name,
                                    gsize             size)
{
  RealBuilder *b = (RealBuilder *) builder;

  if (begin_member (b, G_STRFUNC))
    add_member_len (b, name, size);
}

guint8 *
_quarry_key_builder_begin_string (QuarryKeyBuilder *builder,
                                  gboolean          member,
                                  gsize             max_size)
{
  RealBuilder *b = (RealBuilder *) builder;
  guint8 *p;

  if (member ? !begin_member (b, G_STRFUNC) : !begin_value (b, G_STRFUNC))
    return NULL;

  /* The tag, then room for the longest varint before the bytes: the
   * bytes move down to their place at the end. */
  p = reserve (b, 1 + QUARRY_VARINT_MAX + max_size);
  if (!member)
    {
      *p++ = QUARRY_KEY_TAG_STRING;
      b->size++;
    }
  b->string_start = b->size;
  return p + QUARRY_VARINT_MAX;
}

void
_quarry_key_builder_end_string (QuarryKeyBuilder *builder,
                                gsize             size)
{
  RealBuilder *b = (RealBuilder *) builder;
  guint8 *start = b->data + b->string_start;
  guint8 *p = _quarry_varint_write (start, size);

  memmove (p, start + QUARRY_VARINT_MAX, size);
  commit (b, p + size);
}
