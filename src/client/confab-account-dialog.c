/* confab-account-dialog.c: the signed-in user's account
 *
 * Edits the name and avatar URL (PATCH /api/v1/me with only the fields
 * that changed), changes the password (POST /api/v1/me/password) and
 * signs out everywhere (POST /api/v1/auth/logout-all). Each section shows
 * a spinner and turns insensitive while its request runs, and shows its
 * result next to its button, keeping what the user typed when the request
 * fails.
 */
#define G_LOG_DOMAIN "confab-account"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "confab-account-dialog.h"
#include "confab-json.h"
#include "confab-protocol.h"

struct _ConfabAccountDialog
{
  AdwWindow     parent_instance;

  /* Template widgets */
  AdwPreferencesPage *page;
  AdwActionRow *email_row;
  AdwEntryRow  *name_row;
  AdwEntryRow  *avatar_row;
  GtkLabel     *profile_status_label;
  GtkSpinner   *profile_spinner;
  GtkButton    *save_button;
  AdwEntryRow  *current_password_row;
  AdwEntryRow  *new_password_row;
  AdwEntryRow  *confirm_password_row;
  GtkLabel     *password_status_label;
  GtkSpinner   *password_spinner;
  GtkButton    *change_password_button;
  GtkLabel     *sign_out_status_label;
  GtkSpinner   *sign_out_spinner;
  GtkButton    *sign_out_everywhere_button;

  /* Owned */
  ConfabApi    *api;
  GCancellable *cancellable;
  /* The profile as the server last returned it; "" for no avatar. */
  char         *saved_name;
  char         *saved_avatar_url;
  gboolean      saving_profile;

  /* Weak: the window destroys this dialog with itself. */
  ConfabWindow *window;
};

G_DEFINE_FINAL_TYPE (ConfabAccountDialog, confab_account_dialog, ADW_TYPE_WINDOW)

/* Scrolls the page so that @widget is in view. */
static void
scroll_to_widget (GtkWidget *widget)
{
  GtkWidget *scrolled = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  GtkWidget *content;
  GtkAdjustment *adjustment;
  graphene_rect_t bounds;

  if (scrolled == NULL)
    return;

  content = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scrolled));
  if (GTK_IS_VIEWPORT (content))
    content = gtk_viewport_get_child (GTK_VIEWPORT (content));

  if (content == NULL || !gtk_widget_compute_bounds (widget, content, &bounds))
    return;

  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  gtk_adjustment_clamp_page (adjustment, bounds.origin.y, bounds.origin.y + bounds.size.height);
}

/* Shows a section's status in the row of its button and scrolls that row
 * into view. The row is scrolled to rather than the label, because the
 * label was hidden until now and has no position yet.
 */
static void
set_status (GtkLabel   *label,
            const char *text,
            gboolean    is_error)
{
  gtk_label_set_label (label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL);

  if (text != NULL)
    scroll_to_widget (gtk_widget_get_parent (GTK_WIDGET (label)));

  if (is_error)
    {
      gtk_widget_add_css_class (GTK_WIDGET (label), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (label), "success");
    }
  else
    {
      gtk_widget_add_css_class (GTK_WIDGET (label), "success");
      gtk_widget_remove_css_class (GTK_WIDGET (label), "error");
    }
}

static void
set_spinning (GtkSpinner *spinner,
              gboolean    spinning)
{
  gtk_widget_set_visible (GTK_WIDGET (spinner), spinning);
  gtk_spinner_set_spinning (spinner, spinning);
}

static char *
dup_stripped_text (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

static gboolean
profile_has_changes (ConfabAccountDialog *self)
{
  g_autofree char *name = dup_stripped_text (self->name_row);
  g_autofree char *avatar_url = dup_stripped_text (self->avatar_row);

  return g_strcmp0 (name, self->saved_name) != 0
         || g_strcmp0 (avatar_url, self->saved_avatar_url) != 0;
}

static void
update_save_button (ConfabAccountDialog *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button),
                            !self->saving_profile && profile_has_changes (self));
}

static void
set_profile_busy (ConfabAccountDialog *self,
                  gboolean             busy)
{
  self->saving_profile = busy;
  set_spinning (self->profile_spinner, busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->name_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->avatar_row), !busy);
  update_save_button (self);
}

static void
set_password_busy (ConfabAccountDialog *self,
                   gboolean             busy)
{
  set_spinning (self->password_spinner, busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->current_password_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->new_password_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->confirm_password_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->change_password_button), !busy);
}

/* Signing out everywhere ends this session too, so the whole page stops
 * taking input while it runs.
 */
static void
set_sign_out_busy (ConfabAccountDialog *self,
                   gboolean             busy)
{
  set_spinning (self->sign_out_spinner, busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->page), !busy);
}

/* Shows @user, the object of GET or PATCH /api/v1/me, as the saved profile. */
static void
load_user (ConfabAccountDialog *self,
           JsonObject          *user)
{
  const char *email = confab_json_get_string (user, "email");
  const char *name = confab_json_get_string (user, "name");
  const char *avatar_url = confab_json_get_string (user, "avatar_url");

  g_free (self->saved_name);
  self->saved_name = g_strdup (name != NULL ? name : "");
  g_free (self->saved_avatar_url);
  self->saved_avatar_url = g_strdup (avatar_url != NULL ? avatar_url : "");

  adw_action_row_set_subtitle (self->email_row, email != NULL ? email : "");
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), self->saved_name);
  gtk_editable_set_text (GTK_EDITABLE (self->avatar_row), self->saved_avatar_url);
  update_save_button (self);
}

/* Returns an error for the user when @avatar_url cannot be an avatar URL,
 * checking what the server checks: an http or https URL of at most
 * CONFAB_URL_MAX bytes.
 */
static char *
check_avatar_url (const char *avatar_url)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  if (strlen (avatar_url) > CONFAB_URL_MAX)
    return g_strdup_printf (_("The avatar URL is %zu bytes long; shorten it to at most %d bytes."),
                            strlen (avatar_url), CONFAB_URL_MAX);

  uri = g_uri_parse (avatar_url, G_URI_FLAGS_NONE, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  if (scheme == NULL
      || (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0)
      || g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0')
    /* Translators: %s is the avatar URL that the user typed. */
    return g_strdup_printf (_("“%s” is not an http or https URL. Enter one such as https://example.org/avatar.png, or leave the field empty."),
                            avatar_url);

  return NULL;
}

/* Returns the body of PATCH /api/v1/me with only the changed fields, or
 * NULL with a message for the user in @message_out.
 */
static JsonObject *
build_profile_changes (ConfabAccountDialog  *self,
                       char                **message_out)
{
  g_autofree char *name = dup_stripped_text (self->name_row);
  g_autofree char *avatar_url = dup_stripped_text (self->avatar_row);
  g_autoptr(JsonObject) body = json_object_new ();

  if (name[0] == '\0')
    {
      *message_out = g_strdup (_("Enter your name."));
      return NULL;
    }

  if (g_utf8_strlen (name, -1) > CONFAB_USER_NAME_MAX_CHARS)
    {
      *message_out = g_strdup_printf (_("Shorten the name to at most %d characters."),
                                      CONFAB_USER_NAME_MAX_CHARS);
      return NULL;
    }

  if (avatar_url[0] != '\0' && (*message_out = check_avatar_url (avatar_url)) != NULL)
    return NULL;

  if (g_strcmp0 (name, self->saved_name) != 0)
    json_object_set_string_member (body, "name", name);

  /* An empty field removes the avatar, which the server takes as null. */
  if (g_strcmp0 (avatar_url, self->saved_avatar_url) != 0)
    {
      if (avatar_url[0] == '\0')
        json_object_set_null_member (body, "avatar_url");
      else
        json_object_set_string_member (body, "avatar_url", avatar_url);
    }

  return g_steal_pointer (&body);
}

/* Returns an error for the user when the password fields cannot be sent. */
static char *
check_password_fields (ConfabAccountDialog *self)
{
  const char *current = gtk_editable_get_text (GTK_EDITABLE (self->current_password_row));
  const char *new_password = gtk_editable_get_text (GTK_EDITABLE (self->new_password_row));
  const char *confirmation = gtk_editable_get_text (GTK_EDITABLE (self->confirm_password_row));

  if (current[0] == '\0')
    return g_strdup (_("Enter your current password."));

  /* Like the server and the sign-in page, this counts bytes. */
  if (strlen (new_password) < CONFAB_PASSWORD_MIN)
    return g_strdup_printf (_("Choose a new password of at least %d characters."),
                            CONFAB_PASSWORD_MIN);

  if (strlen (new_password) > CONFAB_PASSWORD_MAX)
    return g_strdup_printf (_("Shorten the new password to at most %d bytes."),
                            CONFAB_PASSWORD_MAX);

  if (!g_str_equal (new_password, confirmation))
    return g_strdup (_("The new password and its confirmation differ. Type the same password twice."));

  return NULL;
}

static void
update_profile_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  ConfabAccountDialog *self;

  root = confab_api_request_finish (CONFAB_API (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = CONFAB_ACCOUNT_DIALOG (user_data);
  set_profile_busy (self, FALSE);

  if (error != NULL)
    {
      set_status (self->profile_status_label, error->message, TRUE);
      return;
    }

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      set_status (self->profile_status_label,
                  _("The server saved the profile but sent an invalid reply. Reopen this dialog to see it."),
                  TRUE);
      return;
    }

  g_debug ("Profile saved");
  load_user (self, json_node_get_object (root));
  if (self->window != NULL)
    confab_window_set_user (self->window, json_node_get_object (root));
  set_status (self->profile_status_label, _("Profile saved."), FALSE);
}

static void
change_password_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  ConfabAccountDialog *self;

  root = confab_api_request_finish (CONFAB_API (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = CONFAB_ACCOUNT_DIALOG (user_data);
  set_password_busy (self, FALSE);

  if (error != NULL)
    {
      set_status (self->password_status_label, error->message, TRUE);
      return;
    }

  g_message ("Password changed; the server ended the other sessions");
  gtk_editable_set_text (GTK_EDITABLE (self->current_password_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->new_password_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->confirm_password_row), "");
  set_status (self->password_status_label,
              _("Password changed. Your other devices were signed out."), FALSE);
}

static const char *
get_signed_out_everywhere_text (void)
{
  return _("You signed out everywhere. Every device, this one included, must sign in again.");
}

static void
sign_out_everywhere_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ConfabAccountDialog) self = NULL;

  root = confab_api_request_finish (CONFAB_API (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* Ending the session closes the window's dialogs, this one included. */
  self = g_object_ref (CONFAB_ACCOUNT_DIALOG (user_data));
  set_sign_out_busy (self, FALSE);

  /* A 401 means the session had ended already, and the window has
   * returned to sign-in with the expected message.
   */
  if (error != NULL && !g_error_matches (error, CONFAB_API_ERROR, CONFAB_API_ERROR_UNAUTHORIZED))
    {
      if (self->window != NULL)
        confab_window_expect_session_end (self->window, NULL);
      set_status (self->sign_out_status_label, error->message, TRUE);
      return;
    }

  if (error == NULL && self->window != NULL)
    {
      g_message ("Signed out everywhere");
      confab_window_end_session (self->window, get_signed_out_everywhere_text ());
    }

  gtk_window_close (GTK_WINDOW (self));
}

static void
confirm_sign_out_response_cb (ConfabAccountDialog *self,
                              const char          *response,
                              AdwMessageDialog    *dialog)
{
  if (!g_str_equal (response, "sign-out"))
    return;

  set_status (self->sign_out_status_label, NULL, TRUE);
  set_sign_out_busy (self, TRUE);

  /* The server's close of this window's WebSocket may come first. */
  if (self->window != NULL)
    confab_window_expect_session_end (self->window, get_signed_out_everywhere_text ());

  confab_api_request_async (self->api, "POST", "/api/v1/auth/logout-all", NULL, self->cancellable,
                            sign_out_everywhere_cb, self);
}

/* A status describes the fields as they were, so editing them clears it. */
static void
profile_changed_cb (ConfabAccountDialog *self)
{
  set_status (self->profile_status_label, NULL, FALSE);
  update_save_button (self);
}

static void
password_changed_cb (ConfabAccountDialog *self)
{
  set_status (self->password_status_label, NULL, FALSE);
}

static void
save_button_clicked_cb (ConfabAccountDialog *self)
{
  g_autoptr(JsonObject) body = NULL;
  g_autofree char *message = NULL;

  if (!gtk_widget_get_sensitive (GTK_WIDGET (self->save_button)))
    return;

  body = build_profile_changes (self, &message);
  if (body == NULL)
    {
      set_status (self->profile_status_label, message, TRUE);
      return;
    }

  set_status (self->profile_status_label, NULL, TRUE);
  set_profile_busy (self, TRUE);
  confab_api_request_async (self->api, "PATCH", "/api/v1/me", body, self->cancellable,
                            update_profile_cb, self);
}

static void
change_password_button_clicked_cb (ConfabAccountDialog *self)
{
  g_autoptr(JsonObject) body = NULL;
  g_autofree char *message = NULL;

  if (!gtk_widget_get_sensitive (GTK_WIDGET (self->change_password_button)))
    return;

  message = check_password_fields (self);
  if (message != NULL)
    {
      set_status (self->password_status_label, message, TRUE);
      return;
    }

  body = json_object_new ();
  json_object_set_string_member (body, "current_password",
                                 gtk_editable_get_text (GTK_EDITABLE (self->current_password_row)));
  json_object_set_string_member (body, "new_password",
                                 gtk_editable_get_text (GTK_EDITABLE (self->new_password_row)));

  set_status (self->password_status_label, NULL, TRUE);
  set_password_busy (self, TRUE);
  confab_api_request_async (self->api, "POST", "/api/v1/me/password", body, self->cancellable,
                            change_password_cb, self);
}

static void
sign_out_everywhere_button_clicked_cb (ConfabAccountDialog *self)
{
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                        _("Sign Out Everywhere?"),
                                                        _("Every device signed in to this account is signed out, this one included. Each must sign in again with the password, and meetings in progress on them end.")));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "sign-out", _("_Sign Out Everywhere"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "sign-out", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);

  g_signal_connect_object (dialog, "response", G_CALLBACK (confirm_sign_out_response_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
confab_account_dialog_dispose (GObject *object)
{
  ConfabAccountDialog *self = (ConfabAccountDialog *)object;

  g_cancellable_cancel (self->cancellable);

  g_clear_weak_pointer (&self->window);
  gtk_widget_dispose_template (GTK_WIDGET (self), CONFAB_TYPE_ACCOUNT_DIALOG);

  G_OBJECT_CLASS (confab_account_dialog_parent_class)->dispose (object);
}

static void
confab_account_dialog_finalize (GObject *object)
{
  ConfabAccountDialog *self = (ConfabAccountDialog *)object;

  g_clear_object (&self->cancellable);
  g_clear_object (&self->api);
  g_clear_pointer (&self->saved_name, g_free);
  g_clear_pointer (&self->saved_avatar_url, g_free);

  G_OBJECT_CLASS (confab_account_dialog_parent_class)->finalize (object);
}

static void
confab_account_dialog_class_init (ConfabAccountDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = confab_account_dialog_dispose;
  object_class->finalize = confab_account_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/confab/Confab/ui/confab-account-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, ConfabAccountDialog, page);
  gtk_widget_class_bind_template_child (widget_class, ConfabAccountDialog, email_row);
  gtk_widget_class_bind_template_child (widget_class, ConfabAccountDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, ConfabAccountDialog, avatar_row);
  gtk_widget_class_bind_template_child (widget_class, ConfabAccountDialog, profile_status_label);
  gtk_widget_class_bind_template_child (widget_class, ConfabAccountDialog, profile_spinner);
  gtk_widget_class_bind_template_child (widget_class, ConfabAccountDialog, save_button);
  gtk_widget_class_bind_template_child (widget_class, ConfabAccountDialog, current_password_row);
  gtk_widget_class_bind_template_child (widget_class, ConfabAccountDialog, new_password_row);
  gtk_widget_class_bind_template_child (widget_class, ConfabAccountDialog, confirm_password_row);
  gtk_widget_class_bind_template_child (widget_class, ConfabAccountDialog, password_status_label);
  gtk_widget_class_bind_template_child (widget_class, ConfabAccountDialog, password_spinner);
  gtk_widget_class_bind_template_child (widget_class, ConfabAccountDialog, change_password_button);
  gtk_widget_class_bind_template_child (widget_class, ConfabAccountDialog, sign_out_status_label);
  gtk_widget_class_bind_template_child (widget_class, ConfabAccountDialog, sign_out_spinner);
  gtk_widget_class_bind_template_child (widget_class, ConfabAccountDialog, sign_out_everywhere_button);
  gtk_widget_class_bind_template_callback (widget_class, profile_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, password_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, save_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, change_password_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, sign_out_everywhere_button_clicked_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
confab_account_dialog_init (ConfabAccountDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->saved_name = g_strdup ("");
  self->saved_avatar_url = g_strdup ("");
}

/**
 * confab_account_dialog_new:
 * @window: a signed-in window, which the dialog is modal to
 *
 * Creates the account dialog for the user signed in to @window. The
 * dialog closes by itself when the session ends.
 *
 * Returns: (transfer none): the dialog, destroyed when it closes
 */
ConfabAccountDialog *
confab_account_dialog_new (ConfabWindow *window)
{
  ConfabAccountDialog *self;
  JsonObject *user;

  g_return_val_if_fail (CONFAB_IS_WINDOW (window), NULL);
  g_return_val_if_fail (confab_window_get_api (window) != NULL, NULL);

  self = g_object_new (CONFAB_TYPE_ACCOUNT_DIALOG,
                       "transient-for", window,
                       NULL);
  g_set_weak_pointer (&self->window, window);
  self->api = g_object_ref (confab_window_get_api (window));

  user = confab_window_get_user (window);
  if (user != NULL)
    load_user (self, user);

  return self;
}
