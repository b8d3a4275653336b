/* confab-test-notifications.h: a desktop notification server for client tests */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* One Notify call that the server received. */
typedef struct {
  guint  id;
  char  *summary;
  char  *body;
} ConfabTestNotification;

void                    confab_test_notifications_start      (void);
void                    confab_test_notifications_clear      (void);
guint                   confab_test_notifications_get_count  (void);
ConfabTestNotification *confab_test_notifications_find       (const char *summary);
gboolean                confab_test_notifications_was_closed (guint       id);
void                    confab_test_notifications_sync       (void);

G_END_DECLS
