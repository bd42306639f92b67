/* quarry-todo-file.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "quarry-todo-file.h"

/*
 * QuarryTodoFile:
 *
 * The file a store lives in, as one server owns it:
 *
 * - locked: an exclusive flock() on `<file>.lock`, next to it, held until
 *   the QuarryTodoFile is freed, so that a second server on the same file
 *   (which would lose the first one's updates and reuse its ids) fails to
 *   start instead. The lock is not on the file itself, which every write
 *   replaces. The lock file stays when the server stops: removing it
 *   would race with a server that just opened it.
 * - followed: when the path is a symbolic link, the file is its target,
 *   which is locked and rewritten in place; the link stays a link.
 * - replaced atomically: a write goes to a temporary file next to the
 *   target, synced to disk, then renamed over it, so the file is always
 *   either the old contents or the new. The new file keeps the old one's
 *   permissions (a store made private with chmod 600 stays private); a
 *   new file is 0644, less the umask.
 */

struct _QuarryTodoFile
{
  char *path;     /* as given */
  char *target;   /* @path with its symbolic links followed */
  int lock_fd;
};

/* Like the kernel's limit (ELOOP). */
#define MAX_SYMBOLIC_LINKS 40

/* Follows @path's symbolic links (of its last component) to the file
 * they name, which need not exist. */
static char *
follow_links (const char  *path,
              GError     **error)
{
  g_autofree char *current = g_strdup (path);

  for (guint i = 0; i < MAX_SYMBOLIC_LINKS; i++)
    {
      g_autofree char *target = g_file_read_link (current, NULL);
      g_autofree char *dir = NULL;

      /* Not a link (or not there): the file itself. */
      if (target == NULL)
        return g_steal_pointer (&current);

      if (g_path_is_absolute (target))
        {
          g_free (current);
          current = g_steal_pointer (&target);
          continue;
        }

      dir = g_path_get_dirname (current);
      g_free (current);
      current = g_build_filename (dir, target, NULL);
    }

  g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_LOOP,
               _("“%s” leads through too many symbolic links"), path);
  return NULL;
}

static gboolean
lock (QuarryTodoFile  *self,
      GError         **error)
{
  g_autofree char *lock_path = g_strconcat (self->target, ".lock", NULL);
  int saved_errno;

  self->lock_fd = g_open (lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (self->lock_fd < 0)
    {
      saved_errno = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Could not open the lock file “%s”: %s"), lock_path, g_strerror (saved_errno));
      return FALSE;
    }

  while (flock (self->lock_fd, LOCK_EX | LOCK_NB) != 0)
    {
      saved_errno = errno;
      if (saved_errno == EINTR)
        continue;

      if (saved_errno == EWOULDBLOCK)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                     _("“%s” is in use by another quarry-todo-server (it holds “%s”)"),
                     self->path, lock_path);
      else
        g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                     _("Could not lock “%s”: %s"), lock_path, g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}

/**
 * quarry_todo_file_open:
 * @path: the store's file, which need not exist
 * @error: the place for an error
 *
 * Follows @path's symbolic links, creates the folders of the file when
 * they are missing, and locks it.
 *
 * Returns: (transfer full): the file, or %NULL with @error set:
 *   %G_IO_ERROR_BUSY when another server holds it, a %G_FILE_ERROR
 *   otherwise
 */
QuarryTodoFile *
quarry_todo_file_open (const char  *path,
                       GError     **error)
{
  g_autoptr(QuarryTodoFile) self = NULL;
  g_autofree char *dir = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_new0 (QuarryTodoFile, 1);
  self->path = g_strdup (path);
  self->lock_fd = -1;

  self->target = follow_links (path, error);
  if (self->target == NULL)
    return NULL;

  /* Before a lock file is made next to it. */
  if (g_file_test (self->target, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_ISDIR,
                   _("“%s” is a folder, not a file"), path);
      return NULL;
    }

  dir = g_path_get_dirname (self->target);
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Could not create the folder “%s”: %s"), dir, g_strerror (saved_errno));
      return NULL;
    }

  if (!lock (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

/* The file that is read and written: the path with its links followed. */
const char *
quarry_todo_file_get_target (QuarryTodoFile *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->target;
}

/**
 * quarry_todo_file_read:
 * @self: a file
 * @contents: (out): its contents, NUL-terminated
 * @length: (out): their length
 * @error: the place for an error
 *
 * Returns: %TRUE, or %FALSE with @error set (%G_FILE_ERROR_NOENT when
 *   there is no file yet)
 */
gboolean
quarry_todo_file_read (QuarryTodoFile  *self,
                       char           **contents,
                       gsize           *length,
                       GError         **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return g_file_get_contents (self->target, contents, length, error);
}

static gboolean
write_all (int         fd,
           const char *data,
           gsize       length)
{
  while (length > 0)
    {
      gssize written = write (fd, data, length);

      if (written < 0 && errno == EINTR)
        continue;
      if (written < 0)
        return FALSE;
      data += written;
      length -= (gsize) written;
    }
  return TRUE;
}

/**
 * quarry_todo_file_write:
 * @self: a file
 * @contents: the new contents
 * @length: their length
 * @error: the place for an error
 *
 * Replaces the file's contents atomically, keeping its permissions.
 *
 * Returns: %TRUE, or %FALSE with @error set, and the file as it was
 */
gboolean
quarry_todo_file_write (QuarryTodoFile  *self,
                        const char      *contents,
                        gsize            length,
                        GError         **error)
{
  g_autofree char *temporary = NULL;
  GStatBuf info;
  gboolean existed;
  mode_t mode = 0644;
  int saved_errno;
  int fd;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (contents != NULL || length == 0, FALSE);

  existed = g_stat (self->target, &info) == 0;
  if (existed)
    mode = info.st_mode & 07777;

  temporary = g_strconcat (self->target, ".XXXXXX", NULL);
  fd = g_mkstemp_full (temporary, O_WRONLY | O_CLOEXEC, (int) mode);
  if (fd < 0)
    {
      saved_errno = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Could not create a file next to “%s”: %s"), self->target,
                   g_strerror (saved_errno));
      return FALSE;
    }

  /* The umask applied to the new file's mode: the old one's, exactly. */
  if (!write_all (fd, contents, length)
      || (existed && fchmod (fd, mode) != 0)
      || fsync (fd) != 0)
    {
      saved_errno = errno;
      close (fd);
      g_unlink (temporary);
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Could not write “%s”: %s"), temporary, g_strerror (saved_errno));
      return FALSE;
    }

  if (close (fd) != 0)
    {
      saved_errno = errno;
      g_unlink (temporary);
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Could not write “%s”: %s"), temporary, g_strerror (saved_errno));
      return FALSE;
    }

  if (g_rename (temporary, self->target) != 0)
    {
      saved_errno = errno;
      g_unlink (temporary);
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Could not replace “%s”: %s"), self->target, g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}

/* Frees @self, which releases the lock. */
void
quarry_todo_file_free (QuarryTodoFile *self)
{
  if (self == NULL)
    return;

  if (self->lock_fd >= 0)
    close (self->lock_fd);
  g_free (self->path);
  g_free (self->target);
  g_free (self);
}
