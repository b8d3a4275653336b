/* confab-room-row.c: one row of the lobby
 *
 * Shows a ConfabRoomItem and follows its changes: name, topic, host, the
 * live count such as "3 / 10", and whether the room is full or the user is
 * banned, which also disables "Join and chat now!".
 */
#define G_LOG_DOMAIN "confab-lobby"

#include "config.h"

#include <glib/gi18n.h>

#include "confab-room-row.h"

struct _ConfabRoomRow
{
  AdwBin          parent_instance;

  /* Template widgets */
  GtkLabel       *name_label;
  GtkLabel       *topic_label;
  GtkLabel       *owner_label;
  GtkLabel       *count_label;
  GtkLabel       *state_label;
  GtkButton      *join_button;

  /* Owned */
  ConfabRoomItem *item;

  gboolean        connected;
};

G_DEFINE_FINAL_TYPE (ConfabRoomRow, confab_room_row, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_ITEM,
  PROP_CONNECTED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char *
format_ban_state (ConfabRoomItem *item)
{
  gint64 until = confab_room_item_get_banned_until (item);
  g_autoptr(GDateTime) end = NULL;
  g_autofree char *when = NULL;

  if (until <= 0)
    return g_strdup (_("Banned"));

  end = g_date_time_new_from_unix_local (until);
  if (end == NULL)
    return g_strdup (_("Banned"));

  when = g_date_time_format (end, "%x %H:%M");
  /* Translators: %s is a date and time. */
  return g_strdup_printf (_("Banned until %s"), when);
}

static void
update_state (ConfabRoomRow *self)
{
  ConfabRoomItem *item = self->item;
  GtkWidget *state = GTK_WIDGET (self->state_label);
  g_autofree char *count = confab_room_item_dup_count_label (item);
  g_autofree char *count_description = NULL;
  g_autofree char *join_description = NULL;
  g_autofree char *state_text = NULL;

  gtk_label_set_label (self->count_label, count);

  /* Translators: read by screen readers; %u are numbers of people. */
  count_description = g_strdup_printf (_("%u of %u seats taken"),
                                       confab_room_item_get_participants (item),
                                       confab_room_item_get_capacity (item));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->count_label),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, count_description,
                                  -1);

  gtk_widget_remove_css_class (state, "error");
  gtk_widget_remove_css_class (state, "warning");

  if (confab_room_item_get_banned (item))
    {
      state_text = format_ban_state (item);
      gtk_widget_add_css_class (state, "error");
    }
  else if (confab_room_item_get_full (item))
    {
      state_text = g_strdup (_("Full"));
      gtk_widget_add_css_class (state, "warning");
    }

  gtk_label_set_label (self->state_label, state_text != NULL ? state_text : "");
  gtk_widget_set_visible (state, state_text != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->join_button),
                            self->connected && confab_room_item_get_can_join (item));

  /* Translators: read by screen readers for the join button; %s is a room name. */
  join_description = g_strdup_printf (_("Join and chat now in %s"), confab_room_item_get_name (item));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->join_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, join_description,
                                  -1);
}

static void
update_texts (ConfabRoomRow *self)
{
  ConfabRoomItem *item = self->item;
  const char *topic = confab_room_item_get_topic (item);
  const char *owner = confab_room_item_get_owner_name (item);
  g_autofree char *owner_text = NULL;

  gtk_label_set_label (self->name_label, confab_room_item_get_name (item));
  gtk_label_set_label (self->topic_label, topic);
  gtk_widget_set_visible (GTK_WIDGET (self->topic_label), topic[0] != '\0');

  /* Translators: %s is the name of the room's owner. */
  owner_text = g_strdup_printf (_("Hosted by %s"), owner);
  gtk_label_set_label (self->owner_label, owner_text);
  gtk_widget_set_visible (GTK_WIDGET (self->owner_label), owner[0] != '\0');
}

static void
item_notify_cb (ConfabRoomRow  *self,
                GParamSpec     *pspec,
                ConfabRoomItem *item)
{
  const char *name = g_param_spec_get_name (pspec);

  if (g_str_equal (name, "name") || g_str_equal (name, "topic") || g_str_equal (name, "owner-name"))
    update_texts (self);

  update_state (self);
}

static void
join_button_clicked_cb (ConfabRoomRow *self)
{
  if (self->item == NULL || !self->connected || !confab_room_item_get_can_join (self->item))
    return;

  gtk_widget_activate_action (GTK_WIDGET (self), "win.join-room", "x",
                              confab_room_item_get_id (self->item));
}

static void
confab_room_row_dispose (GObject *object)
{
  ConfabRoomRow *self = (ConfabRoomRow *)object;

  confab_room_row_set_item (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CONFAB_TYPE_ROOM_ROW);

  G_OBJECT_CLASS (confab_room_row_parent_class)->dispose (object);
}

static void
confab_room_row_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  ConfabRoomRow *self = CONFAB_ROOM_ROW (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      g_value_set_object (value, self->item);
      break;

    case PROP_CONNECTED:
      g_value_set_boolean (value, self->connected);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
confab_room_row_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  ConfabRoomRow *self = CONFAB_ROOM_ROW (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      confab_room_row_set_item (self, g_value_get_object (value));
      break;

    case PROP_CONNECTED:
      if (self->connected != g_value_get_boolean (value))
        {
          self->connected = g_value_get_boolean (value);
          if (self->item != NULL)
            update_state (self);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
confab_room_row_class_init (ConfabRoomRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = confab_room_row_dispose;
  object_class->get_property = confab_room_row_get_property;
  object_class->set_property = confab_room_row_set_property;

  properties[PROP_ITEM] =
    g_param_spec_object ("item", NULL, NULL,
                         CONFAB_TYPE_ROOM_ITEM,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * ConfabRoomRow:connected:
   *
   * Whether the WebSocket is connected. Joining needs it, so "Join and
   * chat now!" is disabled while it is not.
   */
  properties[PROP_CONNECTED] =
    g_param_spec_boolean ("connected", NULL, NULL,
                          TRUE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/confab/Confab/ui/confab-room-row.ui");
  gtk_widget_class_bind_template_child (widget_class, ConfabRoomRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, ConfabRoomRow, topic_label);
  gtk_widget_class_bind_template_child (widget_class, ConfabRoomRow, owner_label);
  gtk_widget_class_bind_template_child (widget_class, ConfabRoomRow, count_label);
  gtk_widget_class_bind_template_child (widget_class, ConfabRoomRow, state_label);
  gtk_widget_class_bind_template_child (widget_class, ConfabRoomRow, join_button);
  gtk_widget_class_bind_template_callback (widget_class, join_button_clicked_cb);
}

static void
confab_room_row_init (ConfabRoomRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->connected = TRUE;
}

GtkWidget *
confab_room_row_new (void)
{
  return g_object_new (CONFAB_TYPE_ROOM_ROW, NULL);
}

/**
 * confab_room_row_get_item:
 *
 * Returns: (transfer none) (nullable): the room shown
 */
ConfabRoomItem *
confab_room_row_get_item (ConfabRoomRow *self)
{
  g_return_val_if_fail (CONFAB_IS_ROOM_ROW (self), NULL);

  return self->item;
}

void
confab_room_row_set_item (ConfabRoomRow  *self,
                          ConfabRoomItem *item)
{
  g_return_if_fail (CONFAB_IS_ROOM_ROW (self));
  g_return_if_fail (!item || CONFAB_IS_ROOM_ITEM (item));

  if (self->item == item)
    return;

  if (self->item != NULL)
    g_signal_handlers_disconnect_by_func (self->item, item_notify_cb, self);

  g_set_object (&self->item, item);

  if (item != NULL)
    {
      g_signal_connect_object (item, "notify", G_CALLBACK (item_notify_cb), self, G_CONNECT_SWAPPED);
      update_texts (self);
      update_state (self);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEM]);
}
