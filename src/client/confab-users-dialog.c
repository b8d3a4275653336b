/* confab-users-dialog.c: site administration of accounts
 *
 * Lists the accounts page by page (GET /api/v1/users), creates accounts
 * (POST /api/v1/users, which works while registration is closed) and
 * disables, enables, promotes and demotes them (PATCH /api/v1/users/{id}).
 * The server rejects all of this from anyone but a site admin, and rejects a
 * site admin's changes to their own account, so the dialog offers no
 * buttons on that row.
 */
#define G_LOG_DOMAIN "confab-users"

#include "config.h"

#include <glib/gi18n.h>

#include "confab-account-fields.h"
#include "confab-json.h"
#include "confab-users-dialog.h"

/* Accounts per GET /api/v1/users request. The server accepts 1 to 200. */
#define PAGE_SIZE 50

struct _ConfabUsersDialog
{
  AdwWindow            parent_instance;

  /* Template widgets */
  AdwToastOverlay     *toast_overlay;
  GtkLabel            *error_label;
  AdwPreferencesGroup *new_account_group;
  AdwEntryRow         *name_row;
  AdwEntryRow         *email_row;
  AdwPasswordEntryRow *password_row;
  GtkSwitch           *admin_switch;
  GtkButton           *create_button;
  AdwPreferencesGroup *users_group;
  GtkSpinner          *loading_spinner;
  GtkButton           *load_more_button;

  /* Owned */
  ConfabApi           *api;
  GCancellable        *cancellable;
  /* User id → the AdwActionRow that shows the account. */
  GHashTable          *rows;
  /* The placeholder row shown while no account is listed. */
  GtkWidget           *placeholder;

  gint64               own_user_id;
  /* The `after` value of the next page: 0 before the first page, -1 after the last. */
  gint64               next_after;
  gboolean             loading;
};

G_DEFINE_FINAL_TYPE (ConfabUsersDialog, confab_users_dialog, ADW_TYPE_WINDOW)

typedef struct {
  ConfabUsersDialog *self;
  GtkWidget         *row;
  char              *done_text;
} UpdateData;

static void load_page (ConfabUsersDialog *self);

/* Helpers */

static void
update_data_free (UpdateData *data)
{
  g_object_unref (data->self);
  g_object_unref (data->row);
  g_free (data->done_text);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (UpdateData, update_data_free)

static void
show_error (ConfabUsersDialog *self,
            const char        *text)
{
  gtk_label_set_label (self->error_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), text != NULL);
}

static void
show_toast (ConfabUsersDialog *self,
            const char        *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

static gboolean
get_flag (JsonObject *user,
          const char *member)
{
  gboolean value = FALSE;

  confab_json_get_boolean (user, member, &value);
  return value;
}

static void
set_loading (ConfabUsersDialog *self,
             gboolean           loading)
{
  self->loading = loading;
  gtk_spinner_set_spinning (self->loading_spinner, loading);
  gtk_widget_set_sensitive (GTK_WIDGET (self->load_more_button), !loading);
  gtk_widget_set_visible (GTK_WIDGET (self->load_more_button), !loading && self->next_after > 0);
}

static void
set_creating (ConfabUsersDialog *self,
              gboolean           creating)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->new_account_group), !creating);
}

/* The row buttons show a spinner while their request runs. */
static void
set_row_busy (GtkWidget *row,
              gboolean   busy)
{
  GtkWidget *box = g_object_get_data (G_OBJECT (row), "confab-buttons");
  GtkWidget *spinner = g_object_get_data (G_OBJECT (row), "confab-spinner");

  gtk_widget_set_sensitive (box, !busy);
  gtk_widget_set_visible (spinner, busy);
  gtk_spinner_set_spinning (GTK_SPINNER (spinner), busy);
}

static void admin_button_clicked_cb   (GtkButton *button,
                                       GtkWidget *row);
static void disable_button_clicked_cb (GtkButton *button,
                                       GtkWidget *row);

/* Shows @user, a user object of GET /api/v1/users, in @row. */
static void
show_user (ConfabUsersDialog *self,
           GtkWidget         *row,
           JsonObject        *user)
{
  const char *name = confab_json_get_string (user, "name");
  const char *email = confab_json_get_string (user, "email");
  gboolean is_admin = get_flag (user, "is_admin");
  gboolean disabled = get_flag (user, "disabled");
  GtkWidget *admin_button = g_object_get_data (G_OBJECT (row), "confab-admin-button");
  GtkWidget *disable_button = g_object_get_data (G_OBJECT (row), "confab-disable-button");
  g_autoptr(GString) subtitle = g_string_new (email != NULL ? email : "");
  gint64 user_id = 0;

  confab_json_get_int (user, "id", &user_id);

  if (is_admin)
    g_string_append_printf (subtitle, " · %s", _("Site admin"));
  if (disabled)
    g_string_append_printf (subtitle, " · %s", _("Disabled"));
  if (user_id == self->own_user_id)
    g_string_append_printf (subtitle, " · %s", _("You"));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name != NULL ? name : "");
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  gtk_button_set_label (GTK_BUTTON (admin_button), is_admin ? _("Remove _Site Admin") : _("Make _Site Admin"));
  gtk_button_set_label (GTK_BUTTON (disable_button), disabled ? _("_Enable") : _("_Disable"));
  if (disabled)
    gtk_widget_remove_css_class (disable_button, "destructive-action");
  else
    gtk_widget_add_css_class (disable_button, "destructive-action");

  g_object_set_data_full (G_OBJECT (row), "confab-user", json_object_ref (user),
                          (GDestroyNotify) json_object_unref);
}

static GtkWidget *
build_user_row (ConfabUsersDialog *self,
                JsonObject        *user)
{
  GtkWidget *row = adw_action_row_new ();
  /* Stacked buttons leave the name and email most of the row, also where
   * translated labels are long.
   */
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *spinner = gtk_spinner_new ();
  GtkWidget *admin_button = gtk_button_new ();
  GtkWidget *disable_button = gtk_button_new ();
  gint64 user_id = 0;

  confab_json_get_int (user, "id", &user_id);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  /* An email broken over lines, with hyphens, reads as another address. */
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 1);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 1);

  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_button_set_use_underline (GTK_BUTTON (admin_button), TRUE);
  gtk_button_set_use_underline (GTK_BUTTON (disable_button), TRUE);
  gtk_box_append (GTK_BOX (box), admin_button);
  gtk_box_append (GTK_BOX (box), disable_button);
  gtk_widget_set_visible (spinner, FALSE);
  gtk_widget_set_valign (spinner, GTK_ALIGN_CENTER);

  g_object_set_data (G_OBJECT (row), "confab-dialog", self);
  g_object_set_data (G_OBJECT (row), "confab-buttons", box);
  g_object_set_data (G_OBJECT (row), "confab-spinner", spinner);
  g_object_set_data (G_OBJECT (row), "confab-admin-button", admin_button);
  g_object_set_data (G_OBJECT (row), "confab-disable-button", disable_button);
  g_signal_connect (admin_button, "clicked", G_CALLBACK (admin_button_clicked_cb), row);
  g_signal_connect (disable_button, "clicked", G_CALLBACK (disable_button_clicked_cb), row);

  /* The server rejects an admin's changes to their own account. */
  gtk_widget_set_visible (box, user_id != self->own_user_id);

  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spinner);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), box);
  show_user (self, row, user);

  return row;
}

static void
add_user (ConfabUsersDialog *self,
          JsonObject        *user)
{
  GtkWidget *row;
  gint64 user_id = 0;

  if (!confab_json_get_int (user, "id", &user_id))
    return;

  row = g_hash_table_lookup (self->rows, &user_id);
  if (row != NULL)
    {
      show_user (self, row, user);
      return;
    }

  if (self->placeholder != NULL)
    {
      adw_preferences_group_remove (self->users_group, self->placeholder);
      self->placeholder = NULL;
    }

  row = build_user_row (self, user);
  adw_preferences_group_add (self->users_group, row);
  g_hash_table_insert (self->rows, g_memdup2 (&user_id, sizeof user_id), row);
}

static void update_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data);

/* Sends PATCH /api/v1/users/{id} with @member set to @value for @row. */
static void
update_user (ConfabUsersDialog *self,
             GtkWidget         *row,
             const char        *member,
             gboolean           value,
             const char        *done_text)
{
  JsonObject *user = g_object_get_data (G_OBJECT (row), "confab-user");
  g_autoptr(JsonObject) body = json_object_new ();
  g_autofree char *path = NULL;
  UpdateData *data;
  gint64 user_id = 0;

  confab_json_get_int (user, "id", &user_id);
  path = g_strdup_printf ("/api/v1/users/%" G_GINT64_FORMAT, user_id);
  json_object_set_boolean_member (body, member, value);

  data = g_new0 (UpdateData, 1);
  data->self = g_object_ref (self);
  data->row = g_object_ref (row);
  data->done_text = g_strdup (done_text);

  show_error (self, NULL);
  set_row_busy (row, TRUE);
  confab_api_request_async (self->api, "PATCH", path, body, self->cancellable, update_cb, data);
}

static const char *
get_row_label (gpointer row)
{
  return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));
}

/* Checks the new account's fields as the server would, and on the first
 * invalid one shows why and moves the focus there.
 */
static gboolean
check_new_account (ConfabUsersDialog *self,
                   const char        *name,
                   const char        *email,
                   const char        *password)
{
  g_autofree char *message = NULL;
  GtkWidget *row = NULL;

  if ((message = confab_account_fields_check_name (name, get_row_label (self->name_row))) != NULL)
    row = GTK_WIDGET (self->name_row);
  else if ((message = confab_account_fields_check_email (email, get_row_label (self->email_row))) != NULL)
    row = GTK_WIDGET (self->email_row);
  else if ((message = confab_account_fields_check_password (password, get_row_label (self->password_row))) != NULL)
    row = GTK_WIDGET (self->password_row);

  if (message == NULL)
    return TRUE;

  show_error (self, message);
  gtk_widget_grab_focus (row);
  return FALSE;
}

/* Callbacks */

static void
list_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(ConfabUsersDialog) self = user_data;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object = NULL;
  JsonArray *users;
  gint64 next_after = 0;

  root = confab_api_request_finish (CONFAB_API (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (error != NULL)
    {
      set_loading (self, FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->load_more_button), TRUE);
      show_error (self, error->message);
      return;
    }

  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    object = json_node_get_object (root);

  users = confab_json_get_array (object, "users");
  for (guint i = 0; users != NULL && i < json_array_get_length (users); i++)
    {
      JsonNode *node = json_array_get_element (users, i);

      if (JSON_NODE_HOLDS_OBJECT (node))
        add_user (self, json_node_get_object (node));
    }

  self->next_after = confab_json_get_int (object, "next_after", &next_after) ? next_after : -1;
  set_loading (self, FALSE);

  if (g_hash_table_size (self->rows) == 0 && self->placeholder == NULL)
    {
      self->placeholder = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->placeholder),
                                     _("No accounts yet. Create one above."));
      gtk_widget_add_css_class (self->placeholder, "dim-label");
      adw_preferences_group_add (self->users_group, self->placeholder);
    }
}

static void
update_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(UpdateData) data = user_data;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;

  root = confab_api_request_finish (CONFAB_API (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_row_busy (data->row, FALSE);

  if (error != NULL)
    {
      show_error (data->self, error->message);
      return;
    }

  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    show_user (data->self, data->row, json_node_get_object (root));

  show_toast (data->self, data->done_text);
}

static void
admin_button_clicked_cb (GtkButton *button,
                         GtkWidget *row)
{
  ConfabUsersDialog *self = g_object_get_data (G_OBJECT (row), "confab-dialog");
  JsonObject *user = g_object_get_data (G_OBJECT (row), "confab-user");
  const char *name = confab_json_get_string (user, "name");
  gboolean is_admin = get_flag (user, "is_admin");
  g_autofree char *done = NULL;

  if (is_admin)
    /* Translators: %s is a person's name. */
    done = g_strdup_printf (_("%s is no longer a site admin."), name);
  else
    /* Translators: %s is a person's name. */
    done = g_strdup_printf (_("%s is now a site admin."), name);

  update_user (self, row, "is_admin", !is_admin, done);
}

static void
disable_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     GtkWidget        *row)
{
  ConfabUsersDialog *self = g_object_get_data (G_OBJECT (row), "confab-dialog");
  JsonObject *user = g_object_get_data (G_OBJECT (row), "confab-user");
  g_autofree char *done = NULL;

  if (!g_str_equal (response, "disable"))
    return;

  /* Translators: %s is a person's name. */
  done = g_strdup_printf (_("%s’s account is disabled."), confab_json_get_string (user, "name"));
  update_user (self, row, "disabled", TRUE, done);
}

static void
disable_button_clicked_cb (GtkButton *button,
                           GtkWidget *row)
{
  ConfabUsersDialog *self = g_object_get_data (G_OBJECT (row), "confab-dialog");
  JsonObject *user = g_object_get_data (G_OBJECT (row), "confab-user");
  const char *name = confab_json_get_string (user, "name");
  g_autofree char *heading = NULL;
  g_autofree char *done = NULL;
  AdwMessageDialog *dialog;

  if (get_flag (user, "disabled"))
    {
      /* Translators: %s is a person's name. */
      done = g_strdup_printf (_("%s’s account is enabled. They can sign in again."), name);
      update_user (self, row, "disabled", FALSE, done);
      return;
    }

  /* Translators: %s is a person's name. */
  heading = g_strdup_printf (_("Disable %s?"), name);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), heading,
                                                        _("Their sessions end at once, and they cannot sign in until a site admin enables the account again.")));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "disable", _("_Disable Account"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "disable", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");

  g_signal_connect_object (dialog, "response", G_CALLBACK (disable_response_cb), row, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
create_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(ConfabUsersDialog) self = user_data;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *done = NULL;
  JsonObject *user;
  gint64 user_id = 0;

  root = confab_api_request_finish (CONFAB_API (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_creating (self, FALSE);

  if (error != NULL)
    {
      show_error (self, error->message);
      return;
    }

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      show_error (self, _("The server created the account but sent an invalid reply. Close and open this window to see it."));
      return;
    }

  user = json_node_get_object (root);
  confab_json_get_int (user, "id", &user_id);
  g_message ("Created account %" G_GINT64_FORMAT, user_id);

  /* The list is sorted by id and the new account has the highest, so its
   * row is added only once the last page is loaded. Until then the last
   * page lists it.
   */
  if (self->next_after < 0)
    add_user (self, user);

  gtk_editable_set_text (GTK_EDITABLE (self->name_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->email_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  gtk_switch_set_active (self->admin_switch, FALSE);

  /* Translators: %s is a person's name. */
  done = g_strdup_printf (_("Created an account for %s."), confab_json_get_string (user, "name"));
  show_toast (self, done);
}

static void
create_clicked_cb (ConfabUsersDialog *self)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
  g_autofree char *email = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->email_row))));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  g_autoptr(JsonObject) body = NULL;

  if (!check_new_account (self, name, email, password))
    return;

  body = json_object_new ();
  json_object_set_string_member (body, "name", name);
  json_object_set_string_member (body, "email", email);
  json_object_set_string_member (body, "password", password);
  json_object_set_boolean_member (body, "is_admin", gtk_switch_get_active (self->admin_switch));

  show_error (self, NULL);
  set_creating (self, TRUE);
  confab_api_request_async (self->api, "POST", "/api/v1/users", body, self->cancellable,
                            create_cb, g_object_ref (self));
}

static void
load_more_clicked_cb (ConfabUsersDialog *self)
{
  load_page (self);
}

static void
load_page (ConfabUsersDialog *self)
{
  g_autofree char *path = NULL;

  if (self->loading || self->next_after < 0)
    return;

  path = g_strdup_printf ("/api/v1/users?after=%" G_GINT64_FORMAT "&limit=%d",
                          self->next_after, PAGE_SIZE);
  show_error (self, NULL);
  set_loading (self, TRUE);
  confab_api_request_async (self->api, "GET", path, NULL, self->cancellable,
                            list_cb, g_object_ref (self));
}

/* Overrides */

static void
confab_users_dialog_dispose (GObject *object)
{
  ConfabUsersDialog *self = (ConfabUsersDialog *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_pointer (&self->rows, g_hash_table_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), CONFAB_TYPE_USERS_DIALOG);

  G_OBJECT_CLASS (confab_users_dialog_parent_class)->dispose (object);
}

static void
confab_users_dialog_finalize (GObject *object)
{
  ConfabUsersDialog *self = (ConfabUsersDialog *)object;

  g_clear_object (&self->cancellable);
  g_clear_object (&self->api);

  G_OBJECT_CLASS (confab_users_dialog_parent_class)->finalize (object);
}

static void
confab_users_dialog_class_init (ConfabUsersDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = confab_users_dialog_dispose;
  object_class->finalize = confab_users_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/confab/Confab/ui/confab-users-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, ConfabUsersDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, ConfabUsersDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, ConfabUsersDialog, new_account_group);
  gtk_widget_class_bind_template_child (widget_class, ConfabUsersDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, ConfabUsersDialog, email_row);
  gtk_widget_class_bind_template_child (widget_class, ConfabUsersDialog, password_row);
  gtk_widget_class_bind_template_child (widget_class, ConfabUsersDialog, admin_switch);
  gtk_widget_class_bind_template_child (widget_class, ConfabUsersDialog, create_button);
  gtk_widget_class_bind_template_child (widget_class, ConfabUsersDialog, users_group);
  gtk_widget_class_bind_template_child (widget_class, ConfabUsersDialog, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, ConfabUsersDialog, load_more_button);
  gtk_widget_class_bind_template_callback (widget_class, create_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, load_more_clicked_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
confab_users_dialog_init (ConfabUsersDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->rows = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
}

/* Public API */

/**
 * confab_users_dialog_new:
 * @parent: (nullable): the window the dialog is modal to
 * @api: the REST client of a site admin
 * @user: the signed-in user as `GET /api/v1/me` returns it
 *
 * Creates the dialog and starts loading the first page of accounts.
 *
 * Returns: (transfer none): the dialog, destroyed when it closes
 */
ConfabUsersDialog *
confab_users_dialog_new (GtkWindow  *parent,
                         ConfabApi  *api,
                         JsonObject *user)
{
  ConfabUsersDialog *self;

  g_return_val_if_fail (!parent || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (CONFAB_IS_API (api), NULL);
  g_return_val_if_fail (user != NULL, NULL);

  self = g_object_new (CONFAB_TYPE_USERS_DIALOG,
                       "transient-for", parent,
                       NULL);
  self->api = g_object_ref (api);
  confab_json_get_int (user, "id", &self->own_user_id);

  load_page (self);

  return self;
}
