import { DataTypes } from 'sequelize';
import type { Model, ModelStatic, Optional, Sequelize } from 'sequelize';

/**
 * The `room` table. Its first four columns come from the legacy Spring chat and keep their
 * names and meaning: `user_cnt` is the live user count as text, `reg_date` the creation time.
 */
export interface RoomAttributes {
  id: number;
  name: string;
  /** Live user count as text, kept for legacy readers. */
  userCnt: string;
  createdAt: Date;
  kind: string;
  maxUsers: number;
  passwordHash: string | null;
  ownerId: string | null;
  updatedAt: Date | null;
}

export type RoomCreationAttributes = Optional<
  RoomAttributes,
  'id' | 'userCnt' | 'kind' | 'maxUsers' | 'passwordHash' | 'ownerId' | 'updatedAt'
>;

export interface RoomInstance extends Model<RoomAttributes, RoomCreationAttributes>, RoomAttributes {}

export type RoomModel = ModelStatic<RoomInstance>;

/** Defines the Room model on one Sequelize instance (models are per instance: several databases may be open). */
export function defineRoomModel(sequelize: Sequelize): RoomModel {
  return sequelize.define<RoomInstance>(
    'Room',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      name: { type: DataTypes.STRING(100), allowNull: false },
      userCnt: { type: DataTypes.STRING(100), allowNull: false, defaultValue: '0', field: 'user_cnt' },
      createdAt: { type: DataTypes.DATE, allowNull: false, field: 'reg_date' },
      kind: { type: DataTypes.STRING(10), allowNull: false, defaultValue: 'chat' },
      maxUsers: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 100, field: 'max_users' },
      passwordHash: { type: DataTypes.STRING(255), allowNull: true, field: 'password_hash' },
      ownerId: { type: DataTypes.STRING(66), allowNull: true, field: 'owner_id' },
      updatedAt: { type: DataTypes.DATE, allowNull: true, field: 'updated_at' },
    },
    // Timestamps are written by the repository: reg_date is the legacy creation column.
    { tableName: 'room', timestamps: false },
  );
}
