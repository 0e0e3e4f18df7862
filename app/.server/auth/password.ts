/**
 * Password hashing with scrypt from node:crypto: no native dependency, parameters stored with the hash.
 * New hashes use OWASP's scrypt parameters (N=2^17, r=8, p=1: 128 MiB and a few hundred milliseconds
 * each); older hashes keep verifying with the parameters stored beside them and are re-hashed on the next
 * successful sign-in (`needsRehash`). Every scrypt passes through one gate, so a flood of sign-ins uses
 * at most half the cores and a bounded amount of memory.
 */
import crypto from 'node:crypto'
import os from 'node:os'
import { promisify } from 'node:util'
import { createWorkGate } from './work-gate.ts'

const scrypt = promisify(crypto.scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: crypto.ScryptOptions,
) => Promise<Buffer>

/** The largest N and r a stored hash may ask for: anything bigger is not ours and would exhaust memory. */
const MAX_N = 2 ** 17
const KEY_LENGTH = 32

/**
 * The parameters of every new hash: OWASP's, except in the test suite. It alone may lower N with
 * HAILONG_TEST_SCRYPT_N, read only when NODE_ENV is `test` (vitest sets it; a server never runs with it):
 * the suite hashes and signs in hundreds of times, and at full cost each scrypt takes up to a second on a
 * busy two-core machine. A hash carries its parameters, so a cheap test hash can never weaken a real one.
 */
export function scryptParameters(env: Record<string, string | undefined>): { N: number; r: number; p: number } {
  const N = Number(env.HAILONG_TEST_SCRYPT_N)
  const lowered = env.NODE_ENV === 'test' && Number.isInteger(N) && N >= 1024 && N < MAX_N && (N & (N - 1)) === 0
  return { N: lowered ? N : MAX_N, r: 8, p: 1 }
}

export const SCRYPT = scryptParameters(process.env)
const MAX_R = 16
const MAX_P = 4

/** scrypt needs 128·N·r bytes; Node's default ceiling (32 MiB) is below what N=2^17 needs. */
const maxmem = (N: number, r: number) => 128 * N * r + 16 * 1024 * 1024

/** Half the cores, at least one; sixteen more may wait (a few seconds' worth), the rest are refused. */
export const passwordGate = createWorkGate(Math.max(1, Math.floor(os.availableParallelism() / 2)), 16)

interface StoredHash {
  N: number
  r: number
  p: number
  salt: Buffer
  key: Buffer
}

function parse(stored: string): StoredHash | null {
  const [scheme, n, rr, pp, salt, key, ...rest] = stored.split('$')
  if (scheme !== 'scrypt' || !salt || !key || rest.length) return null
  const [N, r, p] = [Number(n), Number(rr), Number(pp)]
  const powerOfTwo = Number.isInteger(N) && N > 1 && (N & (N - 1)) === 0
  if (!powerOfTwo || N > MAX_N || !Number.isInteger(r) || r < 1 || r > MAX_R) return null
  if (!Number.isInteger(p) || p < 1 || p > MAX_P) return null
  return { N, r, p, salt: Buffer.from(salt, 'base64'), key: Buffer.from(key, 'base64') }
}

let scryptRuns = 0

/** How many scrypt computations this process ran: what tests and the bench count to show work was skipped. */
export const scryptCount = () => scryptRuns

function runScrypt(password: string, salt: Buffer, keylen: number, options: { N: number; r: number; p: number }) {
  scryptRuns++
  return scrypt(password, salt, keylen, { ...options, maxmem: maxmem(options.N, options.r) })
}

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(16)
  const key = await passwordGate.run(() => runScrypt(password, salt, KEY_LENGTH, SCRYPT))
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64')}$${key.toString('base64')}`
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  return passwordGate.run(() => verifyHeld(password, stored))
}

/**
 * verifyPassword for a caller that already holds a permit of `passwordGate` (sign-in checks its throttle
 * and records the outcome inside the same turn). Never call it without one: that is what bounds scrypt.
 */
export async function verifyHeld(password: string, stored: string): Promise<boolean> {
  const hash = parse(stored)
  if (!hash || hash.key.length < 16) return false
  const { N, r, p } = hash
  const actual = await runScrypt(password, hash.salt, hash.key.length, { N, r, p })
  return crypto.timingSafeEqual(actual, hash.key)
}

/** True when a stored hash was made with weaker parameters than today's: re-hash it while the password is known. */
export function needsRehash(stored: string): boolean {
  const hash = parse(stored)
  return !hash || hash.N < SCRYPT.N || hash.r < SCRYPT.r || hash.p < SCRYPT.p
}

/**
 * What unknown e-mail addresses are checked against: today's parameters, so a wrong address costs the
 * same scrypt as a wrong password and the answer's timing says nothing about which accounts exist.
 */
export const UNKNOWN_ACCOUNT_HASH = `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${Buffer.alloc(16).toString('base64')}$${Buffer.alloc(32).toString('base64')}`
