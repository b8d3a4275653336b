import { BadRequestException, Body, ConflictException, Controller, Get, Headers, HttpCode, NotFoundException,
  Param, ParseIntPipe, Post } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { AuthService } from './auth.service';
import { DatabaseService, Room } from './database.service';
import { PresenceService } from './presence.service';

const JITSI_DOMAIN = 'meet.example.org';
const JITSI_APP_ID = 'confab';
const JITSI_SECRET = process.env.PEER_JITSI_SECRET ?? randomBytes(32).toString('hex');
const TOKEN_TTL_SECONDS = 900;

interface CreateRoomBody {
  name?: unknown;
  topic?: unknown;
  capacity?: unknown;
}

export function roomJson(room: Room, participants: number) {
  return {
    id: room.id, name: room.name, topic: room.topic, capacity: room.capacity,
    owner: { id: room.owner_id, name: room.owner_name }, participants,
  };
}

@Controller('api/v1/rooms')
export class RoomsController {
  constructor(private readonly auth: AuthService, private readonly database: DatabaseService,
              private readonly presence: PresenceService) {}

  @Get()
  list(@Headers('authorization') authorization: string | undefined) {
    this.auth.userForAuthorization(authorization);
    return { rooms: this.database.listRooms().map((room) => roomJson(room, this.presence.count(room.id))) };
  }

  @Post()
  @HttpCode(201)
  create(@Headers('authorization') authorization: string | undefined, @Body() body: CreateRoomBody) {
    const user = this.auth.userForAuthorization(authorization);
    const capacity = body.capacity ?? 10;
    if (typeof body.name !== 'string' || !Number.isInteger(capacity) || (capacity as number) < 2 || (capacity as number) > 500) {
      throw new BadRequestException({ error: { code: 'invalid-field', message: 'name must be a string and capacity an integer from 2 to 500.' } });
    }
    const topic = typeof body.topic === 'string' ? body.topic : '';
    const room = this.database.createRoom(body.name, topic, capacity as number, user.id);
    this.presence.changedRooms.add(room.id);
    return roomJson(room, 0);
  }

  @Post(':id/token')
  @HttpCode(200)
  token(@Headers('authorization') authorization: string | undefined, @Param('id', ParseIntPipe) id: number) {
    const user = this.auth.userForAuthorization(authorization);
    const room = this.database.findRoom(id);
    if (!room) {
      throw new NotFoundException({ error: { code: 'not-found', message: `No room ${id}.` } });
    }
    if (!this.presence.isSeated(id, user.id)) {
      throw new ConflictException({ error: { code: 'not-seated', message: 'Send joinRoom first.' } });
    }

    const isHost = room.owner_id === user.id;
    const jitsiRoom = `room-${room.id}`;
    const now = Math.floor(Date.now() / 1000);
    const features = isHost ? 'true' : 'false';
    const claims = {
      iss: JITSI_APP_ID, aud: JITSI_APP_ID, sub: JITSI_DOMAIN, room: jitsiRoom,
      iat: now, nbf: now - 30, exp: now + TOKEN_TTL_SECONDS,
      moderator: isHost, affiliation: isHost ? 'owner' : 'member',
      context: {
        user: { id: String(user.id), name: user.name, email: user.email, avatar: '', moderator: isHost,
                affiliation: isHost ? 'owner' : 'member' },
        features: { livestreaming: features, recording: features, transcription: features, 'outbound-call': features },
      },
    };
    const signed = jwt.sign(claims, JITSI_SECRET, { algorithm: 'HS256', noTimestamp: true, header: { alg: 'HS256', typ: 'JWT' } });

    return { jwt: signed, domain: JITSI_DOMAIN, jitsi_room: jitsiRoom, role: isHost ? 'owner' : 'member',
             expires_at: now + TOKEN_TTL_SECONDS };
  }
}
