// Compile-time only: node-postgres's Pool fits the structural PgPool of the postgres entry.
import type pg from 'pg';
import type { PgPool } from '../../src/postgres/pg.js';

export const fits = (pool: pg.Pool): PgPool => pool;
