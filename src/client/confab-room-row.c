/* confab-room-row.c: one row of the lobby
 *
 * Shows a ConfabRoomItem and follows its changes: name, topic, host, the
 * live count such as "3 / 10", and whether the room is full or the user is
 * banned, which also disables "Join and chat now!". Tags show the user's
 * role and whether the room is private, and the room menu contains only
 * the actions that the user's role allows.
 */
#define G_LOG_DOMAIN "confab-lobby"

#include "config.h"

#include <glib/gi18n.h>

#include "confab-protocol.h"
#include "confab-room-row.h"
#include "confab-time.h"

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
  GtkWidget      *private_box;
  GtkLabel       *role_label;
  GtkMenuButton  *menu_button;

  /* Owned */
  ConfabRoomItem *item;

  gboolean        connected;
  gboolean        site_admin;
  gboolean        email_invites;
};

G_DEFINE_FINAL_TYPE (ConfabRoomRow, confab_room_row, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_ITEM,
  PROP_CONNECTED,
  PROP_SITE_ADMIN,
  PROP_EMAIL_INVITES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char *
format_ban_state (ConfabRoomItem *item)
{
  gint64 until = confab_room_item_get_banned_until (item);
  g_autofree char *when = NULL;

  if (until <= 0)
    return g_strdup (_("Banned"));

  when = confab_time_format_date_time (until);
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
append_room_action (GMenu      *section,
                    const char *label,
                    const char *action,
                    gint64      room_id)
{
  g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

  g_menu_item_set_action_and_target_value (item, action, g_variant_new_int64 (room_id));
  g_menu_append_item (section, item);
}

/* Builds the room menu with only the actions the user may take, because
 * the server would reject the others. POST invites is for hosts, but the
 * plain link of a public room is built without it, so anyone may copy that.
 */
static GMenuModel *
build_menu (ConfabRoomRow *self)
{
  ConfabRoomItem *item = self->item;
  gint64 room_id = confab_room_item_get_id (item);
  gboolean is_owner = g_strcmp0 (confab_room_item_get_role (item), CONFAB_ROLE_OWNER) == 0;
  gboolean is_host = confab_room_item_get_is_host (item) || self->site_admin;
  gboolean may_edit = is_owner || self->site_admin;
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) invites = g_menu_new ();
  g_autoptr(GMenu) manage = g_menu_new ();
  g_autoptr(GMenu) danger = g_menu_new ();

  if (is_host || !confab_room_item_get_private (item))
    append_room_action (invites, _("_Copy Invite Link"), "win.copy-invite", room_id);
  if (is_host && self->email_invites)
    append_room_action (invites, _("Invite by _Email…"), "win.email-invite", room_id);

  if (may_edit)
    append_room_action (manage, _("Room _Settings…"), "win.room-settings", room_id);
  if (is_host)
    {
      append_room_action (manage, _("_People…"), "win.room-people", room_id);
      append_room_action (manage, _("Meeting _History…"), "win.room-history", room_id);
    }

  if (may_edit)
    append_room_action (danger, _("_Delete Room…"), "win.delete-room", room_id);

  g_menu_append_section (menu, NULL, G_MENU_MODEL (invites));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (manage));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (danger));

  return G_MENU_MODEL (g_steal_pointer (&menu));
}

static void
update_access (ConfabRoomRow *self)
{
  ConfabRoomItem *item = self->item;
  const char *role = confab_room_item_get_role (item);
  g_autoptr(GMenuModel) menu = build_menu (self);
  const char *role_text = NULL;
  gboolean has_actions = FALSE;

  if (g_strcmp0 (role, CONFAB_ROLE_OWNER) == 0)
    role_text = _("Owner");
  /* Every site admin is a moderator of every room, and the lobby's role
   * does not distinguish that from a granted role, so no tag is shown.
   */
  else if (g_strcmp0 (role, CONFAB_ROLE_MODERATOR) == 0 && !self->site_admin)
    role_text = _("Moderator");

  gtk_label_set_label (self->role_label, role_text != NULL ? role_text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->role_label), role_text != NULL);
  gtk_widget_set_visible (self->private_box, confab_room_item_get_private (item));

  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);

      if (section != NULL && g_menu_model_get_n_items (section) > 0)
        has_actions = TRUE;
    }

  /* A row without actions keeps an insensitive button, so that the count
   * and the Join button stay in the same column as in the other rows.
   */
  gtk_menu_button_set_menu_model (self->menu_button, menu);
  gtk_widget_set_sensitive (GTK_WIDGET (self->menu_button), has_actions);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->menu_button),
                               has_actions ? _("Room Actions")
                                           : _("Only hosts can invite to or manage this private room"));
}

static void
item_notify_cb (ConfabRoomRow  *self,
                GParamSpec     *pspec,
                ConfabRoomItem *item)
{
  const char *name = g_param_spec_get_name (pspec);

  if (g_str_equal (name, "name") || g_str_equal (name, "topic") || g_str_equal (name, "owner-name"))
    update_texts (self);

  if (g_str_equal (name, "role") || g_str_equal (name, "private"))
    update_access (self);

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

    case PROP_SITE_ADMIN:
      g_value_set_boolean (value, self->site_admin);
      break;

    case PROP_EMAIL_INVITES:
      g_value_set_boolean (value, self->email_invites);
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

    case PROP_SITE_ADMIN:
      if (self->site_admin != g_value_get_boolean (value))
        {
          self->site_admin = g_value_get_boolean (value);
          if (self->item != NULL)
            update_access (self);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    case PROP_EMAIL_INVITES:
      if (self->email_invites != g_value_get_boolean (value))
        {
          self->email_invites = g_value_get_boolean (value);
          if (self->item != NULL)
            update_access (self);
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

  /**
   * ConfabRoomRow:site-admin:
   *
   * Whether the signed-in user is a site admin, who may edit and delete
   * every room.
   */
  properties[PROP_SITE_ADMIN] =
    g_param_spec_boolean ("site-admin", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * ConfabRoomRow:email-invites:
   *
   * Whether the server sends invites by email, as `GET /api/v1/server`
   * reports; "Invite by Email…" is offered only then.
   */
  properties[PROP_EMAIL_INVITES] =
    g_param_spec_boolean ("email-invites", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/confab/Confab/ui/confab-room-row.ui");
  gtk_widget_class_bind_template_child (widget_class, ConfabRoomRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, ConfabRoomRow, topic_label);
  gtk_widget_class_bind_template_child (widget_class, ConfabRoomRow, owner_label);
  gtk_widget_class_bind_template_child (widget_class, ConfabRoomRow, count_label);
  gtk_widget_class_bind_template_child (widget_class, ConfabRoomRow, state_label);
  gtk_widget_class_bind_template_child (widget_class, ConfabRoomRow, join_button);
  gtk_widget_class_bind_template_child (widget_class, ConfabRoomRow, private_box);
  gtk_widget_class_bind_template_child (widget_class, ConfabRoomRow, role_label);
  gtk_widget_class_bind_template_child (widget_class, ConfabRoomRow, menu_button);
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
      update_access (self);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEM]);
}
