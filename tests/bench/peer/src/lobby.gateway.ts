// The live lobby over socket.io: the event names and payloads of Confab's
// WebSocket protocol, so that one load generator drives both servers.
import { Logger, OnModuleDestroy } from '@nestjs/common';
import { ConnectedSocket, MessageBody, OnGatewayDisconnect, OnGatewayInit, SubscribeMessage, WebSocketGateway,
  WebSocketServer } from '@nestjs/websockets';
import { Server, Socket } from 'socket.io';
import { AuthService } from './auth.service';
import { DatabaseService, User } from './database.service';
import { roomJson } from './rooms.controller';
import { PresenceService, Seat } from './presence.service';

const LOBBY_INTERVAL_MS = 250;
const LOBBY_CHANNEL = 'lobby';

interface SocketData {
  user: User;
  roomId: number;
}

interface RoomMessage {
  roomId?: unknown;
}

interface ChatBody extends RoomMessage {
  text?: unknown;
  clientMsgId?: unknown;
}

interface HandBody extends RoomMessage {
  raised?: unknown;
}

function channel(roomId: number): string {
  return `room:${roomId}`;
}

function participantJson(seat: Seat, ownerId: number) {
  return { userId: seat.userId, name: seat.name, avatarUrl: null, role: seat.userId === ownerId ? 'owner' : 'member',
           isOwner: seat.userId === ownerId, handRaised: seat.handRaised, jitsiId: null };
}

@WebSocketGateway({ transports: ['websocket'], perMessageDeflate: false, serveClient: false })
export class LobbyGateway implements OnGatewayInit, OnGatewayDisconnect, OnModuleDestroy {
  @WebSocketServer() server!: Server;
  private readonly logger = new Logger(LobbyGateway.name);
  private lobbyTimer?: NodeJS.Timeout;

  constructor(private readonly auth: AuthService, private readonly database: DatabaseService,
              private readonly presence: PresenceService) {}

  afterInit(server: Server): void {
    server.use((socket, next) => {
      try {
        socket.data.user = this.auth.userForToken(socket.handshake.auth?.token);
        socket.data.roomId = 0;
        next();
      } catch {
        next(new Error('unauthorized'));
      }
    });
    this.lobbyTimer = setInterval(() => this.flushLobby(), LOBBY_INTERVAL_MS);
  }

  onModuleDestroy(): void {
    clearInterval(this.lobbyTimer);
  }

  handleDisconnect(socket: Socket): void {
    this.leave(socket, 'disconnected');
  }

  @SubscribeMessage('ping')
  ping(@ConnectedSocket() socket: Socket): void {
    socket.emit('pong', { serverTime: Math.floor(Date.now() / 1000) });
  }

  @SubscribeMessage('subscribeLobby')
  subscribeLobby(@ConnectedSocket() socket: Socket): void {
    socket.join(LOBBY_CHANNEL);
    const rooms = this.database.listRooms().map((room) => roomJson(room, this.presence.count(room.id)));
    socket.emit('lobby', { page: 0, last: true, rooms });
  }

  @SubscribeMessage('joinRoom')
  joinRoom(@ConnectedSocket() socket: Socket, @MessageBody() body: RoomMessage): void {
    const data = socket.data as SocketData;
    const room = typeof body?.roomId === 'number' ? this.database.findRoom(body.roomId) : undefined;
    if (!room) {
      this.sendError(socket, 'not-found', 'No room has this roomId.');
      return;
    }
    if (data.roomId !== 0 && data.roomId !== room.id) {
      this.leave(socket, 'left');
    }

    const seating = this.presence.take(room.id, room.capacity, data.user.id, data.user.name, socket.id);
    if (!seating) {
      this.sendError(socket, 'room-full', 'The room is full.');
      return;
    }
    data.roomId = room.id;
    socket.join(channel(room.id));

    const live = this.presence.room(room.id);
    if (seating.isNew) {
      live.seq++;
      this.server.to(channel(room.id)).emit('userJoined',
        { roomId: room.id, seq: live.seq, participant: participantJson(seating.seat, room.owner_id) });
    }

    socket.emit('roomState', {
      roomId: room.id, seq: live.seq,
      room: { id: room.id, name: room.name, topic: room.topic, capacity: room.capacity, jitsiRoom: `room-${room.id}` },
      self: { userId: data.user.id, role: room.owner_id === data.user.id ? 'owner' : 'member' },
      participants: [...live.seats.values()].map((seat) => participantJson(seat, room.owner_id)),
      chat: this.database.recentMessages(room.id),
    });
  }

  @SubscribeMessage('leaveRoom')
  leaveRoom(@ConnectedSocket() socket: Socket): void {
    this.leave(socket, 'left');
    socket.emit('ok', {});
  }

  @SubscribeMessage('chat')
  chat(@ConnectedSocket() socket: Socket, @MessageBody() body: ChatBody): void {
    const data = socket.data as SocketData;
    if (data.roomId === 0 || body?.roomId !== data.roomId) {
      this.sendError(socket, 'not-in-room', 'Join the room first.');
      return;
    }
    if (typeof body.text !== 'string' || body.text.length === 0 || body.text.length > 2000 ||
        typeof body.clientMsgId !== 'string' || body.clientMsgId.length === 0 || body.clientMsgId.length > 64) {
      this.sendError(socket, 'invalid-field', 'text and clientMsgId must be non-empty strings.');
      return;
    }

    const stored = this.database.storeMessage(data.roomId, data.user.id, body.text, body.clientMsgId);
    socket.emit('chatAck', { roomId: data.roomId, clientMsgId: body.clientMsgId, id: stored.id, sentAt: stored.sentAt });

    const live = this.presence.room(data.roomId);
    live.seq++;
    this.server.to(channel(data.roomId)).emit('chatMessage', {
      roomId: data.roomId, seq: live.seq,
      message: { id: stored.id, userId: data.user.id, name: data.user.name, text: body.text, sentAt: stored.sentAt,
                 clientMsgId: body.clientMsgId },
    });
  }

  @SubscribeMessage('raiseHand')
  raiseHand(@ConnectedSocket() socket: Socket, @MessageBody() body: HandBody): void {
    const data = socket.data as SocketData;
    const live = this.presence.room(data.roomId);
    const seat = live.seats.get(data.user.id);
    if (data.roomId === 0 || body?.roomId !== data.roomId || !seat) {
      this.sendError(socket, 'not-in-room', 'Join the room first.');
      return;
    }

    seat.handRaised = body.raised === true;
    live.seq++;
    this.server.to(channel(data.roomId)).emit('handRaised',
      { roomId: data.roomId, seq: live.seq, userId: data.user.id, raised: seat.handRaised, byUserId: data.user.id });
  }

  private leave(socket: Socket, reason: string): void {
    const data = socket.data as SocketData;
    if (!data?.roomId) {
      return;
    }
    const roomId = data.roomId;
    data.roomId = 0;
    socket.leave(channel(roomId));

    if (this.presence.release(roomId, data.user.id, socket.id)) {
      const live = this.presence.room(roomId);
      live.seq++;
      this.server.to(channel(roomId)).emit('userLeft', { roomId, seq: live.seq, userId: data.user.id, reason });
    }
  }

  private sendError(socket: Socket, code: string, message: string): void {
    socket.emit('error', { code, message });
  }

  // Sends each changed room once per round, so a join storm costs a watcher
  // a few messages rather than one per join.
  private flushLobby(): void {
    if (this.presence.changedRooms.size === 0) {
      return;
    }
    for (const roomId of this.presence.changedRooms) {
      const room = this.database.findRoom(roomId);
      if (room) {
        this.server.to(LOBBY_CHANNEL).emit('roomUpdated', { room: roomJson(room, this.presence.count(roomId)) });
      }
    }
    this.presence.changedRooms.clear();
  }
}
