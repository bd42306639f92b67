/* quarry-todo-service.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <quarry.h>

G_BEGIN_DECLS

/**
 * QuarryTodoFilter:
 * @QUARRY_TODO_FILTER_ALL: every todo
 * @QUARRY_TODO_FILTER_OPEN: the todos not done yet
 * @QUARRY_TODO_FILTER_DONE: the todos done
 *
 * Which todos a list shows.
 */
typedef enum
{
  QUARRY_TODO_FILTER_ALL,
  QUARRY_TODO_FILTER_OPEN,
  QUARRY_TODO_FILTER_DONE,
} QuarryTodoFilter;

/**
 * QuarryTodoServiceError:
 * @QUARRY_TODO_SERVICE_ERROR_NOT_CREATED: a change of a new todo whose
 *   creation failed
 *
 * Why the service failed a change before sending it.
 */
typedef enum
{
  QUARRY_TODO_SERVICE_ERROR_NOT_CREATED,
} QuarryTodoServiceError;

#define QUARRY_TODO_SERVICE_ERROR (quarry_todo_service_error_quark ())

#define QUARRY_TODO_LIST_PAGE_SIZE 50
#define QUARRY_TODO_PAGE_SIZE      20

#define QUARRY_TYPE_TODO_SERVICE (quarry_todo_service_get_type ())

G_DECLARE_FINAL_TYPE (QuarryTodoService, quarry_todo_service, QUARRY, TODO_SERVICE, GObject)

GQuark               quarry_todo_service_error_quark        (void);

QuarryTodoService   *quarry_todo_service_new                (QuarryQueryClient *client,
                                                            const char        *base_uri);
QuarryQueryClient   *quarry_todo_service_get_client         (QuarryTodoService *self);
QuarryHttpClient    *quarry_todo_service_get_http_client    (QuarryTodoService *self);
guint                quarry_todo_service_get_n_paused       (QuarryTodoService *self);
gboolean             quarry_todo_service_get_offline        (QuarryTodoService *self);
void                 quarry_todo_service_set_offline        (QuarryTodoService *self,
                                                            gboolean           offline);

QuarryKey           *quarry_todo_service_list_key           (const char        *search,
                                                            QuarryTodoFilter   filter);
QuarryKey           *quarry_todo_service_detail_key         (gint64             id);

QuarryQuery         *quarry_todo_service_new_list_query     (QuarryTodoService *self,
                                                            QuarryKey         *key);
QuarryQuery         *quarry_todo_service_new_detail_query   (QuarryTodoService *self);
QuarryInfiniteQuery *quarry_todo_service_new_all_query      (QuarryTodoService *self);
QuarryQuery         *quarry_todo_service_new_page_query     (QuarryTodoService *self);
QuarryQuery         *quarry_todo_service_new_settings_query (QuarryTodoService *self);

JsonNode            *quarry_todo_service_find_todo          (const GValue      *list_data,
                                                            gint64             id);

gint64               quarry_todo_service_add                (QuarryTodoService *self,
                                                            const char        *title);
void                 quarry_todo_service_set_done           (QuarryTodoService *self,
                                                            gint64             id,
                                                            gboolean           done);
void                 quarry_todo_service_set_title          (QuarryTodoService *self,
                                                            gint64             id,
                                                            const char        *title);
void                 quarry_todo_service_delete             (QuarryTodoService *self,
                                                            gint64             id);
void                 quarry_todo_service_update_settings    (QuarryTodoService *self,
                                                            guint              latency_ms,
                                                            double             fail_rate);

G_END_DECLS
