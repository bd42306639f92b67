/* quarry-mutation-button.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(_QUARRY_GTK_INSIDE) && !defined(QUARRY_GTK_COMPILATION)
#error "Only <quarry-gtk.h> can be included directly."
#endif

#include <gtk/gtk.h>
#include <quarry.h>

G_BEGIN_DECLS

#define QUARRY_TYPE_MUTATION_BUTTON (quarry_mutation_button_get_type ())

QUARRY_AVAILABLE_IN_ALL
G_DECLARE_DERIVABLE_TYPE (QuarryMutationButton, quarry_mutation_button, QUARRY, MUTATION_BUTTON, GtkButton)

/**
 * QuarryMutationButtonClass:
 * @parent_class: the parent class
 * @mutate: class handler of [signal@MutationButton::mutate]
 *
 * The class structure of [class@MutationButton].
 */
struct _QuarryMutationButtonClass
{
  GtkButtonClass parent_class;

  gboolean (*mutate) (QuarryMutationButton *self);

  /*< private >*/
  gpointer _reserved[8];
};

QUARRY_AVAILABLE_IN_ALL
GtkWidget      *quarry_mutation_button_new           (QuarryMutation       *mutation) G_GNUC_WARN_UNUSED_RESULT;
QUARRY_AVAILABLE_IN_ALL
GtkWidget      *quarry_mutation_button_new_with_label (QuarryMutation      *mutation,
                                                       const char          *label) G_GNUC_WARN_UNUSED_RESULT;

QUARRY_AVAILABLE_IN_ALL
QuarryMutation *quarry_mutation_button_get_mutation  (QuarryMutationButton *self);
QUARRY_AVAILABLE_IN_ALL
void            quarry_mutation_button_set_mutation  (QuarryMutationButton *self,
                                                      QuarryMutation       *mutation);
QUARRY_AVAILABLE_IN_ALL
const char     *quarry_mutation_button_get_label     (QuarryMutationButton *self);
QUARRY_AVAILABLE_IN_ALL
void            quarry_mutation_button_set_label     (QuarryMutationButton *self,
                                                      const char           *label);
QUARRY_AVAILABLE_IN_ALL
const char     *quarry_mutation_button_get_icon_name (QuarryMutationButton *self);
QUARRY_AVAILABLE_IN_ALL
void            quarry_mutation_button_set_icon_name (QuarryMutationButton *self,
                                                      const char           *icon_name);
QUARRY_AVAILABLE_IN_ALL
const GValue   *quarry_mutation_button_get_variables (QuarryMutationButton *self);
QUARRY_AVAILABLE_IN_ALL
void            quarry_mutation_button_set_variables (QuarryMutationButton *self,
                                                      const GValue         *variables);
QUARRY_AVAILABLE_IN_ALL
gboolean        quarry_mutation_button_get_is_pending (QuarryMutationButton *self);

G_END_DECLS
