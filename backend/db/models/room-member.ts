import { DataTypes } from 'sequelize';
import type { Model, ModelStatic, Sequelize } from 'sequelize';

/** Who passed a room's password check (or joined an open room) and may come back to it. */
export interface RoomMemberAttributes {
  roomId: number;
  userId: string;
  joinedAt: Date;
}

export interface RoomMemberInstance extends Model<RoomMemberAttributes, RoomMemberAttributes>, RoomMemberAttributes {}

export type RoomMemberModel = ModelStatic<RoomMemberInstance>;

/** Defines the RoomMember model on one Sequelize instance. */
export function defineRoomMemberModel(sequelize: Sequelize): RoomMemberModel {
  return sequelize.define<RoomMemberInstance>(
    'RoomMember',
    {
      roomId: { type: DataTypes.INTEGER, primaryKey: true, field: 'room_id' },
      userId: { type: DataTypes.STRING(66), primaryKey: true, field: 'user_id' },
      joinedAt: { type: DataTypes.DATE, allowNull: false, field: 'joined_at' },
    },
    { tableName: 'room_member', timestamps: false },
  );
}
