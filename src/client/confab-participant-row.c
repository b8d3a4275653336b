/* confab-participant-row.c: one participant in the side panel's list.
 *
 * The row shows the name, "(you)", the host role and a raised hand, and for
 * hosts a menu of host actions. The menu items name `participant.*` actions
 * with the participant's user id as target; ConfabMeetingPage installs
 * those actions and decides whether each is enabled, so this row only
 * decides what the menu lists.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "confab-room"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "confab-protocol.h"
#include "confab-participant-row.h"

struct _ConfabParticipantRow
{
  GtkWidget          parent_instance;

  /* template widgets */
  AdwAvatar         *avatar;
  GtkLabel          *name_label;
  GtkLabel          *self_label;
  GtkLabel          *role_label;
  GtkImage          *hand_image;
  GtkMenuButton     *menu_button;

  /* owned */
  ConfabParticipant *participant;
  GMenu             *menu;
  gboolean           show_host_controls;
};

G_DEFINE_FINAL_TYPE (ConfabParticipantRow, confab_participant_row, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_PARTICIPANT,
  PROP_SHOW_HOST_CONTROLS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
append_item (GMenu      *section,
             const char *label,
             const char *action,
             GVariant   *target)
{
  g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

  g_menu_item_set_action_and_target_value (item, action, target);
  g_menu_append_item (section, item);
}

/* Rebuilds the host menu: its moderator item depends on the role. */
static void
rebuild_menu (ConfabParticipantRow *self)
{
  g_autoptr(GMenu) actions = g_menu_new ();
  g_autoptr(GMenu) removal = g_menu_new ();
  gint64 user_id = confab_participant_get_user_id (self->participant);
  const char *role = confab_participant_get_role (self->participant);

  g_menu_remove_all (self->menu);

  append_item (actions, _("Mute"), "participant.mute", g_variant_new_int64 (user_id));
  append_item (actions, _("Lower Hand"), "participant.lower-hand", g_variant_new_int64 (user_id));

  /* An owner's role cannot change; a moderator can be demoted. */
  if (!confab_participant_get_is_owner (self->participant))
    {
      gboolean is_moderator = g_strcmp0 (role, CONFAB_ROLE_MODERATOR) == 0;

      append_item (actions,
                   is_moderator ? _("Revoke Moderator") : _("Make Moderator"),
                   "participant.set-moderator",
                   g_variant_new ("(xb)", user_id, !is_moderator));
    }

  append_item (removal, _("Kick…"), "participant.kick", g_variant_new_int64 (user_id));
  append_item (removal, _("Ban…"), "participant.ban", g_variant_new_int64 (user_id));

  g_menu_append_section (self->menu, NULL, G_MENU_MODEL (actions));
  g_menu_append_section (self->menu, NULL, G_MENU_MODEL (removal));
}

static const char *
describe_role (ConfabParticipant *participant)
{
  if (confab_participant_get_is_owner (participant) ||
      g_strcmp0 (confab_participant_get_role (participant), CONFAB_ROLE_OWNER) == 0)
    return _("Host · Owner");

  if (g_strcmp0 (confab_participant_get_role (participant), CONFAB_ROLE_MODERATOR) == 0)
    return _("Host · Moderator");

  return NULL;
}

static void
update_row (ConfabParticipantRow *self)
{
  const char *name = confab_participant_get_name (self->participant);
  const char *role = describe_role (self->participant);
  gboolean hand_raised = confab_participant_get_hand_raised (self->participant);
  gboolean is_self = confab_participant_get_is_self (self->participant);
  g_autofree char *menu_label = g_strdup_printf (_("Host actions for %s"), name);
  g_autofree char *row_label = NULL;

  gtk_label_set_text (self->name_label, name);
  adw_avatar_set_text (self->avatar, name);
  gtk_widget_set_visible (GTK_WIDGET (self->self_label), is_self);
  gtk_widget_set_visible (GTK_WIDGET (self->hand_image), hand_raised);

  gtk_widget_set_visible (GTK_WIDGET (self->role_label), role != NULL);
  gtk_label_set_text (self->role_label, role != NULL ? role : "");

  /* Hosts stand out by a bold name as well as by their role line. */
  if (role != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->name_label), "heading");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->name_label), "heading");

  gtk_widget_set_visible (GTK_WIDGET (self->menu_button), self->show_host_controls && !is_self);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->menu_button), menu_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->menu_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, menu_label,
                                  -1);

  /* One sentence for screen readers, since the parts are separate labels. */
  row_label = g_strdup_printf ("%s%s%s%s%s",
                               name,
                               is_self ? " " : "", is_self ? _("(you)") : "",
                               role != NULL ? ", " : "", role != NULL ? role : "");
  if (hand_raised)
    {
      g_autofree char *with_hand = g_strdup_printf (_("%s, hand raised"), row_label);
      g_free (row_label);
      row_label = g_steal_pointer (&with_hand);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, row_label,
                                  -1);
}

static void
participant_notify_cb (ConfabParticipantRow *self,
                       GParamSpec           *pspec,
                       ConfabParticipant    *participant)
{
  const char *name = g_param_spec_get_name (pspec);

  if (g_str_equal (name, "role") || g_str_equal (name, "is-owner"))
    rebuild_menu (self);

  update_row (self);
}

static void
confab_participant_row_constructed (GObject *object)
{
  ConfabParticipantRow *self = CONFAB_PARTICIPANT_ROW (object);

  G_OBJECT_CLASS (confab_participant_row_parent_class)->constructed (object);

  g_signal_connect_object (self->participant, "notify", G_CALLBACK (participant_notify_cb),
                           self, G_CONNECT_SWAPPED);
  rebuild_menu (self);
  update_row (self);
}

static void
confab_participant_row_dispose (GObject *object)
{
  ConfabParticipantRow *self = CONFAB_PARTICIPANT_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), CONFAB_TYPE_PARTICIPANT_ROW);

  /* The template's top box has no id, so dispose_template leaves it. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);
  g_clear_object (&self->participant);
  g_clear_object (&self->menu);

  G_OBJECT_CLASS (confab_participant_row_parent_class)->dispose (object);
}

static void
confab_participant_row_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  ConfabParticipantRow *self = CONFAB_PARTICIPANT_ROW (object);

  switch (prop_id)
    {
    case PROP_PARTICIPANT:
      g_value_set_object (value, self->participant);
      break;
    case PROP_SHOW_HOST_CONTROLS:
      g_value_set_boolean (value, self->show_host_controls);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
confab_participant_row_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  ConfabParticipantRow *self = CONFAB_PARTICIPANT_ROW (object);

  switch (prop_id)
    {
    case PROP_PARTICIPANT:
      self->participant = g_value_dup_object (value);
      break;
    case PROP_SHOW_HOST_CONTROLS:
      confab_participant_row_set_show_host_controls (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
confab_participant_row_class_init (ConfabParticipantRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = confab_participant_row_constructed;
  object_class->dispose = confab_participant_row_dispose;
  object_class->get_property = confab_participant_row_get_property;
  object_class->set_property = confab_participant_row_set_property;

  properties[PROP_PARTICIPANT] =
    g_param_spec_object ("participant", NULL, NULL, CONFAB_TYPE_PARTICIPANT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* Whether the user is a host, so that the row offers host actions. */
  properties[PROP_SHOW_HOST_CONTROLS] =
    g_param_spec_boolean ("show-host-controls", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/confab/Confab/room/confab-participant-row.ui");
  gtk_widget_class_bind_template_child (widget_class, ConfabParticipantRow, avatar);
  gtk_widget_class_bind_template_child (widget_class, ConfabParticipantRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, ConfabParticipantRow, self_label);
  gtk_widget_class_bind_template_child (widget_class, ConfabParticipantRow, role_label);
  gtk_widget_class_bind_template_child (widget_class, ConfabParticipantRow, hand_image);
  gtk_widget_class_bind_template_child (widget_class, ConfabParticipantRow, menu_button);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
confab_participant_row_init (ConfabParticipantRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->menu = g_menu_new ();
  gtk_menu_button_set_menu_model (self->menu_button, G_MENU_MODEL (self->menu));
}

GtkWidget *
confab_participant_row_new (ConfabParticipant *participant)
{
  g_return_val_if_fail (CONFAB_IS_PARTICIPANT (participant), NULL);

  return g_object_new (CONFAB_TYPE_PARTICIPANT_ROW,
                       "participant", participant,
                       NULL);
}

ConfabParticipant *
confab_participant_row_get_participant (ConfabParticipantRow *self)
{
  g_return_val_if_fail (CONFAB_IS_PARTICIPANT_ROW (self), NULL);

  return self->participant;
}

gboolean
confab_participant_row_get_show_host_controls (ConfabParticipantRow *self)
{
  g_return_val_if_fail (CONFAB_IS_PARTICIPANT_ROW (self), FALSE);

  return self->show_host_controls;
}

void
confab_participant_row_set_show_host_controls (ConfabParticipantRow *self,
                                               gboolean              show)
{
  g_return_if_fail (CONFAB_IS_PARTICIPANT_ROW (self));

  show = !!show;
  if (self->show_host_controls == show)
    return;

  self->show_host_controls = show;
  if (self->participant != NULL)
    update_row (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_HOST_CONTROLS]);
}

/* Returns: (transfer none): the host actions menu, listed whether or not it is shown. */
GMenuModel *
confab_participant_row_get_menu (ConfabParticipantRow *self)
{
  g_return_val_if_fail (CONFAB_IS_PARTICIPANT_ROW (self), NULL);

  return G_MENU_MODEL (self->menu);
}
