/* quarry-key-parser.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A strict JSON parser that writes straight into a QuarryKeyBuilder: no
 * JsonNode, no GVariant and, for a key of short ASCII strings, no copy but
 * the builder's. It is a loop over a stack of open containers rather than
 * a recursion, so deep nesting cannot overflow the C stack; the builder's
 * depth limit stops it first.
 */

#include "config.h"

#include "quarry-key-builder-private.h"
#include "quarry-key-parser-private.h"

/* Numbers longer than this are copied to the heap for g_ascii_strtod(). */
#define STACK_NUMBER_SIZE 64

typedef enum
{
  STATE_VALUE,          /* a value comes next */
  STATE_AFTER_VALUE,    /* a comma or the end of the container */
  STATE_MEMBER,         /* a member name comes next */
} State;

#define SPACE_MASK ((G_GUINT64_CONSTANT (1) << ' ') | (G_GUINT64_CONSTANT (1) << '\n') | \
                    (G_GUINT64_CONSTANT (1) << '\r') | (G_GUINT64_CONSTANT (1) << '\t'))

static inline const guint8 *
skip_space (const guint8 *p)
{
  while (*p <= ' ' && (SPACE_MASK >> *p) & 1)
    p++;
  return p;
}

/* Bytes that a string copies as they are: printable ASCII but the quote
 * and the backslash. */
static const guint8 plain[256] = {
  [0x20] = 1, [0x21] = 1, [0x23 ... 0x5b] = 1, [0x5d ... 0x7e] = 1, [0x7f] = 1,
};

static inline QuarryKeyParseStatus
unexpected (const guint8 *p)
{
  return *p == '\0' ? QUARRY_KEY_PARSE_END : QUARRY_KEY_PARSE_CHARACTER;
}

static inline gboolean
is_digit (guint8 c)
{
  return c >= '0' && c <= '9';
}

static int
hex_digit (guint8 c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* The value of the 4 hex digits at @p, or -1. Stops at a 0 byte. */
static gint32
hex4 (const guint8 *p)
{
  gint32 value = 0;

  for (guint i = 0; i < 4; i++)
    {
      int digit = hex_digit (p[i]);

      if (digit < 0)
        return -1;
      value = value * 16 + digit;
    }
  return value;
}

/* The length of the valid UTF-8 sequence at @p (RFC 3629: no overlong
 * forms, no surrogates, nothing above U+10FFFF), or 0. */
static guint
utf8_sequence (const guint8 *p)
{
  guint8 c = p[0];
  guint8 low = 0x80;
  guint8 high = 0xbf;

  if (c >= 0xc2 && c <= 0xdf)
    return (p[1] & 0xc0) == 0x80 ? 2 : 0;

  if (c >= 0xe0 && c <= 0xef)
    {
      if (c == 0xe0)
        low = 0xa0;
      else if (c == 0xed)
        high = 0x9f;
      if (p[1] < low || p[1] > high)
        return 0;
      return (p[2] & 0xc0) == 0x80 ? 3 : 0;
    }

  if (c >= 0xf0 && c <= 0xf4)
    {
      if (c == 0xf0)
        low = 0x90;
      else if (c == 0xf4)
        high = 0x8f;
      if (p[1] < low || p[1] > high)
        return 0;
      if ((p[2] & 0xc0) != 0x80)
        return 0;
      return (p[3] & 0xc0) == 0x80 ? 4 : 0;
    }

  return 0;
}

/* Decodes the escape after the backslash at *@pp into @out: advances *@pp
 * past it and returns the bytes written, or 0 with *@pp at the problem. */
static guint
decode_escape (const guint8         **pp,
               guint8                *out,
               QuarryKeyParseStatus  *status)
{
  const guint8 *p = *pp + 1;
  gint32 c;

  switch (*p)
    {
    case '"': *out = '"'; break;
    case '\\': *out = '\\'; break;
    case '/': *out = '/'; break;
    case 'b': *out = '\b'; break;
    case 'f': *out = '\f'; break;
    case 'n': *out = '\n'; break;
    case 'r': *out = '\r'; break;
    case 't': *out = '\t'; break;

    case 'u':
      c = hex4 (p + 1);
      if (c < 0)
        {
          *status = QUARRY_KEY_PARSE_ESCAPE;
          return 0;
        }

      if (c >= 0xd800 && c <= 0xdbff)
        {
          gint32 low = p[5] == '\\' && p[6] == 'u' ? hex4 (p + 7) : -1;

          if (low < 0xdc00 || low > 0xdfff)
            {
              *status = QUARRY_KEY_PARSE_SURROGATE;
              return 0;
            }
          c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
          p += 6;
        }
      else if (c >= 0xdc00 && c <= 0xdfff)
        {
          *status = QUARRY_KEY_PARSE_SURROGATE;
          return 0;
        }
      else if (c == 0)
        {
          *status = QUARRY_KEY_PARSE_NUL;
          return 0;
        }

      *pp = p + 5;
      return g_unichar_to_utf8 (c, (char *) out);

    default:
      *status = QUARRY_KEY_PARSE_ESCAPE;
      return 0;
    }

  *pp = p + 1;
  return 1;
}

/* Parses the string whose opening quote is at *@pp, as a value or, with
 * @member, as the name of an object's member. */
static QuarryKeyParseStatus
parse_string (const guint8     **pp,
              QuarryKeyBuilder  *builder,
              gboolean           member)
{
  const guint8 *start = *pp + 1;
  const guint8 *p = start;
  const guint8 *end;
  guint8 *out;
  guint8 *o;

  /* Plain printable ASCII is the common case: copied as it is. */
  while (plain[*p])
    p++;

  if (*p == '"')
    {
      if (member)
        _quarry_key_builder_add_member_len (builder, (const char *) start, p - start);
      else
        _quarry_key_builder_add_string_len (builder, (const char *) start, p - start);
      *pp = p + 1;
      return QUARRY_KEY_PARSE_OK;
    }

  /* Find the closing quote: the decoded bytes are no more than the text's. */
  for (end = p; *end != '"'; end++)
    {
      if (*end == '\\' && end[1] != '\0')
        end++;
      else if (*end == '\0')
        {
          *pp = end;
          return QUARRY_KEY_PARSE_END;
        }
    }

  out = _quarry_key_builder_begin_string (builder, member, end - start);
  g_assert (out != NULL);
  memcpy (out, start, p - start);
  o = out + (p - start);

  while (p < end)
    {
      if (*p == '\\')
        {
          QuarryKeyParseStatus status = QUARRY_KEY_PARSE_ESCAPE;
          guint n = decode_escape (&p, o, &status);

          if (n == 0)
            {
              *pp = p;
              return status;
            }
          o += n;
        }
      else if (*p < 0x20)
        {
          *pp = p;
          return QUARRY_KEY_PARSE_CONTROL;
        }
      else if (*p < 0x80)
        *o++ = *p++;
      else
        {
          guint n = utf8_sequence (p);

          if (n == 0)
            {
              *pp = p;
              return QUARRY_KEY_PARSE_UTF8;
            }
          memcpy (o, p, n);
          o += n;
          p += n;
        }
    }

  _quarry_key_builder_end_string (builder, o - out);
  *pp = end + 1;
  return QUARRY_KEY_PARSE_OK;
}

static double
strtod_slow (const guint8 *start,
             const guint8 *end)
{
  char buffer[STACK_NUMBER_SIZE];
  g_autofree char *heap = NULL;
  gsize size = end - start;
  char *text = buffer;

  if (size >= sizeof buffer)
    text = heap = g_malloc (size + 1);
  memcpy (text, start, size);
  text[size] = '\0';

  return g_ascii_strtod (text, NULL);
}

/* Parses the number at *@pp (RFC 8259's grammar): an integer when it is
 * one in the 64-bit range, else a double, with the canonical rules of
 * quarry_key_builder_add_double(). */
static QuarryKeyParseStatus
parse_number (const guint8     **pp,
              QuarryKeyBuilder  *builder)
{
  static const double powers_of_ten[] = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
  };
  const guint8 *start = *pp;
  const guint8 *p = start;
  gboolean negative = FALSE;
  gboolean integer = TRUE;
  gboolean exact = TRUE;        /* every digit is in mantissa */
  guint64 mantissa = 0;
  guint digits = 0;             /* significant digits in mantissa */
  int exponent = 0;             /* of ten, applied to mantissa */
  double value;

  if (*p == '-')
    {
      negative = TRUE;
      p++;
    }

  if (*p == '0')
    {
      p++;
      if (is_digit (*p))
        {
          *pp = p;
          return QUARRY_KEY_PARSE_NUMBER;
        }
    }
  else if (*p >= '1' && *p <= '9')
    {
      for (; is_digit (*p); p++)
        {
          if (digits < 19)
            {
              mantissa = mantissa * 10 + (*p - '0');
              digits++;
            }
          else
            {
              exact = FALSE;
              exponent++;
            }
        }
    }
  else
    {
      *pp = p;
      return *p == '\0' ? QUARRY_KEY_PARSE_END : QUARRY_KEY_PARSE_NUMBER;
    }

  if (*p == '.')
    {
      integer = FALSE;
      p++;
      if (!is_digit (*p))
        {
          *pp = p;
          return *p == '\0' ? QUARRY_KEY_PARSE_END : QUARRY_KEY_PARSE_NUMBER;
        }
      for (; is_digit (*p); p++)
        {
          if (mantissa == 0 && *p == '0')
            exponent--;
          else if (digits < 19)
            {
              mantissa = mantissa * 10 + (*p - '0');
              digits++;
              exponent--;
            }
          else if (*p != '0')
            exact = FALSE;
        }
    }

  if (*p == 'e' || *p == 'E')
    {
      gboolean negative_exponent = FALSE;
      int e = 0;

      integer = FALSE;
      p++;
      if (*p == '+' || *p == '-')
        negative_exponent = *p++ == '-';
      if (!is_digit (*p))
        {
          *pp = p;
          return *p == '\0' ? QUARRY_KEY_PARSE_END : QUARRY_KEY_PARSE_NUMBER;
        }
      for (; is_digit (*p); p++)
        if (e < 100000)
          e = e * 10 + (*p - '0');
      exponent += negative_exponent ? -e : e;
    }

  *pp = p;

  if (integer && exact)
    {
      if (!negative && mantissa <= G_MAXINT64)
        {
          quarry_key_builder_add_int (builder, (gint64) mantissa);
          return QUARRY_KEY_PARSE_OK;
        }
      if (negative && mantissa <= (guint64) G_MAXINT64 + 1)
        {
          quarry_key_builder_add_int (builder, (gint64) (0 - mantissa));
          return QUARRY_KEY_PARSE_OK;
        }
    }

  /* Exact operands give a correctly rounded product or quotient (Clinger's
   * fast path); anything else goes to g_ascii_strtod(). */
  if (mantissa == 0)
    value = 0.0;
  else if (exact && mantissa <= (G_GUINT64_CONSTANT (1) << 53) && exponent >= -22 && exponent <= 22)
    value = exponent >= 0 ? (double) mantissa * powers_of_ten[exponent]
                          : (double) mantissa / powers_of_ten[-exponent];
  else
    {
      quarry_key_builder_add_double (builder, strtod_slow (start, p));
      return QUARRY_KEY_PARSE_OK;
    }

  quarry_key_builder_add_double (builder, negative ? -value : value);
  return QUARRY_KEY_PARSE_OK;
}

static QuarryKeyParseStatus
parse (const char       *text,
       gboolean          array,
       QuarryKeyBuilder *builder,
       gsize            *error_offset)
{
  const guint8 *start = (const guint8 *) text;
  const guint8 *p = start;
  gboolean objects[QUARRY_KEY_MAX_DEPTH + 1];   /* per depth: an object? */
  guint depth = 0;
  State state = STATE_VALUE;
  QuarryKeyParseStatus status = QUARRY_KEY_PARSE_OK;

  if (p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf)
    p += 3;

  /* Depth 0 is the key's array, whose elements are the key's; or, for a
   * single value, an array that ends after it. */
  objects[0] = FALSE;
  p = skip_space (p);
  if (array)
    {
      if (*p != '[')
        {
          status = unexpected (p);
          goto out;
        }
      p = skip_space (p + 1);
      if (*p == ']')
        {
          p++;
          goto end;
        }
    }

  for (;;)
    {
      p = skip_space (p);

      switch (state)
        {
        case STATE_VALUE:
          state = STATE_AFTER_VALUE;
          switch (*p)
            {
            case '"':
              status = parse_string (&p, builder, FALSE);
              break;

            case '[':
            case '{':
              if (depth == QUARRY_KEY_MAX_DEPTH)
                {
                  status = QUARRY_KEY_PARSE_DEPTH;
                  break;
                }
              depth++;
              objects[depth] = *p == '{';
              if (objects[depth])
                quarry_key_builder_open_object (builder);
              else
                quarry_key_builder_open_array (builder);

              p = skip_space (p + 1);
              if (*p == (objects[depth] ? '}' : ']'))
                {
                  if (objects[depth])
                    quarry_key_builder_close_object (builder);
                  else
                    quarry_key_builder_close_array (builder);
                  depth--;
                  p++;
                }
              else
                state = objects[depth] ? STATE_MEMBER : STATE_VALUE;
              break;

            case 't':
              if (strncmp ((const char *) p, "true", 4) != 0)
                status = QUARRY_KEY_PARSE_CHARACTER;
              else
                {
                  quarry_key_builder_add_boolean (builder, TRUE);
                  p += 4;
                }
              break;

            case 'f':
              if (strncmp ((const char *) p, "false", 5) != 0)
                status = QUARRY_KEY_PARSE_CHARACTER;
              else
                {
                  quarry_key_builder_add_boolean (builder, FALSE);
                  p += 5;
                }
              break;

            case 'n':
              if (strncmp ((const char *) p, "null", 4) != 0)
                status = QUARRY_KEY_PARSE_CHARACTER;
              else
                {
                  quarry_key_builder_add_null (builder);
                  p += 4;
                }
              break;

            case '-':
            case '0': case '1': case '2': case '3': case '4':
            case '5': case '6': case '7': case '8': case '9':
              status = parse_number (&p, builder);
              break;

            default:
              status = unexpected (p);
            }
          break;

        case STATE_AFTER_VALUE:
          if (depth == 0 && !array)
            goto end;
          if (*p == ',')
            {
              p++;
              state = objects[depth] ? STATE_MEMBER : STATE_VALUE;
            }
          else if (*p == (objects[depth] ? '}' : ']'))
            {
              p++;
              if (depth == 0)
                goto end;
              if (objects[depth])
                quarry_key_builder_close_object (builder);
              else
                quarry_key_builder_close_array (builder);
              depth--;
            }
          else
            status = unexpected (p);
          break;

        case STATE_MEMBER:
          if (*p != '"')
            {
              status = unexpected (p);
              break;
            }
          status = parse_string (&p, builder, TRUE);
          if (status != QUARRY_KEY_PARSE_OK)
            break;
          p = skip_space (p);
          if (*p != ':')
            {
              status = unexpected (p);
              break;
            }
          p++;
          state = STATE_VALUE;
          break;

        default:
          g_assert_not_reached ();
        }

      if (status != QUARRY_KEY_PARSE_OK)
        goto out;
    }

end:
  p = skip_space (p);
  if (*p != '\0')
    status = QUARRY_KEY_PARSE_CHARACTER;

out:
  *error_offset = p - start;
  return status;
}

QuarryKeyParseStatus
_quarry_key_parse (const char       *text,
                   QuarryKeyBuilder *builder,
                   gsize            *error_offset)
{
  return parse (text, TRUE, builder, error_offset);
}

QuarryKeyParseStatus
_quarry_key_parse_value (const char       *text,
                         QuarryKeyBuilder *builder,
                         gsize            *error_offset)
{
  return parse (text, FALSE, builder, error_offset);
}
