import { Module } from '@nestjs/common';
import { AccountsController } from './accounts.controller';
import { AuthService } from './auth.service';
import { DatabaseService } from './database.service';
import { LobbyGateway } from './lobby.gateway';
import { PresenceService } from './presence.service';
import { RoomsController } from './rooms.controller';

@Module({
  controllers: [AccountsController, RoomsController],
  providers: [DatabaseService, AuthService, PresenceService, LobbyGateway],
})
export class AppModule {}
