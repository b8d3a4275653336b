/* confab-lobby-page.h: the live list of rooms */
#pragma once

#include <adwaita.h>

#include "confab-room-list.h"
#include "confab-socket.h"

G_BEGIN_DECLS

#define CONFAB_TYPE_LOBBY_PAGE (confab_lobby_page_get_type ())

G_DECLARE_FINAL_TYPE (ConfabLobbyPage, confab_lobby_page, CONFAB, LOBBY_PAGE, AdwBin)

void            confab_lobby_page_set_socket      (ConfabLobbyPage *self,
                                                   ConfabSocket    *socket);
ConfabRoomList *confab_lobby_page_get_room_list   (ConfabLobbyPage *self);
GListModel     *confab_lobby_page_get_shown_rooms (ConfabLobbyPage *self);
gboolean        confab_lobby_page_get_reconnecting (ConfabLobbyPage *self);

G_END_DECLS
