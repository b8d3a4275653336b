/* confab-invite-dialog.c: invite links to a room, copied or sent by email
 *
 * The link of a private room carries an invite code, which only hosts may
 * make (POST /api/v1/rooms/{id}/invites). The dialog lets the host choose
 * its uses and lifetime, makes it, copies the confab:// link and shows it
 * with its https form. A public room needs no code, so its links are shown and
 * copied at once. A host requests them from the server, which has the address
 * users reach it at (its `public_url`), and anyone else
 * builds them from the server URL the client signed in to. In email mode
 * the server mails the links through its SMTP server.
 */
#define G_LOG_DOMAIN "confab-lobby"

#include "config.h"

#include <glib/gi18n.h>

#include "confab-invite-dialog.h"
#include "confab-json.h"
#include "confab-protocol.h"
#include "confab-window.h"

struct _ConfabInviteDialog
{
  AdwWindow               parent_instance;

  /* Template widgets */
  GtkButton              *submit_button;
  GtkSpinner             *spinner;
  GtkLabel               *description_label;
  GtkLabel               *error_label;
  GtkWidget              *email_group;
  AdwEntryRow            *email_row;
  GtkWidget              *options_group;
  GtkSpinButton          *uses_spin;
  AdwComboRow            *expiry_row;
  GtkWidget              *links_group;
  AdwActionRow           *app_link_row;
  AdwActionRow           *web_link_row;
  GtkLabel               *status_label;

  /* Owned */
  ConfabApi              *api;
  GCancellable           *cancellable;
  char                   *room_name;
  char                   *app_link;
  char                   *web_link;

  ConfabInviteDialogMode  mode;
  gint64                  room_id;
  gboolean                is_private;
  gboolean                is_host;
};

G_DEFINE_FINAL_TYPE (ConfabInviteDialog, confab_invite_dialog, ADW_TYPE_WINDOW)

/* The choices of expiry_row, in its order. */
static const gint64 expiry_seconds[] = {
  60 * 60,
  24 * 60 * 60,
  7 * 24 * 60 * 60,
  30 * 24 * 60 * 60,
};

static void
show_error (ConfabInviteDialog *self,
            const char         *text)
{
  gtk_label_set_label (self->error_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), text != NULL);
}

/* In copy mode the status label stays visible even when empty, so that
 * the dialog's first size already has room for the status.
 */
static void
show_status (ConfabInviteDialog *self,
             const char         *text)
{
  gtk_label_set_label (self->status_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label),
                          text != NULL || self->mode == CONFAB_INVITE_DIALOG_COPY);
}

static void
set_busy (ConfabInviteDialog *self,
          gboolean            busy)
{
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->submit_button), !busy);
  gtk_widget_set_sensitive (self->options_group, !busy);
  gtk_widget_set_sensitive (self->email_group, !busy);
}

static const char *
get_expiry_label (ConfabInviteDialog *self)
{
  GListModel *model = adw_combo_row_get_model (self->expiry_row);
  guint selected = adw_combo_row_get_selected (self->expiry_row);

  return gtk_string_list_get_string (GTK_STRING_LIST (model), MIN (selected, G_N_ELEMENTS (expiry_seconds) - 1));
}

static gint64
get_expiry_seconds (ConfabInviteDialog *self)
{
  guint selected = adw_combo_row_get_selected (self->expiry_row);

  return expiry_seconds[MIN (selected, G_N_ELEMENTS (expiry_seconds) - 1)];
}

/* Describes what the link of a private room allows, as the server made it. */
static char *
describe_code (ConfabInviteDialog *self,
               gint64              max_uses)
{
  const char *expiry = get_expiry_label (self);

  if (max_uses == 1)
    /* Translators: %s is a duration such as "7 days". */
    return g_strdup_printf (_("It lets one person join and expires in %s."), expiry);

  /* Translators: %d is a number of people, %s a duration such as "7 days". */
  return g_strdup_printf (ngettext ("It lets up to %d person join and expires in %s.",
                                    "It lets up to %d people join and expires in %s.",
                                    (gulong) max_uses),
                          (int) max_uses, expiry);
}

static void
copy_text (ConfabInviteDialog *self,
           const char         *text)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
}

static void
show_links (ConfabInviteDialog *self,
            const char         *app_link,
            const char         *web_link)
{
  g_free (self->app_link);
  self->app_link = g_strdup (app_link);
  g_free (self->web_link);
  self->web_link = g_strdup (web_link);

  adw_action_row_set_subtitle (self->app_link_row, app_link);
  adw_action_row_set_subtitle (self->web_link_row, web_link);
  gtk_widget_set_sensitive (self->links_group, TRUE);
}

/* Reads the links from an invite the server made. */
static gboolean
read_invite (JsonNode    *root,
             const char **app_link,
             const char **web_link,
             gint64      *max_uses)
{
  JsonObject *invite = NULL;

  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    invite = json_node_get_object (root);

  *app_link = confab_json_get_string (invite, "url");
  *web_link = confab_json_get_string (invite, "web_url");
  *max_uses = 0;
  confab_json_get_int (invite, "max_uses", max_uses);

  return *app_link != NULL && *web_link != NULL;
}

static void
show_toast_on_parent (ConfabInviteDialog *self,
                      const char         *text)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));

  if (CONFAB_IS_WINDOW (parent))
    confab_window_show_toast (CONFAB_WINDOW (parent), text);
}

static void
create_invite_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  ConfabInviteDialog *self;
  const char *app_link;
  const char *web_link;
  g_autofree char *status = NULL;
  gint64 max_uses;

  root = confab_api_request_finish (CONFAB_API (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = CONFAB_INVITE_DIALOG (user_data);
  set_busy (self, FALSE);

  /* The form keeps the address and choices, so the user can try again. */
  if (error != NULL)
    {
      show_error (self, error->message);
      return;
    }

  if (!read_invite (root, &app_link, &web_link, &max_uses))
    {
      show_error (self, _("The server sent an invalid invite. Try again."));
      return;
    }

  if (self->mode == CONFAB_INVITE_DIALOG_EMAIL)
    {
      g_autofree char *address = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->email_row))));
      g_autofree char *toast = NULL;

      g_message ("Sent an invite to room %" G_GINT64_FORMAT " by email", self->room_id);
      /* Translators: %s is an email address. */
      toast = g_strdup_printf (_("Invite sent to %s"), address);
      show_toast_on_parent (self, toast);
      gtk_window_close (GTK_WINDOW (self));
      return;
    }

  show_links (self, app_link, web_link);
  copy_text (self, app_link);

  if (max_uses > 0)
    {
      g_autofree char *code = describe_code (self, max_uses);

      /* Translators: %s is a sentence on who may use the link and for how long. */
      status = g_strdup_printf (_("Invite link copied. %s"), code);
      gtk_button_set_label (self->submit_button, _("_Create Another Link"));
    }
  else
    {
      status = g_strdup (_("Invite link copied. Anyone who may see the room can join it."));
    }

  show_status (self, status);
}

static void
request_invite (ConfabInviteDialog *self,
                const char         *email)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autofree char *path = NULL;

  if (self->is_private)
    {
      json_object_set_int_member (body, "expires_in", get_expiry_seconds (self));
      json_object_set_int_member (body, "max_uses", gtk_spin_button_get_value_as_int (self->uses_spin));
    }

  if (email != NULL)
    json_object_set_string_member (body, "email", email);

  show_error (self, NULL);
  show_status (self, NULL);
  set_busy (self, TRUE);

  path = g_strdup_printf ("/api/v1/rooms/%" G_GINT64_FORMAT "/invites", self->room_id);
  confab_api_request_async (self->api, "POST", path, body, self->cancellable,
                            create_invite_cb, self);
}

static void
submit_button_clicked_cb (ConfabInviteDialog *self)
{
  g_autofree char *address = NULL;

  if (!gtk_widget_get_sensitive (GTK_WIDGET (self->submit_button))
      || !gtk_widget_get_visible (GTK_WIDGET (self->submit_button)))
    return;

  if (self->mode == CONFAB_INVITE_DIALOG_COPY)
    {
      request_invite (self, NULL);
      return;
    }

  address = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->email_row))));
  if (address[0] == '\0')
    {
      show_error (self, _("Enter the email address to send the invite to."));
      gtk_widget_grab_focus (GTK_WIDGET (self->email_row));
      return;
    }

  request_invite (self, address);
}

static void
copy_app_link_clicked_cb (ConfabInviteDialog *self)
{
  if (self->app_link == NULL)
    return;

  copy_text (self, self->app_link);
  show_status (self, _("Confab link copied."));
}

static void
copy_web_link_clicked_cb (ConfabInviteDialog *self)
{
  if (self->web_link == NULL)
    return;

  copy_text (self, self->web_link);
  show_status (self, _("Web link copied."));
}

/* Sets up the form for the mode and the room, and shows the links of a
 * public room at once. In copy mode the links group is laid out from the
 * start, insensitive until the links arrive, so that the dialog opens at
 * the size it needs for them.
 */
static void
prepare (ConfabInviteDialog *self)
{
  g_autofree char *description = NULL;
  gboolean copy_mode = self->mode == CONFAB_INVITE_DIALOG_COPY;

  gtk_widget_set_visible (self->options_group, self->is_private);
  gtk_widget_set_visible (self->email_group, !copy_mode);
  gtk_widget_set_visible (self->links_group, copy_mode);
  gtk_widget_set_sensitive (self->links_group, FALSE);
  adw_action_row_set_subtitle (self->app_link_row, _("Not created yet"));
  adw_action_row_set_subtitle (self->web_link_row, _("Not created yet"));
  show_status (self, NULL);

  if (self->mode == CONFAB_INVITE_DIALOG_EMAIL)
    {
      gtk_window_set_title (GTK_WINDOW (self), _("Invite by Email"));
      gtk_button_set_label (self->submit_button, _("_Send Invite"));
      /* Translators: %s is a room name. */
      description = g_strdup_printf (_("The server mails a link to “%s” to this address."), self->room_name);
      gtk_label_set_label (self->description_label, description);
      return;
    }

  gtk_window_set_title (GTK_WINDOW (self), _("Invite Link"));
  gtk_button_set_label (self->submit_button, _("_Create and Copy Link"));

  if (self->is_private)
    /* Translators: %s is a room name. */
    description = g_strdup_printf (_("“%s” is private, so its link carries an invite code that lets people see the room and join it. Anyone who has the link can use the code."),
                                   self->room_name);
  else
    /* Translators: %s is a room name. */
    description = g_strdup_printf (_("“%s” is public: everyone signed in to this server can join it with the link."),
                                   self->room_name);
  gtk_label_set_label (self->description_label, description);

  if (self->is_private)
    return;

  /* A public room: the server only makes a code for private rooms, so
   * there is nothing to create.
   */
  gtk_widget_set_visible (GTK_WIDGET (self->submit_button), FALSE);
  if (self->is_host)
    {
      request_invite (self, NULL);
      return;
    }

  {
    const char *server_url = confab_api_get_server_url (self->api);
    g_autofree char *app_link = confab_invite_dialog_build_link (server_url, self->room_id, FALSE);
    g_autofree char *web_link = confab_invite_dialog_build_link (server_url, self->room_id, TRUE);

    if (app_link == NULL || web_link == NULL)
      {
        show_error (self, _("The server address cannot be turned into a link. Ask a host of the room for one."));
        return;
      }

    show_links (self, app_link, web_link);
    copy_text (self, app_link);
    show_status (self, _("Invite link copied. Anyone who may see the room can join it."));
  }
}

static void
confab_invite_dialog_dispose (GObject *object)
{
  ConfabInviteDialog *self = (ConfabInviteDialog *)object;

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), CONFAB_TYPE_INVITE_DIALOG);

  G_OBJECT_CLASS (confab_invite_dialog_parent_class)->dispose (object);
}

static void
confab_invite_dialog_finalize (GObject *object)
{
  ConfabInviteDialog *self = (ConfabInviteDialog *)object;

  g_clear_object (&self->cancellable);
  g_clear_object (&self->api);
  g_clear_pointer (&self->room_name, g_free);
  g_clear_pointer (&self->app_link, g_free);
  g_clear_pointer (&self->web_link, g_free);

  G_OBJECT_CLASS (confab_invite_dialog_parent_class)->finalize (object);
}

static void
confab_invite_dialog_class_init (ConfabInviteDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = confab_invite_dialog_dispose;
  object_class->finalize = confab_invite_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/confab/Confab/ui/confab-invite-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, ConfabInviteDialog, submit_button);
  gtk_widget_class_bind_template_child (widget_class, ConfabInviteDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, ConfabInviteDialog, description_label);
  gtk_widget_class_bind_template_child (widget_class, ConfabInviteDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, ConfabInviteDialog, email_group);
  gtk_widget_class_bind_template_child (widget_class, ConfabInviteDialog, email_row);
  gtk_widget_class_bind_template_child (widget_class, ConfabInviteDialog, options_group);
  gtk_widget_class_bind_template_child (widget_class, ConfabInviteDialog, uses_spin);
  gtk_widget_class_bind_template_child (widget_class, ConfabInviteDialog, expiry_row);
  gtk_widget_class_bind_template_child (widget_class, ConfabInviteDialog, links_group);
  gtk_widget_class_bind_template_child (widget_class, ConfabInviteDialog, app_link_row);
  gtk_widget_class_bind_template_child (widget_class, ConfabInviteDialog, web_link_row);
  gtk_widget_class_bind_template_child (widget_class, ConfabInviteDialog, status_label);
  gtk_widget_class_bind_template_callback (widget_class, submit_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, copy_app_link_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, copy_web_link_clicked_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
confab_invite_dialog_init (ConfabInviteDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();

  /* The server's default, preselected in code because a "selected" set in
   * the .ui file before the model is reset when the model is set.
   */
  for (guint i = 0; i < G_N_ELEMENTS (expiry_seconds); i++)
    {
      if (expiry_seconds[i] == CONFAB_INVITE_TTL_DEFAULT)
        adw_combo_row_set_selected (self->expiry_row, i);
    }
}

/**
 * confab_invite_dialog_new:
 * @parent: (nullable): the window the dialog is modal to
 * @api: the signed-in REST client
 * @room: the room to invite to
 * @site_admin: whether the user is a site admin, who may invite to any room
 * @mode: whether to copy the link or to send it by email
 *
 * Returns: (transfer none): the dialog, destroyed when it closes
 */
ConfabInviteDialog *
confab_invite_dialog_new (GtkWindow              *parent,
                          ConfabApi              *api,
                          ConfabRoomItem         *room,
                          gboolean                site_admin,
                          ConfabInviteDialogMode  mode)
{
  ConfabInviteDialog *self;

  g_return_val_if_fail (!parent || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (CONFAB_IS_API (api), NULL);
  g_return_val_if_fail (CONFAB_IS_ROOM_ITEM (room), NULL);

  self = g_object_new (CONFAB_TYPE_INVITE_DIALOG,
                       "transient-for", parent,
                       NULL);
  self->api = g_object_ref (api);
  self->mode = mode;
  self->room_id = confab_room_item_get_id (room);
  self->room_name = g_strdup (confab_room_item_get_name (room));
  self->is_private = confab_room_item_get_private (room);
  self->is_host = site_admin || confab_room_item_get_is_host (room);

  prepare (self);

  return self;
}

/**
 * confab_invite_dialog_get_app_link:
 *
 * Returns: (nullable): the confab:// link shown, which may carry an
 *   invite code
 */
const char *
confab_invite_dialog_get_app_link (ConfabInviteDialog *self)
{
  g_return_val_if_fail (CONFAB_IS_INVITE_DIALOG (self), NULL);

  return self->app_link;
}

/**
 * confab_invite_dialog_get_web_link:
 *
 * Returns: (nullable): the https (or, for a loopback server, http) form
 *   of the link shown
 */
const char *
confab_invite_dialog_get_web_link (ConfabInviteDialog *self)
{
  g_return_val_if_fail (CONFAB_IS_INVITE_DIALOG (self), NULL);

  return self->web_link;
}

/**
 * confab_invite_dialog_build_link:
 * @server_url: the server URL the client signed in to
 * @web: %TRUE for the `<server>/join/<room id>` page, %FALSE for the
 *   confab://join/ link
 *
 * Builds the link of a public room without asking the server, in the same
 * form as the server's links. The server builds them from its `public_url`
 * setting instead, which may name another address than @server_url.
 *
 * Returns: (transfer full) (nullable): the link, or %NULL when
 *   @server_url is not a valid URL
 */
char *
confab_invite_dialog_build_link (const char *server_url,
                                 gint64      room_id,
                                 gboolean    web)
{
  g_autoptr(GUri) uri = NULL;
  g_autofree char *authority = NULL;
  g_autofree char *base = NULL;
  const char *host;
  int port;

  g_return_val_if_fail (server_url != NULL, NULL);
  g_return_val_if_fail (room_id > 0, NULL);

  uri = g_uri_parse (server_url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return NULL;

  if (web)
    {
      base = g_strdup (server_url);
      while (g_str_has_suffix (base, "/"))
        base[strlen (base) - 1] = '\0';
      return g_strdup_printf ("%s/join/%" G_GINT64_FORMAT, base, room_id);
    }

  host = g_uri_get_host (uri);
  port = g_uri_get_port (uri);
  if (strchr (host, ':') != NULL)
    authority = g_strdup_printf ("[%s]", host);
  else
    authority = g_ascii_strdown (host, -1);

  if (port != -1)
    {
      g_autofree char *host_only = g_steal_pointer (&authority);

      authority = g_strdup_printf ("%s:%d", host_only, port);
    }

  return g_strdup_printf (CONFAB_LINK_SCHEME "://join/%s/%" G_GINT64_FORMAT, authority, room_id);
}
