/* confab-sign-in-page.c: signing in and registering
 *
 * The page checks the server address as the user types it, requests
 * whether the server accepts registrations (GET /api/v1/server) to offer "Create an
 * Account" only where that works, and signs in or registers. On success it
 * hands a ConfabApi that contains the new session token to the window through
 * "signed-in".
 */
#define G_LOG_DOMAIN "confab-sign-in"

#include "config.h"

#include <glib/gi18n.h>

#include "confab-account-fields.h"
#include "confab-api.h"
#include "confab-json.h"
#include "confab-protocol.h"
#include "confab-server-url.h"
#include "confab-sign-in-page.h"

/* Milliseconds between the last keystroke in the address and the check. */
#define SERVER_CHECK_DELAY_MS 400

struct _ConfabSignInPage
{
  AdwBin        parent_instance;

  /* Template widgets */
  GtkLabel     *title_label;
  GtkLabel     *subtitle_label;
  GtkLabel     *message_label;
  AdwEntryRow  *server_row;
  AdwEntryRow  *name_row;
  AdwEntryRow  *email_row;
  AdwEntryRow  *password_row;
  GtkButton    *submit_button;
  GtkSpinner   *spinner;
  GtkButton    *mode_button;
  GtkLabel     *registration_label;

  /* Owned */
  GCancellable *check_cancellable;
  GCancellable *submit_cancellable;
  ConfabApi    *pending_api;
  guint         check_source;

  /* Borrowed: the row that the error shown is about, or NULL when the error
   * is about the whole form. Editing that row, or any row for NULL, hides it.
   */
  AdwEntryRow  *error_row;
  gboolean      showing_error;
  gboolean      setting_text;

  gboolean      registering;
  gboolean      submitted_registration;
  gboolean      registration_open;
  gboolean      server_checked;
  gboolean      busy;
};

G_DEFINE_FINAL_TYPE (ConfabSignInPage, confab_sign_in_page, ADW_TYPE_BIN)

enum {
  SIGNED_IN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
update_mode (ConfabSignInPage *self)
{
  gboolean registering = self->registering && self->registration_open;

  gtk_widget_set_visible (GTK_WIDGET (self->name_row), registering);
  gtk_widget_set_visible (GTK_WIDGET (self->mode_button), self->registration_open);

  if (registering)
    {
      g_autofree char *subtitle =
        g_strdup_printf (_("Choose your name and a password of at least %d characters."),
                         CONFAB_PASSWORD_MIN);

      gtk_label_set_label (self->title_label, _("Create an Account"));
      gtk_label_set_label (self->subtitle_label, subtitle);
      gtk_button_set_label (self->submit_button, _("_Create Account"));
      gtk_button_set_label (self->mode_button, _("_Use an Existing Account"));
    }
  else
    {
      gtk_label_set_label (self->title_label, _("Welcome to Confab"));
      gtk_label_set_label (self->subtitle_label, _("Sign in to see the rooms and join their meetings."));
      gtk_button_set_label (self->submit_button, _("_Sign In"));
      gtk_button_set_label (self->mode_button, _("_Create an Account"));
    }
}

/* The rows stop taking input but stay sensitive, because Return in a row
 * submits the form: an insensitive row would lose the focus during its own
 * activation, and GTK 4.8 then warns "GtkText - did not receive a
 * focus-out event" when the cursor blinks next.
 */
static void
set_busy (ConfabSignInPage *self,
          gboolean          busy)
{
  self->busy = busy;

  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->submit_button), !busy);
  gtk_editable_set_editable (GTK_EDITABLE (self->server_row), !busy);
  gtk_editable_set_editable (GTK_EDITABLE (self->name_row), !busy);
  gtk_editable_set_editable (GTK_EDITABLE (self->email_row), !busy);
  gtk_editable_set_editable (GTK_EDITABLE (self->password_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->mode_button), !busy);
}

/* @note: (nullable): why "Create an Account" is not offered, shown where
 *   the button would be
 */
static void
set_registration (ConfabSignInPage *self,
                  gboolean          open,
                  const char       *note)
{
  gtk_label_set_label (self->registration_label, note != NULL ? note : "");
  gtk_widget_set_visible (GTK_WIDGET (self->registration_label), note != NULL);

  if (self->registration_open == open)
    return;

  self->registration_open = open;
  update_mode (self);
}

static GtkText *
get_password_text (ConfabSignInPage *self)
{
  return GTK_TEXT (gtk_editable_get_delegate (GTK_EDITABLE (self->password_row)));
}

static void
show_error (ConfabSignInPage *self,
            AdwEntryRow      *row,
            const char       *message)
{
  confab_sign_in_page_set_message (self, message, TRUE);
  self->error_row = row;

  if (row != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (row));
}

/* Sets the text of a row without hiding the message, because the window
 * fills in the form together with a message that explains it.
 */
static void
set_row_text (ConfabSignInPage *self,
              AdwEntryRow      *row,
              const char       *text)
{
  self->setting_text = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
  self->setting_text = FALSE;
}

/* Leaves the form as the next visit to the page expects it: in sign-in
 * mode, with no name or password and the password hidden again.
 */
static void
reset_form (ConfabSignInPage *self)
{
  self->registering = FALSE;
  set_row_text (self, self->name_row, "");
  set_row_text (self, self->password_row, "");
  gtk_text_set_visibility (get_password_text (self), FALSE);
  update_mode (self);
}

static void
server_info_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  ConfabSignInPage *self;
  const char *registration = NULL;

  root = confab_api_request_finish (CONFAB_API (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = CONFAB_SIGN_IN_PAGE (user_data);
  self->server_checked = TRUE;

  if (g_error_matches (error, CONFAB_API_ERROR, CONFAB_API_ERROR_NETWORK))
    {
      g_debug ("Server check failed: %s", error->message);
      set_registration (self, FALSE, _("Could not reach the server to check whether it accepts new accounts."));
      return;
    }

  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    registration = confab_json_get_string (json_node_get_object (root), "registration");

  if (g_strcmp0 (registration, "open") == 0)
    set_registration (self, TRUE, NULL);
  else if (g_strcmp0 (registration, "closed") == 0)
    set_registration (self, FALSE, _("This server does not accept new accounts. Ask its administrator for one."));
  else
    {
      if (error != NULL)
        g_debug ("Server check failed: %s", error->message);
      set_registration (self, FALSE, _("The server did not say whether it accepts new accounts. Check that the address points to a Confab server."));
    }
}

static gboolean
check_server_cb (gpointer user_data)
{
  ConfabSignInPage *self = CONFAB_SIGN_IN_PAGE (user_data);
  g_autofree char *url = NULL;
  g_autoptr(ConfabApi) api = NULL;

  self->check_source = 0;

  g_cancellable_cancel (self->check_cancellable);
  g_clear_object (&self->check_cancellable);

  url = confab_server_url_normalize (gtk_editable_get_text (GTK_EDITABLE (self->server_row)), NULL);
  if (url == NULL)
    {
      set_registration (self, FALSE, NULL);
      self->server_checked = TRUE;
      return G_SOURCE_REMOVE;
    }

  /* The callback's user_data is borrowed: cancelling in dispose makes sure
   * the callback returns before it touches the page.
   */
  self->check_cancellable = g_cancellable_new ();
  api = confab_api_new (url);
  confab_api_request_async (api, "GET", "/api/v1/server", NULL, self->check_cancellable,
                            server_info_cb, self);

  return G_SOURCE_REMOVE;
}

static void
schedule_server_check (ConfabSignInPage *self)
{
  self->server_checked = FALSE;
  g_cancellable_cancel (self->check_cancellable);
  g_clear_handle_id (&self->check_source, g_source_remove);
  self->check_source = g_timeout_add (SERVER_CHECK_DELAY_MS, check_server_cb, self);
}

static void
row_changed_cb (ConfabSignInPage *self,
                AdwEntryRow      *row)
{
  if (row == self->server_row)
    schedule_server_check (self);

  if (self->setting_text || !self->showing_error)
    return;

  if (self->error_row == NULL || self->error_row == row)
    confab_sign_in_page_set_message (self, NULL, FALSE);
}

static void
mode_button_clicked_cb (ConfabSignInPage *self)
{
  /* A password typed for signing in is not meant for the new account, and
   * the other way round.
   */
  self->registering = !self->registering;
  set_row_text (self, self->password_row, "");
  update_mode (self);
  confab_sign_in_page_set_message (self, NULL, FALSE);

  gtk_widget_grab_focus (GTK_WIDGET (self->registering ? self->name_row : self->email_row));
}

static void
show_submit_error (ConfabSignInPage *self,
                   const GError     *error)
{
  g_autofree char *text = NULL;

  /* Of the two requests, only login returns 403, and only for a disabled account. */
  if (g_error_matches (error, CONFAB_API_ERROR, CONFAB_API_ERROR_FORBIDDEN) && !self->submitted_registration)
    {
      show_error (self, NULL, _("Your account was disabled by a site admin. Ask a site admin to enable it again."));
      return;
    }

  /* The server's own texts are English; these two are common enough to
   * show in the user's language.
   */
  if (g_error_matches (error, CONFAB_API_ERROR, CONFAB_API_ERROR_UNAUTHORIZED) && !self->submitted_registration)
    {
      show_error (self, NULL, _("Wrong email or password."));
      return;
    }

  if (g_error_matches (error, CONFAB_API_ERROR, CONFAB_API_ERROR_CONFLICT) && self->submitted_registration)
    {
      show_error (self, self->email_row, _("An account with this email exists already. Sign in instead, or use another email."));
      return;
    }

  if (g_error_matches (error, CONFAB_API_ERROR, CONFAB_API_ERROR_NETWORK))
    {
      g_autofree char *reason = g_strdup (error->message);

      /* The message ends with the network library's reason, usually
       * without a full stop, such as "Connection refused".
       */
      if (g_str_has_suffix (reason, "."))
        reason[strlen (reason) - 1] = '\0';

      /* Translators: %s is a message such as "Could not reach the server at https://confab.example.org: Connection refused". */
      text = g_strdup_printf (_("%s. Check the server address, and that confab-server is running there."), reason);
      show_error (self, self->server_row, text);
      return;
    }

  show_error (self, NULL, error->message);
}

static void
submit_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  ConfabApi *api = CONFAB_API (source);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  ConfabSignInPage *self;
  JsonObject *object = NULL;
  JsonObject *user = NULL;
  const char *token = NULL;

  root = confab_api_request_finish (api, result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = CONFAB_SIGN_IN_PAGE (user_data);
  set_busy (self, FALSE);

  if (error != NULL)
    {
      g_clear_object (&self->pending_api);
      show_submit_error (self, error);
      return;
    }

  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    object = json_node_get_object (root);

  token = confab_json_get_string (object, "token");
  user = confab_json_get_object (object, "user");
  if (token == NULL || token[0] == '\0' || user == NULL)
    {
      g_clear_object (&self->pending_api);
      confab_sign_in_page_set_message (self,
                                       _("The server’s reply lacks a session token. Check that the address points to a Confab server."),
                                       TRUE);
      return;
    }

  confab_api_set_token (api, token);
  reset_form (self);
  confab_sign_in_page_set_message (self, NULL, FALSE);

  g_debug ("Signed in to %s", confab_api_get_server_url (api));
  g_signal_emit (self, signals[SIGNED_IN], 0, api, user);
  g_clear_object (&self->pending_api);
}

static gboolean
check_fields (ConfabSignInPage *self,
              const char       *name,
              const char       *email,
              const char       *password)
{
  if (self->registering && self->registration_open)
    {
      g_autofree char *text = NULL;

      text = confab_account_fields_check_name (name, adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self->name_row)));
      if (text != NULL)
        {
          show_error (self, self->name_row, text);
          return FALSE;
        }
    }

  if (strchr (email, '@') == NULL)
    {
      show_error (self, self->email_row, _("Enter the email address of your account, such as ada@example.org."));
      return FALSE;
    }

  if (password[0] == '\0')
    {
      show_error (self, self->password_row, _("Enter your password."));
      return FALSE;
    }

  if (self->registering && self->registration_open && strlen (password) < CONFAB_PASSWORD_MIN)
    {
      g_autofree char *text = g_strdup_printf (_("Choose a password of at least %d characters."),
                                               CONFAB_PASSWORD_MIN);

      show_error (self, self->password_row, text);
      return FALSE;
    }

  return TRUE;
}

static void
submit (ConfabSignInPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autofree char *url = NULL;
  g_autofree char *name = NULL;
  g_autofree char *email = NULL;
  const char *password;
  gboolean registering = self->registering && self->registration_open;

  if (self->busy)
    return;

  /* Step 1: check what the user typed. */
  url = confab_server_url_normalize (gtk_editable_get_text (GTK_EDITABLE (self->server_row)), &error);
  if (url == NULL)
    {
      show_error (self, self->server_row, error->message);
      return;
    }

  name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
  email = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->email_row))));
  password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));

  if (!check_fields (self, name, email, password))
    return;

  /* Step 2: send it. */
  body = json_object_new ();
  if (registering)
    json_object_set_string_member (body, "name", name);
  json_object_set_string_member (body, "email", email);
  json_object_set_string_member (body, "password", password);

  g_cancellable_cancel (self->submit_cancellable);
  g_clear_object (&self->submit_cancellable);
  self->submit_cancellable = g_cancellable_new ();

  g_clear_object (&self->pending_api);
  self->pending_api = confab_api_new (url);

  confab_sign_in_page_set_message (self, NULL, FALSE);
  self->submitted_registration = registering;
  set_busy (self, TRUE);
  confab_api_request_async (self->pending_api, "POST",
                            registering ? "/api/v1/auth/register" : "/api/v1/auth/login",
                            body, self->submit_cancellable, submit_cb, self);
}

static void
submit_button_clicked_cb (ConfabSignInPage *self)
{
  submit (self);
}

static void
entry_activated_cb (ConfabSignInPage *self,
                    AdwEntryRow      *row)
{
  /* Enter moves to the next empty field, and submits from the last one. */
  if (row == self->server_row || row == self->name_row)
    {
      GtkWidget *next = GTK_WIDGET (row == self->server_row && self->registering && self->registration_open
                                    ? self->name_row : self->email_row);

      gtk_widget_grab_focus (next);
      return;
    }

  if (row == self->email_row)
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
      return;
    }

  submit (self);
}

static void
confab_sign_in_page_map (GtkWidget *widget)
{
  ConfabSignInPage *self = CONFAB_SIGN_IN_PAGE (widget);

  GTK_WIDGET_CLASS (confab_sign_in_page_parent_class)->map (widget);

  schedule_server_check (self);

  /* Start where typing is needed: the email, or the password after a
   * session ended for a known account.
   */
  if (gtk_editable_get_text (GTK_EDITABLE (self->email_row))[0] == '\0')
    gtk_widget_grab_focus (GTK_WIDGET (self->email_row));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
}

static void
confab_sign_in_page_dispose (GObject *object)
{
  ConfabSignInPage *self = (ConfabSignInPage *)object;

  g_clear_handle_id (&self->check_source, g_source_remove);
  g_cancellable_cancel (self->check_cancellable);
  g_cancellable_cancel (self->submit_cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), CONFAB_TYPE_SIGN_IN_PAGE);

  G_OBJECT_CLASS (confab_sign_in_page_parent_class)->dispose (object);
}

static void
confab_sign_in_page_finalize (GObject *object)
{
  ConfabSignInPage *self = (ConfabSignInPage *)object;

  g_clear_object (&self->check_cancellable);
  g_clear_object (&self->submit_cancellable);
  g_clear_object (&self->pending_api);

  G_OBJECT_CLASS (confab_sign_in_page_parent_class)->finalize (object);
}

static void
confab_sign_in_page_class_init (ConfabSignInPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = confab_sign_in_page_dispose;
  object_class->finalize = confab_sign_in_page_finalize;

  widget_class->map = confab_sign_in_page_map;

  /**
   * ConfabSignInPage::signed-in:
   * @api: a REST client that contains the new session token
   * @user: the signed-in user
   */
  signals[SIGNED_IN] =
    g_signal_new ("signed-in",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, CONFAB_TYPE_API, JSON_TYPE_OBJECT);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/confab/Confab/ui/confab-sign-in-page.ui");
  gtk_widget_class_bind_template_child (widget_class, ConfabSignInPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, ConfabSignInPage, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, ConfabSignInPage, message_label);
  gtk_widget_class_bind_template_child (widget_class, ConfabSignInPage, server_row);
  gtk_widget_class_bind_template_child (widget_class, ConfabSignInPage, name_row);
  gtk_widget_class_bind_template_child (widget_class, ConfabSignInPage, email_row);
  gtk_widget_class_bind_template_child (widget_class, ConfabSignInPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, ConfabSignInPage, submit_button);
  gtk_widget_class_bind_template_child (widget_class, ConfabSignInPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, ConfabSignInPage, mode_button);
  gtk_widget_class_bind_template_child (widget_class, ConfabSignInPage, registration_label);
  gtk_widget_class_bind_template_callback (widget_class, row_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, submit_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, mode_button_clicked_cb);
}

static void
confab_sign_in_page_init (ConfabSignInPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* AdwEntryRow has no max-length property in libadwaita 1.2, but its
   * GtkText has. The password keeps no limit, because cutting it short
   * would fail without a word.
   */
  gtk_text_set_max_length (GTK_TEXT (gtk_editable_get_delegate (GTK_EDITABLE (self->name_row))),
                           CONFAB_USER_NAME_MAX_CHARS);
  gtk_text_set_max_length (GTK_TEXT (gtk_editable_get_delegate (GTK_EDITABLE (self->email_row))),
                           CONFAB_EMAIL_MAX);
}

void
confab_sign_in_page_set_server_url (ConfabSignInPage *self,
                                    const char       *server_url)
{
  g_return_if_fail (CONFAB_IS_SIGN_IN_PAGE (self));

  set_row_text (self, self->server_row, server_url);
}

const char *
confab_sign_in_page_get_server_url (ConfabSignInPage *self)
{
  g_return_val_if_fail (CONFAB_IS_SIGN_IN_PAGE (self), NULL);

  return gtk_editable_get_text (GTK_EDITABLE (self->server_row));
}

void
confab_sign_in_page_set_email (ConfabSignInPage *self,
                               const char       *email)
{
  g_return_if_fail (CONFAB_IS_SIGN_IN_PAGE (self));

  set_row_text (self, self->email_row, email);
}

/**
 * confab_sign_in_page_set_message:
 * @message: (nullable): the text, or %NULL to hide the message
 * @is_error: whether it reports a failure, which is styled as an error
 *
 * Shows why the user is on this page or what went wrong.
 */
void
confab_sign_in_page_set_message (ConfabSignInPage *self,
                                 const char       *message,
                                 gboolean          is_error)
{
  GtkWidget *label;

  g_return_if_fail (CONFAB_IS_SIGN_IN_PAGE (self));

  label = GTK_WIDGET (self->message_label);
  self->error_row = NULL;
  self->showing_error = is_error && message != NULL && message[0] != '\0';
  gtk_label_set_label (self->message_label, message != NULL ? message : "");
  gtk_widget_set_visible (label, message != NULL && message[0] != '\0');

  if (is_error)
    gtk_widget_add_css_class (label, "error");
  else
    gtk_widget_remove_css_class (label, "error");
}

/**
 * confab_sign_in_page_get_message:
 *
 * Returns: the message shown, or "" when none is
 */
const char *
confab_sign_in_page_get_message (ConfabSignInPage *self)
{
  g_return_val_if_fail (CONFAB_IS_SIGN_IN_PAGE (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->message_label)))
    return "";

  return gtk_label_get_label (self->message_label);
}

gboolean
confab_sign_in_page_get_registration_open (ConfabSignInPage *self)
{
  g_return_val_if_fail (CONFAB_IS_SIGN_IN_PAGE (self), FALSE);

  return self->registration_open;
}

/**
 * confab_sign_in_page_get_server_checked:
 *
 * Returns: whether the registration check of the server in the address
 *   field has completed, with a reply or an error
 */
gboolean
confab_sign_in_page_get_server_checked (ConfabSignInPage *self)
{
  g_return_val_if_fail (CONFAB_IS_SIGN_IN_PAGE (self), FALSE);

  return self->server_checked;
}
