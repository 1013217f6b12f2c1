import { DataTypes } from 'sequelize';
import type { Model, ModelStatic, Optional, Sequelize } from 'sequelize';

export interface MessageAttributes {
  id: number;
  roomId: number;
  seq: number;
  type: string;
  senderId: string;
  senderNickname: string;
  text: string;
  clientMsgId: string | null;
  createdAt: Date;
  /** For an `edit` or `delete` entry: the seq of the message it changed. */
  targetSeq: number | null;
  editedAt: Date | null;
  deleted: boolean;
}

export type MessageCreationAttributes = Optional<MessageAttributes, 'id' | 'clientMsgId' | 'targetSeq' | 'editedAt' | 'deleted'>;

export interface MessageInstance extends Model<MessageAttributes, MessageCreationAttributes>, MessageAttributes {}

export type MessageModel = ModelStatic<MessageInstance>;

/** Name of the unique index on (room_id, sender_id, client_msg_id); MySQL reports it on a duplicate. */
export const MESSAGE_CLIENT_ID_INDEX = 'message_room_sender_client_uq';
/** Name of the unique index on (room_id, seq). */
export const MESSAGE_SEQ_INDEX = 'message_room_seq_uq';
/** Name of the index on (room_id, target_seq): the mutations of one message. */
export const MESSAGE_TARGET_INDEX = 'message_room_target_idx';

/** Defines the Message model on one Sequelize instance. */
export function defineMessageModel(sequelize: Sequelize): MessageModel {
  return sequelize.define<MessageInstance>(
    'Message',
    {
      id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
      roomId: { type: DataTypes.INTEGER, allowNull: false, field: 'room_id' },
      seq: { type: DataTypes.BIGINT, allowNull: false },
      type: { type: DataTypes.STRING(10), allowNull: false },
      senderId: { type: DataTypes.STRING(66), allowNull: false, field: 'sender_id' },
      senderNickname: { type: DataTypes.STRING(64), allowNull: false, field: 'sender_nickname' },
      text: { type: DataTypes.TEXT, allowNull: false },
      clientMsgId: { type: DataTypes.STRING(64), allowNull: true, field: 'client_msg_id' },
      createdAt: { type: DataTypes.DATE(3), allowNull: false, field: 'created_at' },
      targetSeq: { type: DataTypes.BIGINT, allowNull: true, field: 'target_seq' },
      editedAt: { type: DataTypes.DATE(3), allowNull: true, field: 'edited_at' },
      deleted: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
    },
    {
      tableName: 'message',
      timestamps: false,
      indexes: [
        { name: MESSAGE_SEQ_INDEX, unique: true, fields: ['room_id', 'seq'] },
        { name: MESSAGE_CLIENT_ID_INDEX, unique: true, fields: ['room_id', 'sender_id', 'client_msg_id'] },
        { name: MESSAGE_TARGET_INDEX, fields: ['room_id', 'target_seq'] },
      ],
    },
  );
}
