import type { SessionRecord } from './sessions.js';
import type { SimulatorSettings, WahaEngine, WahaMeInfo, WahaSessionConfig, WahaStatus } from './types.js';

/** WAHA's `SessionInfo` as the simulator answers it. */
export interface WahaSessionInfo {
  name: string;
  status: WahaStatus;
  config?: WahaSessionConfig;
  /** Present while WORKING (`null` otherwise with the `nullFields` option). */
  me?: WahaMeInfo | null;
  /** WAHA types it as an object; the simulator sends `{}` (`null` with the `nullFields` option). */
  presence: Record<string, never> | null;
  timestamps: { activity: number | null };
  /** Sent by some WAHA versions. */
  engine: { engine: WahaEngine };
}

/** WAHA's `SessionDTO`: the answer of create/start/stop/restart/logout/update. */
export interface WahaSessionDTO {
  name: string;
  status: WahaStatus;
  config?: WahaSessionConfig;
}

/** `SessionInfo` of a record, with the account WAHA reports (`me`, see `SessionStore.me`). */
export function toSessionInfo(record: SessionRecord, me: WahaMeInfo | null, settings: Pick<SimulatorSettings, 'engine' | 'nullFields'>): WahaSessionInfo {
  const { engine, nullFields } = settings;
  const info: WahaSessionInfo = {
    name: record.name,
    status: record.status,
    presence: nullFields ? null : {},
    timestamps: { activity: nullFields && record.status === 'STOPPED' ? null : record.lastActivity },
    engine: { engine },
  };
  if (record.config !== undefined) info.config = record.config;
  if (me) info.me = me;
  else if (nullFields) info.me = null;
  return info;
}

/** `SessionDTO` of a record. */
export function toSessionDTO(record: SessionRecord): WahaSessionDTO {
  const dto: WahaSessionDTO = { name: record.name, status: record.status };
  if (record.config !== undefined) dto.config = record.config;
  return dto;
}
